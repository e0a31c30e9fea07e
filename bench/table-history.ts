import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';

import { TableClient, type TransactionAction } from '@azure/data-tables';

import { freePort } from '../src/dev/free-port.js';
import { rowKeyFor } from '../src/sinks/table-history.js';
import type { LoadResult } from './results-table.js';

/**
 * The table history's cost at its bound (issue 11): token-echo with the `table` history on Azurite
 * (the `azurite` package's Table service, in memory, on loopback), the table filled to 2,000 and
 * then 10,000 rows with TOKEN_ECHO_HISTORY_MAX at that count, against the same server with the
 * `memory` history, phase after phase in each round. The figure is the p99 of an echo call, table
 * over memory, per round; the target is ≤ 1.2× (before the pruning was amortized, each write listed
 * the whole partition: 358 ms a call at 2,000 rows, 725 ms at 10,000).
 */
export interface TableHistoryPhase {
  rows: number;
  rounds: Array<{ memory: LoadResult; table: LoadResult }>;
}

export interface TableHistoryDeps {
  root: string;
  cli: string;
  rounds: number;
  duration: number;
  warmup: number;
  tokenEchoEnv: Record<string, string>;
  tokensFile: string;
  node(args: string[], extra: Record<string, string>): ChildProcess;
  waitReady(url: string): Promise<number>;
  load(url: string, tokensFile: string, duration: number): Promise<LoadResult>;
  stop(child: ChildProcess): Promise<void>;
}

async function startAzurite(root: string): Promise<{ connectionString: string; child: ChildProcess }> {
  const port = await freePort();
  const account = 'tokenechobench';
  const key = randomBytes(32).toString('base64');
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules/azurite/dist/src/table/main.js'), '--tableHost', '127.0.0.1', '--tablePort', String(port), '--inMemoryPersistence', '--skipApiVersionCheck', '--disableTelemetry', '--silent'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', AZURITE_ACCOUNTS: `${account}:${key}` } },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Azurite did not start:\n${output}`)), 20_000);
    const onData = (d: Buffer): void => {
      output += d.toString();
      if (/successfully started/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`Azurite exited with ${code}:\n${output}`)));
  });
  return { connectionString: `DefaultEndpointsProtocol=http;AccountName=${account};AccountKey=${key};TableEndpoint=http://127.0.0.1:${port}/${account};`, child };
}

/** Fills `table` with `rows` reports of a real report's size, 100 a transaction, received over the last hour. */
async function fill(connectionString: string, table: string, rows: number, sample: string): Promise<void> {
  const client = TableClient.fromConnectionString(connectionString, table, { allowInsecureConnection: true });
  await client.createTable();
  const start = Date.now() - 3600_000;
  for (let done = 0; done < rows; done += 100) {
    const actions: TransactionAction[] = [];
    for (let i = done; i < Math.min(rows, done + 100); i += 1) {
      const receivedAt = new Date(start + i * 100).toISOString();
      const id = randomUUID();
      actions.push(['upsert', { partitionKey: 'report', rowKey: rowKeyFor({ receivedAt, id }), reportId: id, verdict: 'valid', receivedAt: new Date(receivedAt), chunks: 1, r0: sample }]);
    }
    await client.submitTransaction(actions);
  }
}

export async function tableHistoryPhases(deps: TableHistoryDeps, counts: number[] = [2000, 10_000]): Promise<TableHistoryPhase[]> {
  const azurite = await startAzurite(deps.root);
  const out: TableHistoryPhase[] = [];
  try {
    for (const rows of counts) {
      const memoryPort = await freePort();
      const memory = deps.node([deps.cli, 'serve', '--port', String(memoryPort)], { ...deps.tokenEchoEnv, TOKEN_ECHO_HISTORY: 'memory', TOKEN_ECHO_HISTORY_MAX: String(rows) });
      const memoryUrl = `http://127.0.0.1:${memoryPort}/api/echo`;
      await deps.waitReady(memoryUrl);
      const sample = await (await fetch(memoryUrl)).text();
      const table = `bench${rows}${randomBytes(4).toString('hex')}`;
      await fill(azurite.connectionString, table, rows, sample);
      const tablePort = await freePort();
      const tableServer = deps.node([deps.cli, 'serve', '--port', String(tablePort)], {
        ...deps.tokenEchoEnv,
        TOKEN_ECHO_HISTORY: 'table',
        TOKEN_ECHO_HISTORY_MAX: String(rows),
        TOKEN_ECHO_HISTORY_TABLE: table,
        AzureWebJobsStorage: azurite.connectionString,
      });
      const tableUrl = `http://127.0.0.1:${tablePort}/api/echo`;
      try {
        await deps.waitReady(tableUrl);
        const phase: TableHistoryPhase = { rows, rounds: [] };
        for (let round = 0; round < deps.rounds; round += 1) {
          if (deps.warmup > 0) await deps.load(memoryUrl, deps.tokensFile, deps.warmup);
          const m = await deps.load(memoryUrl, deps.tokensFile, deps.duration);
          if (deps.warmup > 0) await deps.load(tableUrl, deps.tokensFile, deps.warmup);
          const t = await deps.load(tableUrl, deps.tokensFile, deps.duration);
          phase.rounds.push({ memory: m, table: t });
          console.log(`  table history, ${rows} rows, round ${round + 1}: p99 memory ${m.p99} ms, table ${t.p99} ms (${Math.round(m.rps)} vs ${Math.round(t.rps)} req/s)`);
        }
        out.push(phase);
      } finally {
        await deps.stop(tableServer);
        await deps.stop(memory);
      }
    }
  } finally {
    await deps.stop(azurite.child);
  }
  return out;
}
