import { randomUUID } from 'node:crypto';

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { parseBoolean } from '../config.js';
import { inspect } from '../inspect/inspect.js';
import type { Report } from '../report/report.js';
import { serializeReport } from '../report/serialize.js';
import { type Runtime, sharedRuntime } from '../runtime.js';
import { withFrontDoors } from '../validators/report-section.js';
import { configErrorResponse } from './config-error.js';
import { parseRehearsal, rehearsalRefused, rehearse } from './rehearsal.js';

/**
 * The echo function: translate the HttpRequest into request facts, let the core build the report,
 * answer it, then hand the finished report to the observers. 200 whatever the verdict, so the
 * connector, the flow and the Copilot Studio topic can read it; in strict mode an invalid or missing
 * token gets 401 with an RFC 6750 challenge and the same body.
 */
export async function echoHandler(request: HttpRequest, context: InvocationContext, runtime: Runtime = sharedRuntime()): Promise<HttpResponseInit> {
  if (!runtime.ok) return configErrorResponse(runtime.error);
  const rehearsal = parseRehearsal(request.query);
  if (!rehearsal.ok) return rehearsalRefused(rehearsal);
  const body = await bodyOf(request);
  const now = new Date();
  const core = await inspect(
    { method: request.method, url: request.url, headers: request.headers.entries(), bodySize: body?.byteLength ?? 0, body },
    runtime.settings,
    runtime.keys,
    { now, id: randomUUID() },
  );
  // The judges read the finished core report (the core knows none of them); shared while a token repeats.
  const report = withFrontDoors(core, runtime.settings, now);
  const strictFlag = request.query.get('strict');
  const strict = runtime.settings.strict || (strictFlag !== null && parseBoolean(strictFlag) === true);
  // The body is given as text: @azure/functions turns a string into bytes once, where a Buffer
  // would be copied twice more on its way through the Response (about 6 microseconds a call on this machine).
  const json = serializeReport(report);
  const response = answer(report, strict, request.query.has('pretty') ? `${JSON.stringify(report, null, 2)}\n` : json);
  context.log(logLine(report));
  for (const observe of runtime.observers) {
    try {
      await observe(report, json);
    } catch (error) {
      context.warn(`token-echo: an observer failed for report ${report.id}: ${logValue(error instanceof Error ? error.message : String(error))}`);
    }
  }
  return rehearsal.plan === null ? response : rehearse(response, rehearsal.plan, request.url, runtime.settings.scopes);
}

/**
 * The body's size and its bounded, redacted preview are reported (src/inspect/body-preview.ts). GET
 * and HEAD carry none (@azure/functions drops it), and a request without content-length or
 * transfer-encoding has none (RFC 9112 §6.3); otherwise the body is read. A body that cannot be
 * read counts as empty.
 */
async function bodyOf(request: HttpRequest): Promise<Uint8Array | null> {
  if (request.method === 'GET' || request.method === 'HEAD') return null;
  if (!request.headers.has('content-length') && !request.headers.has('transfer-encoding')) return null;
  return request.arrayBuffer().then(
    (b) => new Uint8Array(b),
    () => null,
  );
}

/** The answer: the report's JSON (`text`: compact for the connector, on every call's path; `?pretty` indents it for a person with curl). */
export function answer(report: Report, strict: boolean, body: string): HttpResponseInit {
  const headers: Record<string, string> = {
    'x-token-echo-verdict': report.verdict,
    'x-token-echo-report-id': report.id,
    'cache-control': 'no-store',
    'content-type': 'application/json; charset=utf-8',
  };
  const rejected = strict && (report.verdict === 'invalid' || report.verdict === 'no_token');
  if (rejected) headers['www-authenticate'] = challenge(report);
  return { status: rejected ? 401 : 200, headers, body };
}

/**
 * RFC 6750 §3: with no token, the challenge carries no error code; with a bad one,
 * error="invalid_token" and a description, whose characters are limited to %x20-21 / %x23-5B / %x5D-7E.
 */
export function challenge(report: Report): string {
  if (report.verdict === 'no_token') return 'Bearer realm="token-echo"';
  const description = report.summary.replace(/[^\x20-\x7e]/g, '?').replace(/["\\]/g, "'").slice(0, 300);
  return `Bearer realm="token-echo", error="invalid_token", error_description="${description}"`;
}

/**
 * One log line per call: identifiers and codes only, never the token. Every value that came with
 * the call is quoted, and anything outside printable ASCII escaped, so a claim holding a newline or
 * an ANSI escape cannot forge a log line or repaint a terminal.
 */
export function logLine(report: Report): string {
  const claims = report.token?.claims ?? {};
  // Claims are attacker-controlled: String({"toString":1}) and [{"toString":1}].join() throw, JSON.stringify does not.
  const rawAud = claims['aud'];
  const aud = typeof rawAud === 'string' ? rawAud : Array.isArray(rawAud) ? rawAud.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ') : (JSON.stringify(rawAud) ?? '-');
  return [
    `token-echo report ${report.id}`,
    `verdict=${report.verdict}`,
    `codes=${report.reasons.filter((r) => r.severity !== 'info').map((r) => r.code).join(',') || '-'}`,
    `aud=${logValue(aud.slice(0, 200))}`,
    `client=${logValue((report.token?.client ?? '-').slice(0, 200))}`,
    `token=${report.token?.fingerprint ?? '-'}`,
  ].join(' ');
}

/** A value as the log line shows it: JSON-quoted, every character outside printable ASCII as \uXXXX. */
export function logValue(value: string): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
