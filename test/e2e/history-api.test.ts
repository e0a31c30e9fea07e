import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import type { Report } from '../../src/report/report.js';
import { type Azurite, freePort, startAzurite } from '../helpers/azurite.js';
import { type SpawnedHost, spawnHost } from '../helpers/spawn-host.js';

/** /api/reports and /api/reports/{id} over HTTP, with the memory history and with the table history on Azurite. */
let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite.stop());

const KEY = 'history-test-key';

describe.each(['memory', 'table'] as const)('%s history through the API', (kind) => {
  let host: SpawnedHost;
  beforeAll(async () => {
    host = await spawnHost({
      env: { TOKEN_ECHO_LOCAL_KEY: KEY, TOKEN_ECHO_HISTORY: kind, ...(kind === 'table' ? { AzureWebJobsStorage: azurite.connectionString, TOKEN_ECHO_HISTORY_TABLE: `api${Date.now()}` } : {}) },
    });
  });
  afterAll(() => host.stop());

  const api = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${host.url}/api/${path}`, { ...init, headers: { 'x-functions-key': KEY, ...(init.headers as Record<string, string> | undefined) } });

  test('every call is recorded and listed newest first, with filters', async () => {
    const ids: string[] = [];
    for (const authorization of [undefined, 'Basic eDp5', 'Bearer a.b']) {
      const res = await fetch(`${host.url}/api/echo`, { headers: authorization ? { authorization } : {} });
      ids.push(res.headers.get('x-token-echo-report-id') ?? '');
    }
    const list = (await (await api('reports?limit=10')).json()) as { history: string; count: number; reports: Report[] };
    expect(list.history).toBe(kind);
    expect(list.reports.map((r) => r.id)).toEqual([...ids].reverse());
    const noToken = (await (await api('reports?verdict=no_token')).json()) as { reports: Report[] };
    expect(noToken.reports.map((r) => r.id)).toEqual([ids[0]]);
    const byCode = (await (await api('reports?code=NOT_BEARER&limit=5')).json()) as { reports: Report[] };
    expect(byCode.reports.map((r) => r.id)).toEqual([ids[1]]);
    const one = await api(`reports/${ids[2]}`);
    expect(one.status).toBe(200);
    expect(((await one.json()) as Report).id).toBe(ids[2]);
  });

  test('an unknown id is a 404 with a clear body; bad filters are a 400 naming them', async () => {
    const missing = await api('reports/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toMatch(/^No report "00000000-0000-4000-8000-000000000000": it is not in the/);
    const bad = await api('reports?limit=9999&since=later');
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { problems: string[] };
    expect(body.problems).toHaveLength(2);
  });

  test('the key is required: x-functions-key or ?code=', async () => {
    expect((await fetch(`${host.url}/api/reports`)).status).toBe(401);
    expect((await fetch(`${host.url}/api/reports/whatever`)).status).toBe(401);
    // The viewer page holds no data: it is served without the key and explains the key itself.
    expect((await fetch(`${host.url}/api/viewer`)).status).toBe(200);
    expect((await fetch(`${host.url}/api/reports?code=${KEY}`)).status).toBe(200);
  });

  test('with the key in ?code=, reason= filters by reason code', async () => {
    await fetch(`${host.url}/api/echo`, { headers: { authorization: 'Basic eDp5' } });
    const res = await fetch(`${host.url}/api/reports?code=${KEY}&reason=NOT_BEARER`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { reports: Report[] };
    expect(body.reports.length).toBeGreaterThan(0);
    expect(body.reports.every((r) => r.reasons.some((x) => x.code === 'NOT_BEARER'))).toBe(true);
  });

  test('DELETE clears the history', async () => {
    await fetch(`${host.url}/api/echo`);
    const cleared = (await (await api('reports', { method: 'DELETE' })).json()) as { deleted: number };
    expect(cleared.deleted).toBeGreaterThan(0);
    expect(((await (await api('reports')).json()) as { count: number }).count).toBe(0);
  });
});

test('a history that cannot be written never fails the call, and the failure is logged', { timeout: 40_000 }, async () => {
  const dead = await freePort();
  const host = await spawnHost({
    env: {
      TOKEN_ECHO_HISTORY: 'table',
      AzureWebJobsStorage: `DefaultEndpointsProtocol=http;AccountName=nobody;AccountKey=${Buffer.from('k').toString('base64')};TableEndpoint=http://127.0.0.1:${dead}/nobody;`,
    },
  });
  try {
    const started = Date.now();
    const res = await fetch(`${host.url}/api/echo`);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-token-echo-verdict')).toBe('no_token');
    // The write is retried by the storage SDK; the call did not wait for that, the log says when it gives up.
    const deadline = Date.now() + 25_000;
    while (!/history write of report [0-9a-f-]{36} failed|an observer failed for report/.test(host.output()) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(host.output()).toMatch(/history write of report [0-9a-f-]{36} failed|an observer failed for report/);
  } finally {
    await host.stop();
  }
});
