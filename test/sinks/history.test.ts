import { randomUUID } from 'node:crypto';

import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { loadConfig } from '../../src/config.js';
import { inspect } from '../../src/inspect/inspect.js';
import type { Report } from '../../src/report/report.js';
import { type HistoryStore, parseFilter } from '../../src/sinks/history.js';
import { MemoryHistory } from '../../src/sinks/memory-history.js';
import { TableHistory } from '../../src/sinks/table-history.js';
import { type Azurite, startAzurite } from '../helpers/azurite.js';

/** One suite, two stores: memory and Azure Table Storage (Azurite, a real server on loopback). */
let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite.stop());

let clock = Date.parse('2026-11-27T10:00:00Z');
const now = (): number => clock;

async function report(authorization: string | null, at: number = clock): Promise<Report> {
  return inspect(
    { method: 'GET', url: '/api/echo', headers: authorization === null ? [] : [['authorization', authorization]], bodySize: 0 },
    loadConfig({}),
    null,
    { now: new Date(at), id: randomUUID() },
  );
}

/** The table history prunes in the background: wait for it where a test looks at what was pruned. */
const settle = async (store: HistoryStore): Promise<void> => {
  if (store instanceof TableHistory) await store.settled();
};

const stores: Array<[string, (max: number, ttlHours: number) => HistoryStore]> = [
  ['memory', (max, ttlHours) => new MemoryHistory({ max, ttlHours, now })],
  [
    'table',
    (max, ttlHours) =>
      new TableHistory(TableClient.fromConnectionString(azurite.connectionString, `t${randomUUID().replace(/-/g, '').slice(0, 20)}`, { allowInsecureConnection: true }), { max, ttlHours, now }),
  ],
];

describe.each(stores)('%s history', (_kind, make) => {
  test('keeps reports and lists them newest first; get by id; clear', async () => {
    const store = make(10, 48);
    const a = await report(null, clock - 3000);
    const b = await report('Basic x', clock - 2000);
    const c = await report('Bearer a.b.c', clock - 1000);
    for (const r of [a, b, c]) await store.add(r);
    expect((await store.list({ limit: 10 })).map((r) => r.id)).toEqual([c.id, b.id, a.id]);
    expect(await store.get(b.id)).toEqual(b);
    expect(await store.get(randomUUID())).toBeNull();
    expect(await store.clear()).toBe(3);
    expect(await store.list({ limit: 10 })).toEqual([]);
  });

  test('filters: limit, verdict, code, since', async () => {
    const store = make(50, 48);
    const none = await report(null, clock - 5000);
    const basic = await report('Basic x', clock - 4000);
    const malformed = await report('Bearer nope', clock - 3000);
    const malformed2 = await report('Bearer a.b', clock - 2000);
    for (const r of [none, basic, malformed, malformed2]) await store.add(r);
    expect((await store.list({ limit: 2 })).map((r) => r.id)).toEqual([malformed2.id, malformed.id]);
    expect((await store.list({ limit: 10, verdict: 'no_token' })).map((r) => r.id)).toEqual([none.id]);
    expect((await store.list({ limit: 10, code: 'NOT_BEARER' })).map((r) => r.id)).toEqual([basic.id]);
    expect((await store.list({ limit: 10, code: 'MALFORMED_TOKEN', verdict: 'invalid' })).map((r) => r.id)).toEqual([malformed2.id, malformed.id]);
    expect((await store.list({ limit: 10, since: new Date(clock - 3500) })).map((r) => r.id)).toEqual([malformed2.id, malformed.id]);
  });

  test('bounded by count: the oldest go first', async () => {
    const store = make(3, 48);
    const reports: Report[] = [];
    for (let i = 0; i < 5; i += 1) {
      const r = await report(null, clock - 10_000 + i * 1000);
      reports.push(r);
      await store.add(r);
    }
    await settle(store);
    expect((await store.list({ limit: 10 })).map((r) => r.id)).toEqual(reports.slice(2).reverse().map((r) => r.id));
    expect(await store.get(reports[0]?.id ?? '')).toBeNull();
  });

  test('bounded by age', async () => {
    const store = make(100, 1);
    const old = await report(null, clock - 2 * 3600_000);
    const fresh = await report(null, clock - 60_000);
    await store.add(old);
    await store.add(fresh);
    expect((await store.list({ limit: 10 })).map((r) => r.id)).toEqual([fresh.id]);
    expect(await store.get(old.id)).toBeNull();
    clock += 3600_000;
    expect(await store.list({ limit: 10 })).toEqual([]);
    clock -= 3600_000;
  });

  test('ordered by receivedAt whatever the completion order: newest first, since, count bound', async () => {
    const store = make(4, 48);
    const at = (s: number): Promise<Report> => report(null, clock - 100_000 + s * 1000);
    const [r1, r2, r3, r4, r5] = await Promise.all([1, 2, 3, 4, 5].map(at));
    if (!r1 || !r2 || !r3 || !r4 || !r5) throw new Error('no reports');
    // r2 waited on a key refresh: it completes after r3 and r4, which came later.
    for (const r of [r1, r3, r4, r2]) await store.add(r);
    expect((await store.list({ limit: 10 })).map((r) => r.id)).toEqual([r4.id, r3.id, r2.id, r1.id]);
    expect((await store.list({ limit: 10, since: new Date(Date.parse(r2.receivedAt)) })).map((r) => r.id)).toEqual([r4.id, r3.id, r2.id]);
    // The oldest by receivedAt goes first, not the first added.
    await store.add(r5);
    await settle(store);
    expect((await store.list({ limit: 10 })).map((r) => r.id)).toEqual([r5.id, r4.id, r3.id, r2.id]);
    expect(await store.get(r1.id)).toBeNull();
    // A late report older than everything kept is past the bound at once.
    const r0 = await at(0);
    await store.add(r0);
    await settle(store);
    expect((await store.list({ limit: 10 })).map((r) => r.id)).toEqual([r5.id, r4.id, r3.id, r2.id]);
  });

  test('a report of the largest size a call can produce round-trips', async () => {
    const store = make(10, 48);
    const big = await report(`Bearer ${'x'.repeat(16 * 1024)}.${'y'.repeat(100)}`);
    big.request.headers['x-padding'] = 'z'.repeat(60 * 1024);
    await store.add(big);
    expect(await store.get(big.id)).toEqual(big);
  });
});

describe('parseFilter', () => {
  test('valid filters', () => {
    const r = parseFilter(new URLSearchParams('limit=5&verdict=invalid&code=EXPIRED&since=2026-11-27T00:00:00Z'));
    expect(r).toEqual({ ok: true, filter: { limit: 5, verdict: 'invalid', code: 'EXPIRED', since: new Date('2026-11-27T00:00:00Z') } });
  });
  test('each bad filter is named', () => {
    const r = parseFilter(new URLSearchParams('limit=0&verdict=ok&code=NOPE&since=yesterday'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.split(' ')[0])).toEqual(['limit', 'verdict', 'code', 'since']);
  });
});
