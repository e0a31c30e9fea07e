import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import type { Report } from '../report/report.js';
import { type Runtime, sharedRuntime } from '../runtime.js';
import type * as ConfigInputModule from '../validators/config-input.js';
import { frontDoorInputOf, withFrontDoors } from '../validators/report-section.js';
import { configErrorResponse } from './config-error.js';

/** The longest configuration read (src/validators/config-input.ts MAX_CONFIG_BYTES): 256 KiB. */
export const MAX_FRONT_DOOR_CONFIG_BYTES = 256 * 1024;

const json = (status: number, body: unknown): HttpResponseInit => ({
  status,
  headers: { 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' },
  body: `${JSON.stringify(body, null, 2)}\n`,
});

const KINDS = ['authsettingsV2', 'apim-policy', 'appsettings'] as const;

/**
 * GET /api/reports/{id}/front-doors: that call's front-door verdicts with their configuration
 * snippets, which the echo answer and the history leave out (src/validators/report-section.ts),
 * worked out from the stored report with the app's settings at the time of the call.
 *
 * POST /api/reports/{id}/front-doors, the body the maker's own configuration as text (an
 * authsettingsV2 JSON as `az webapp auth show` prints it, an API Management policy XML, an
 * appsettings.json; `?kind=` names it when detection is not wanted): judged against the token of
 * that stored report, with the app's settings, at the time of the call (the verdict the call would
 * have had). A judge, not the core: it reads the stored report only (claims, header, the signature
 * and tenant checks); the token itself was never kept. Function-level, like the history.
 */
export async function frontDoorsHandler(request: HttpRequest, _context: unknown, runtime: Runtime = sharedRuntime()): Promise<HttpResponseInit> {
  if (!runtime.ok) return configErrorResponse(runtime.error);
  const id = request.params['id'] ?? '';
  if (request.method === 'GET') {
    const stored = await storedReport(runtime, id);
    if (!stored.ok) return stored.response;
    const full = withFrontDoors(stored.report, runtime.settings, new Date(stored.report.receivedAt), { snippets: true });
    if (full.validators === undefined) return noToken();
    return json(200, { reportId: stored.report.id, validators: full.validators });
  }
  const kindParam = request.query.get('kind');
  if (kindParam !== null && !(KINDS as readonly string[]).includes(kindParam)) {
    return json(400, { error: 'bad_kind', message: `kind ${JSON.stringify(kindParam.slice(0, 40))} is not one of ${KINDS.join(', ')} (leave it out to detect it).` });
  }
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_FRONT_DOOR_CONFIG_BYTES) return tooLarge(declared);
  const stored = await storedReport(runtime, id);
  if (!stored.ok) return stored.response;
  const { report } = stored;
  let text: string;
  try {
    text = await request.text();
  } catch {
    return json(400, { error: 'bad_body', message: 'The configuration could not be read from the request body.' });
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_FRONT_DOOR_CONFIG_BYTES) return tooLarge(bytes);
  const input = frontDoorInputOf(report, runtime.settings);
  if (input === null) return noToken();
  // Loaded on the first use of this endpoint: the XML and JSONC parsers stay out of the echo path.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { judgeConfigInput } = require('../validators/config-input.js') as typeof ConfigInputModule;
  const judged = judgeConfigInput(text, input, (kindParam as (typeof KINDS)[number] | null) ?? undefined);
  if (!judged.ok) return json(400, { error: 'bad_config', kind: judged.kind, message: 'The configuration could not be read.', problems: judged.problems });
  return json(200, { reportId: report.id, kind: judged.kind, ...judged.result });
}

async function storedReport(runtime: Extract<Runtime, { ok: true }>, id: string): Promise<{ ok: true; report: Report } | { ok: false; response: HttpResponseInit }> {
  const report = runtime.history && /^[0-9a-f-]{36}$/i.test(id) ? await runtime.history.get(id.toLowerCase()) : null;
  if (report) return { ok: true, report };
  const where = runtime.history === null ? 'the history is off (TOKEN_ECHO_HISTORY=off)' : `it is not in the ${runtime.history.kind} history (expired, cleared, or never kept)`;
  return { ok: false, response: json(404, { error: 'not_found', message: `No report ${JSON.stringify(id.slice(0, 80))}: ${where}.` }) };
}

function noToken(): HttpResponseInit {
  return json(409, { error: 'no_token', message: 'This call carried no decodable token, so no front door can be judged.' });
}

function tooLarge(bytes: number): HttpResponseInit {
  return json(413, { error: 'too_large', message: `The configuration is ${bytes} bytes; at most ${MAX_FRONT_DOOR_CONFIG_BYTES} are read.` });
}
