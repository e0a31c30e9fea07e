import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { describeSettings } from '../config.js';
import { type Runtime, sharedRuntime } from '../runtime.js';

/** GET /api/health: the version, the effective settings (nothing secret) and whether the authority answers. */
export async function healthHandler(_request: HttpRequest, _context: unknown, runtime: Runtime = sharedRuntime()): Promise<HttpResponseInit> {
  const base = { name: 'token-echo', version: runtime.version, node: process.version };
  if (!runtime.ok) {
    return { status: 503, headers: { 'cache-control': 'no-store' }, jsonBody: { ...base, status: 'misconfigured', problems: runtime.error.problems } };
  }
  const settings = describeSettings(runtime.settings);
  if (runtime.keys === null) {
    return { status: 200, headers: { 'cache-control': 'no-store' }, jsonBody: { ...base, status: 'ok', mode: 'decode-only', settings, authority: null } };
  }
  const [v2, v1] = await Promise.all([runtime.keys.status('2.0'), runtime.keys.status('1.0')]);
  const reachable = v2.keys.ok && v1.keys.ok;
  return {
    status: 200,
    headers: { 'cache-control': 'no-store' },
    jsonBody: { ...base, status: reachable ? 'ok' : 'degraded', mode: 'validate', settings, authority: { v2, v1 } },
  };
}
