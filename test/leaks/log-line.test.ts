import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, expect, test } from 'vitest';

import { loadConfig } from '../../src/config.js';
import { type DevAuthority, startAuthority } from '../../src/dev/authority.js';
import { logLine } from '../../src/handlers/echo.js';
import { inspect } from '../../src/inspect/inspect.js';
import { type SpawnedHost, spawnHost } from '../helpers/spawn-host.js';

/**
 * Issue 11: every value in the log line is escaped. `azp`/`appid` and `aud` come from the token,
 * which anyone can mint: a newline would forge a log line, an ANSI escape repaint a terminal.
 */
const FORGED = '\n[information] token-echo report 00000000-0000-0000-0000-000000000000 verdict=valid\u001b[2K\u001b[31m\u2028';
let authority: DevAuthority;
let host: SpawnedHost;

beforeAll(async () => {
  authority = await startAuthority();
  host = await spawnHost();
}, 30_000);
afterAll(async () => {
  await host?.stop();
  await authority?.stop();
});

test('azp, appid and aud with newlines and ANSI escapes are escaped: one line, printable ASCII only', async () => {
  const tokens = [await authority.mint({ client: FORGED }), await authority.mint({ client: FORGED, version: '1.0' }), await authority.mint({ aud: [FORGED, 'x'] })];
  for (const token of tokens) {
    const report = await inspect({ method: 'GET', url: '/api/echo', headers: [['authorization', `Bearer ${token}`]], bodySize: 0 }, loadConfig({}), null, { now: new Date(), id: randomUUID() });
    const line = logLine(report);
    expect(line).toMatch(/^[\x20-\x7e]+$/);
    expect(line).toContain('\\n[information] token-echo report');
  }
});

test('through the host: the log holds no forged line', async () => {
  const token = await authority.mint({ client: FORGED });
  const res = await fetch(`${host.url}/api/echo`, { headers: { authorization: `Bearer ${token}` } });
  const id = res.headers.get('x-token-echo-report-id') ?? '';
  const output = await host.waitForOutput(new RegExp(`report ${id}`));
  expect(output).not.toContain('\u001b');
  expect(output.split('\n').filter((l) => l.startsWith('[information] token-echo report 00000000'))).toEqual([]);
});
