import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { parseFilter } from '../sinks/history.js';
import { type Runtime, sharedRuntime } from '../runtime.js';
import { configErrorResponse } from './config-error.js';

const json = (status: number, body: unknown): HttpResponseInit => ({
  status,
  headers: { 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' },
  body: `${JSON.stringify(body, null, 2)}\n`,
});

/** GET /api/reports?limit=&verdict=&code=&since= (newest first) and DELETE /api/reports (clears). */
export async function reportsHandler(request: HttpRequest, _context: unknown, runtime: Runtime = sharedRuntime()): Promise<HttpResponseInit> {
  if (!runtime.ok) return configErrorResponse(runtime.error);
  const history = runtime.history;
  if (request.method === 'DELETE') {
    return json(200, { history: history?.kind ?? 'off', deleted: history ? await history.clear() : 0 });
  }
  const parsed = parseFilter(filterQuery(request));
  if (!parsed.ok) return json(400, { error: 'bad_filter', message: 'Some filters are not valid.', problems: parsed.problems });
  if (!history) return json(200, { history: 'off', count: 0, reports: [] });
  const reports = await history.list(parsed.filter);
  return json(200, { history: history.kind, count: reports.length, reports });
}

/**
 * `code` is also the name Azure Functions gives the function key in the query string. When the key
 * came in the header, `code` is the reason-code filter; otherwise it is the key, and `reason=`
 * filters by reason code.
 */
function filterQuery(request: HttpRequest): URLSearchParams {
  const query = new URLSearchParams(request.query);
  if (!request.headers.has('x-functions-key')) query.delete('code');
  const reasonCode = query.get('reason');
  if (reasonCode !== null) query.set('code', reasonCode);
  query.delete('reason');
  return query;
}

/** GET /api/reports/{id}. */
export async function reportHandler(request: HttpRequest, _context: unknown, runtime: Runtime = sharedRuntime()): Promise<HttpResponseInit> {
  if (!runtime.ok) return configErrorResponse(runtime.error);
  const id = request.params['id'] ?? '';
  const report = runtime.history && /^[0-9a-f-]{36}$/i.test(id) ? await runtime.history.get(id.toLowerCase()) : null;
  if (report) return json(200, report);
  const where = runtime.history === null ? 'the history is off (TOKEN_ECHO_HISTORY=off)' : `it is not in the ${runtime.history.kind} history (expired, cleared, or never kept)`;
  return json(404, { error: 'not_found', message: `No report ${JSON.stringify(id.slice(0, 80))}: ${where}.` });
}
