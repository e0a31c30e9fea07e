import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { buildTimeline } from '../connections/timeline.js';
import { MAX_LIST_LIMIT, parseFilter } from '../sinks/history.js';
import { type Runtime, sharedRuntime } from '../runtime.js';
import { configErrorResponse } from './config-error.js';

const json = (status: number, body: unknown): HttpResponseInit => ({
  status,
  headers: { 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' },
  body: `${JSON.stringify(body, null, 2)}\n`,
});

/**
 * GET /api/connections?limit=&since=: the history's newest reports (at most MAX_LIST_LIMIT) grouped
 * into connections, each with its tokens over time and findings (src/connections/timeline.ts).
 */
export async function connectionsHandler(request: HttpRequest, _context: unknown, runtime: Runtime = sharedRuntime()): Promise<HttpResponseInit> {
  if (!runtime.ok) return configErrorResponse(runtime.error);
  const query = new URLSearchParams();
  for (const name of ['limit', 'since']) {
    const value = request.query.get(name);
    if (value !== null) query.set(name, value);
  }
  const parsed = parseFilter(query);
  if (!parsed.ok) return json(400, { error: 'bad_filter', message: 'Some filters are not valid.', problems: parsed.problems });
  if (!query.has('limit')) parsed.filter.limit = MAX_LIST_LIMIT;
  const history = runtime.history;
  if (!history) return json(200, { history: 'off', reportsRead: 0, ungrouped: 0, connections: [], connectionsLeftOut: 0 });
  const timeline = buildTimeline(await history.list(parsed.filter));
  return json(200, { history: history.kind, ...timeline });
}
