import { randomBytes, randomUUID } from 'node:crypto';
import net from 'node:net';

import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, expect, test } from 'vitest';

import { MAX_PENDING_BYTES, TableWriter } from '../../src/sinks/table-writer.js';
import { type Azurite, startAzurite } from '../helpers/azurite.js';

/**
 * The table history's writer (issue 11): rows are written behind the calls in entity group
 * transactions, and what waits is bounded in bytes when storage cannot keep up.
 */
let azurite: Azurite;
let hanging: net.Server;
let hangingPort = 0;
beforeAll(async () => {
  azurite = await startAzurite();
  hanging = net.createServer(() => undefined);
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  hangingPort = (hanging.address() as net.AddressInfo).port;
});
afterAll(async () => {
  hanging.close();
  await azurite.stop();
});

const row = (chars: number): { entity: { partitionKey: string; rowKey: string; reportId: string; r0: string }; chars: number } => {
  const id = randomUUID();
  return { entity: { partitionKey: 'report', rowKey: id, reportId: id, r0: 'x'.repeat(chars) }, chars };
};

test('250 rows handed over at once are written in a few transactions; flush waits for them', async () => {
  let requests = 0;
  const table = `w${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const client = TableClient.fromConnectionString(azurite.connectionString, table, {
    allowInsecureConnection: true,
    additionalPolicies: [{ policy: { name: 'count', sendRequest: (request, next) => ((requests += 1), next(request)) }, position: 'perCall' }],
  });
  await client.createTable();
  const writer = new TableWriter(client, { ready: () => Promise.resolve(), written: () => Promise.resolve(), warn: () => undefined });
  const before = requests;
  for (let i = 0; i < 250; i += 1) writer.write(row(500));
  await writer.flush();
  // The first row goes alone, the rest 100 a transaction.
  expect(requests - before).toBeLessThanOrEqual(4);
  let rows = 0;
  for await (const entity of client.listEntities({ queryOptions: { select: ['RowKey'] } })) if (entity.rowKey !== undefined) rows += 1;
  expect(rows).toBe(250);
});

test('storage that hangs: what waits stays within its byte budget, and the drops are said (once)', () => {
  const key = randomBytes(32).toString('base64');
  const client = TableClient.fromConnectionString(`DefaultEndpointsProtocol=http;AccountName=hang;AccountKey=${key};TableEndpoint=http://127.0.0.1:${hangingPort}/hang;`, 'hangtable', { allowInsecureConnection: true });
  const warnings: string[] = [];
  const writer = new TableWriter(client, { ready: () => Promise.resolve(), written: () => Promise.resolve(), warn: (m) => warnings.push(m) });
  for (let i = 0; i < 2000; i += 1) {
    writer.write(row(10_000));
    expect(writer.pendingBytes).toBeLessThanOrEqual(MAX_PENDING_BYTES);
  }
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/table history is behind; \d+ waiting report\(s\) dropped/);
});
