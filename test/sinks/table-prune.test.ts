import { randomUUID } from 'node:crypto';

import { TableClient, type TransactionAction } from '@azure/data-tables';
import { afterAll, beforeAll, expect, test } from 'vitest';

import { loadConfig } from '../../src/config.js';
import { inspect } from '../../src/inspect/inspect.js';
import type { Report } from '../../src/report/report.js';
import { TableHistory, rowKeyFor } from '../../src/sinks/table-history.js';
import { type Azurite, startAzurite } from '../helpers/azurite.js';

/**
 * Issue 11: the table history's pruning is amortized. With 2,000 rows at the bound, a write costs
 * its upsert and a small share of a prune, counted as HTTP requests reaching Azurite (a real Table
 * service on loopback), not a listing of the whole partition per write. (Its latency is measured
 * by the bench's table-history phase, not here.)
 */
let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite.stop());

function countingClient(table: string): { client: TableClient; requests: () => number } {
  let requests = 0;
  const client = TableClient.fromConnectionString(azurite.connectionString, table, {
    allowInsecureConnection: true,
    additionalPolicies: [{ policy: { name: 'count', sendRequest: (request, next) => ((requests += 1), next(request)) }, position: 'perCall' }],
  });
  return { client, requests: () => requests };
}

async function reportAt(at: number): Promise<Report> {
  return inspect({ method: 'GET', url: '/api/echo', headers: [], bodySize: 0 }, loadConfig({}), null, { now: new Date(at), id: randomUUID() });
}

test('at 2,000 rows a write costs O(1) round trips, and the bound holds after the prunes', async () => {
  const MAX = 2000;
  const table = `p${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const { client, requests } = countingClient(table);
  await client.createTable();
  // Fill to the bound directly, 100 rows a transaction.
  const start = Date.now() - 3600_000;
  const template = await reportAt(start);
  const json = JSON.stringify(template);
  for (let batch = 0; batch < MAX / 100; batch += 1) {
    const actions: TransactionAction[] = [];
    for (let i = 0; i < 100; i += 1) {
      const at = new Date(start + (batch * 100 + i) * 10).toISOString();
      const id = randomUUID();
      actions.push(['upsert', { partitionKey: 'report', rowKey: rowKeyFor({ receivedAt: at, id }), reportId: id, verdict: 'no_token', receivedAt: new Date(at), chunks: 1, r0: json }]);
    }
    await client.submitTransaction(actions);
  }
  const store = new TableHistory(client, { max: MAX, ttlHours: 48 });
  await store.list({ limit: 1 }); // the table exists
  const before = requests();
  const WRITES = 400;
  for (let i = 0; i < WRITES; i += 1) await store.add(await reportAt(start + 60_000 + i * 10));
  await store.settled();
  const perWrite = (requests() - before) / WRITES;
  // The upsert, plus one prune (a few round trips: the age range, 2 pages of row keys, the range past the bound, its deletes) per 200 writes.
  expect(perWrite).toBeLessThan(1.2);
  await store.prune();
  let rows = 0;
  for await (const row of client.listEntities({ queryOptions: { select: ['RowKey'] } })) if (row.rowKey !== undefined) rows += 1;
  expect(rows).toBe(MAX);
  expect(await store.list({ limit: 1 })).toHaveLength(1);
}, 120_000);
