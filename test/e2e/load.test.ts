import { afterAll, beforeAll, expect, test } from 'vitest';

import { type DevAuthority, DEMO_API_CLIENT_ID, startAuthority } from '../../src/dev/authority.js';
import { type SpawnedHost, spawnHost } from '../helpers/spawn-host.js';

/**
 * Load without loss: 2,000 calls at 50 concurrent connections through the local host with the
 * history on (bounded in count and time, loopback only). Zero 5xx, zero transport errors, and every
 * report ID returned is in the history, which holds exactly as many.
 */
const CALLS = 2000;
const CONCURRENCY = 50;
const KEY = 'load-test-key';
let authority: DevAuthority;
let host: SpawnedHost;

beforeAll(async () => {
  authority = await startAuthority();
  host = await spawnHost({
    env: {
      TOKEN_ECHO_TENANT_ID: authority.tenant.id,
      TOKEN_ECHO_AUTHORITY: authority.url,
      TOKEN_ECHO_AUDIENCES: DEMO_API_CLIENT_ID,
      TOKEN_ECHO_LOCAL_KEY: KEY,
      TOKEN_ECHO_HISTORY: 'memory',
      TOKEN_ECHO_HISTORY_MAX: String(CALLS * 2),
    },
  });
});
afterAll(async () => {
  await host.stop();
  await authority.stop();
});

test(`${CALLS} calls at ${CONCURRENCY} concurrent: no 5xx, no transport error, every report kept`, { timeout: 120_000 }, async () => {
  const tokens = await Promise.all([authority.mint(), authority.mint({ aud: 'https://apihub.azure.com' }), authority.mint({ expiresIn: -3600, issuedAt: -7200, notBefore: -7200 })]);
  const ids: string[] = [];
  const statuses = new Map<number, number>();
  let transportErrors = 0;
  let next = 0;
  const deadline = Date.now() + 90_000;
  const worker = async (): Promise<void> => {
    while (next < CALLS && Date.now() < deadline) {
      const i = next++;
      try {
        const res = await fetch(`${host.url}/api/echo/load/${i}`, { headers: i % 10 === 9 ? {} : { authorization: `Bearer ${tokens[i % tokens.length]}` } });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        ids.push(res.headers.get('x-token-echo-report-id') ?? '');
      } catch {
        transportErrors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));

  expect(transportErrors).toBe(0);
  expect([...statuses.keys()]).toEqual([200]);
  expect(ids).toHaveLength(CALLS);
  expect(new Set(ids).size).toBe(CALLS);
  const missing: string[] = [];
  for (let i = 0; i < ids.length; i += CONCURRENCY) {
    const batch = ids.slice(i, i + CONCURRENCY);
    const found = await Promise.all(batch.map((id) => fetch(`${host.url}/api/reports/${id}`, { headers: { 'x-functions-key': KEY } }).then((r) => r.status)));
    batch.forEach((id, j) => {
      if (found[j] !== 200) missing.push(id);
    });
  }
  expect(missing).toEqual([]);
  const cleared = (await (await fetch(`${host.url}/api/reports`, { method: 'DELETE', headers: { 'x-functions-key': KEY } })).json()) as { deleted: number };
  expect(cleared.deleted).toBe(CALLS);
});
