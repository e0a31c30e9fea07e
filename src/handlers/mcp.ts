import { randomUUID } from 'node:crypto';

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { inspect } from '../inspect/inspect.js';
import { type HostPolicy, rebindingRefusal } from '../mcp/origin.js';
import { INTERNAL_ERROR, INVALID_REQUEST, MAX_MCP_BODY_BYTES, type MessageFacts, UNAUTHORIZED, errorBody, readMessage } from '../mcp/protocol.js';
import { type HistoryGate, type Recorded, withMcp } from '../mcp/recording.js';
import { dispatch } from '../mcp/dispatch.js';
import { mcpChallenge, mcpResourceUrl } from '../mcp/resource-metadata.js';
import { headerRefusal } from '../mcp/transport.js';
import type { McpInfo, Report } from '../report/report.js';
import type { Runtime } from '../runtime.js';
import { configErrorResponse } from './config-error.js';
import { logLine } from './echo.js';
import { withFrontDoors } from '../validators/report-section.js';

/**
 * POST/GET/DELETE /api/mcp: token-echo as an MCP server (Streamable HTTP, stateless, JSON answers).
 * Each request gets the report /api/echo would give it (same settings, same inspect); the message is
 * checked (src/mcp/protocol.ts, transport.ts, origin.ts) and answered (src/mcp/dispatch.ts, held equal
 * to the official SDK's Server by test/mcp/parity.test.ts); the report, with what the client asked
 * and got, goes to the observers (src/mcp/recording.ts decides which reach the history).
 */
export interface McpDeps {
  runtime: Runtime;
  policy: HostPolicy;
  gate: HistoryGate;
}

export async function mcpHandler(request: HttpRequest, context: InvocationContext, deps: McpDeps): Promise<HttpResponseInit> {
  const { runtime } = deps;
  if (!runtime.ok) return configErrorResponse(runtime.error);
  const method = request.method;
  const url = request.url;
  const headers = request.headers;
  const declared = Number(headers.get('content-length') ?? '0');
  const tooLarge = Number.isFinite(declared) && declared > MAX_MCP_BODY_BYTES;
  // The body is read only for POST, and not at all when its declared size is already too large.
  const text = method === 'POST' && !tooLarge ? await request.text().catch(() => '') : '';
  const bodySize = tooLarge ? declared : Buffer.byteLength(text);
  const now = new Date();
  const core = await inspect({ method, url, headers: headers.entries(), bodySize }, runtime.settings, runtime.keys, { now, id: randomUUID() });
  // As /api/echo: the front doors' verdicts read the finished core report (issue 13), so token_report carries them too.
  const report = withFrontDoors(core, runtime.settings, now);
  const read = method === 'POST' && bodySize <= MAX_MCP_BODY_BYTES ? readMessage(text) : null;
  const facts: MessageFacts | null = read?.facts ?? null;
  const protocolVersion = facts?.protocolVersion ?? headers.get('mcp-protocol-version')?.slice(0, 40) ?? null;
  const info = (status: number, errorCode: number | null): McpInfo => ({ endpoint: 'mcp', method: facts?.method ?? null, tool: facts?.tool ?? null, protocolVersion, status, errorCode });
  let answer: Answer;
  try {
    answer = respond();
  } catch (error) {
    // Never a 500: anything unforeseen is a JSON-RPC internal error for this message.
    context.warn(`token-echo: MCP answer failed for report ${report.id}: ${error instanceof Error ? error.message : String(error)}`);
    answer = { status: 200, headers: { 'content-type': 'application/json' }, body: errorBody(facts?.id ?? null, INTERNAL_ERROR, 'Internal error'), errorCode: INTERNAL_ERROR };
  }
  const mcp = info(answer.status, answer.errorCode);
  answer.headers['x-token-echo-verdict'] = report.verdict;
  answer.headers['x-token-echo-report-id'] = report.id;
  answer.headers['cache-control'] = 'no-store';
  await observe(context, deps, report, mcp, answer.recorded);
  return { status: answer.status, headers: answer.headers, body: answer.body };

  function respond(): Answer {
    const json = (status: number, code: number, message: string, extra: Record<string, string> = {}, data?: Record<string, unknown>): Answer => ({
      status,
      headers: { 'content-type': 'application/json', ...extra },
      body: errorBody(facts?.id ?? null, code, message, data),
      errorCode: code,
    });
    const refusal = rebindingRefusal(headers.get('host'), headers.get('origin'), deps.policy);
    // 403, MCP 2025-11-25 basic/transports.mdx "Security Warning"; -32000 as the SDK's transport answers it.
    if (refusal !== null) return json(403, -32000, refusal);
    // No standalone SSE stream (stateless, JSON answers): GET is 405 ("Listening for Messages from
    // the Server" 3), and so is DELETE, there being no session to end ("Session Management" 5).
    if (method !== 'POST') {
      return json(405, -32000, `Method not allowed: token-echo's MCP endpoint is stateless and answers POST only (no SSE stream, no session to delete).`, { allow: 'POST' });
    }
    if (runtime.ok && (report.verdict === 'invalid' || report.verdict === 'no_token') && (runtime.settings.strict || (url.includes('strict') && request.query.get('strict')?.toLowerCase() === 'true'))) {
      const challenge = mcpChallenge(report, mcpResourceUrl(url), runtime.settings);
      return json(401, UNAUTHORIZED, `Unauthorized: ${report.summary}`, { 'www-authenticate': challenge }, { verdict: report.verdict, reportId: report.id, reasonCodes: report.reasons.map((r) => r.code) });
    }
    if (tooLarge || bodySize > MAX_MCP_BODY_BYTES) {
      return json(413, INVALID_REQUEST, `Invalid Request: the body is ${bodySize} bytes; token-echo's MCP endpoint takes at most ${MAX_MCP_BODY_BYTES}.`);
    }
    if (read === null || !read.ok) {
      const r = read && !read.ok ? read.refusal : { status: 400, code: INVALID_REQUEST, message: 'Invalid Request', id: null };
      return { status: r.status, headers: { 'content-type': 'application/json' }, body: errorBody(r.id, r.code, r.message), errorCode: r.code };
    }
    const refusedHeaders = headerRefusal(headers);
    if (refusedHeaders !== null) return json(refusedHeaders.status, refusedHeaders.code, refusedHeaders.message);
    // Notifications and responses: "the server MUST return HTTP status code 202 Accepted with no
    // body" ("Sending Messages to the Server" 4). A response has nothing to answer here (a stateless
    // server sends no requests of its own) and is not passed on.
    if (read.facts.kind !== 'request' || read.facts.id === null) return { status: 202, headers: {}, body: '', errorCode: null };
    // The report as recorded, written once: tools/call answers it as structuredContent, and the
    // history keeps the same text (the MCP facts of a successful answer are known before it).
    const recorded = read.facts.method === 'tools/call' ? withMcp(report, info(200, null)) : undefined;
    const dispatched = dispatch(read.message, read.facts.id, recorded?.report ?? report, recorded?.json ?? '', runtime.version);
    return { status: 200, headers: { 'content-type': 'application/json' }, body: dispatched.body, errorCode: dispatched.errorCode, ...(recorded && dispatched.errorCode === null ? { recorded } : {}) };
  }
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  errorCode: number | null;
  recorded?: Recorded;
}

/** Log line, then telemetry always and the history when the gate keeps it (src/mcp/recording.ts). */
export async function observe(context: InvocationContext, deps: McpDeps, core: Report, mcp: McpInfo, recorded?: Recorded): Promise<void> {
  const { runtime } = deps;
  if (!runtime.ok) return;
  const report: Report = recorded?.report ?? { ...core, mcp };
  context.log(`${logLine(report)} mcp=${mcp.method ?? mcp.endpoint}${mcp.tool ? `/${mcp.tool}` : ''} status=${mcp.status}`);
  const keep = deps.gate.keep(report, mcp);
  const observers = keep ? runtime.observers : runtime.telemetry ? [(r: Report) => runtime.telemetry?.observe(r)] : [];
  // The JSON is written only for the history (the memory history keeps it as is).
  const json = observers.length === 0 ? '' : (recorded?.json ?? withMcp(core, mcp).json);
  for (const observer of observers) {
    try {
      await observer(report, json);
    } catch (error) {
      context.warn(`token-echo: an observer failed for report ${report.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
