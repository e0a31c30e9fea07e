import { type TableClient, type TableEntityResult, type TransactionAction, odata } from '@azure/data-tables';

import type { Report } from '../report/report.js';
import { type HistoryFilter, type HistoryStore, matches } from './history.js';

/**
 * The history in Azure Table Storage, through the function app's own storage account, so every
 * instance of a scaled-out app sees the same calls. One partition; the row key is the inverted
 * receive time, so a plain query returns the newest first. A report is stored as JSON split over
 * a few string properties (a property holds at most 64 KiB).
 */
const PARTITION = 'report';
const CHUNK = 30_000;
const MAX_CHUNKS = 12;

type Row = { partitionKey: string; rowKey: string; reportId: string; verdict: string; receivedAt: Date; chunks: number } & Record<string, unknown>;

export function rowKeyFor(report: Pick<Report, 'receivedAt' | 'id'>): string {
  return `${String(9_999_999_999_999 - Date.parse(report.receivedAt)).padStart(13, '0')}_${report.id}`;
}

export class TableHistory implements HistoryStore {
  readonly kind = 'table';
  readonly #client: TableClient;
  readonly #max: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #ready: Promise<void> | undefined;
  #pruning: Promise<void> | undefined;
  #pruneAgain = false;

  constructor(client: TableClient, options: { max: number; ttlHours: number; now?: () => number }) {
    this.#client = client;
    this.#max = options.max;
    this.#ttlMs = options.ttlHours * 3600_000;
    this.#now = options.now ?? Date.now;
  }

  /** Creates the table once per instance; a failure is retried on the next call. */
  #ensureTable(): Promise<void> {
    this.#ready ??= this.#client.createTable().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async add(report: Report): Promise<void> {
    await this.#ensureTable();
    const json = JSON.stringify(report);
    const chunks = Math.ceil(json.length / CHUNK) || 1;
    if (chunks > MAX_CHUNKS) throw new Error(`report ${report.id} is too large for the table history (${json.length} characters)`);
    const row: Row = {
      partitionKey: PARTITION,
      rowKey: rowKeyFor(report),
      reportId: report.id,
      verdict: report.verdict,
      receivedAt: new Date(report.receivedAt),
      chunks,
    };
    for (let i = 0; i < chunks; i += 1) row[`r${i}`] = json.slice(i * CHUNK, (i + 1) * CHUNK);
    await this.#client.upsertEntity(row, 'Replace');
    await this.#prune();
  }

  async list(filter: HistoryFilter): Promise<Report[]> {
    await this.#ensureTable();
    const cutoff = new Date(Math.max(this.#now() - this.#ttlMs, filter.since?.getTime() ?? 0));
    const conditions = [odata`PartitionKey eq ${PARTITION}`, odata`receivedAt ge ${cutoff}`];
    if (filter.verdict !== undefined) conditions.push(odata`verdict eq ${filter.verdict}`);
    const out: Report[] = [];
    for await (const entity of this.#client.listEntities<Row>({ queryOptions: { filter: conditions.join(' and ') } })) {
      const report = fromRow(entity);
      if (report && matches(report, filter)) out.push(report);
      if (out.length >= filter.limit) break;
    }
    return out;
  }

  async get(id: string): Promise<Report | null> {
    await this.#ensureTable();
    const cutoff = new Date(this.#now() - this.#ttlMs);
    for await (const entity of this.#client.listEntities<Row>({ queryOptions: { filter: odata`PartitionKey eq ${PARTITION} and reportId eq ${id} and receivedAt ge ${cutoff}` } })) {
      return fromRow(entity);
    }
    return null;
  }

  async clear(): Promise<number> {
    await this.#ensureTable();
    return this.#delete(await this.#keys(() => true));
  }

  /** Drops what is past the count or the age bound; concurrent adds share one prune. */
  #prune(): Promise<void> {
    if (this.#pruning) {
      this.#pruneAgain = true;
      return this.#pruning;
    }
    this.#pruning = (async () => {
      do {
        this.#pruneAgain = false;
        const cutoff = this.#now() - this.#ttlMs;
        await this.#delete(await this.#keys((index, receivedAt) => index >= this.#max || receivedAt < cutoff));
      } while (this.#pruneAgain);
    })().finally(() => {
      this.#pruning = undefined;
    });
    return this.#pruning;
  }

  async #keys(select: (index: number, receivedAt: number) => boolean): Promise<string[]> {
    const keys: string[] = [];
    let index = 0;
    const rows = this.#client.listEntities<{ receivedAt: Date }>({ queryOptions: { filter: odata`PartitionKey eq ${PARTITION}`, select: ['RowKey', 'receivedAt'] } });
    for await (const row of rows) {
      if (select(index, row.receivedAt instanceof Date ? row.receivedAt.getTime() : Date.parse(String(row.receivedAt)))) keys.push(row.rowKey as string);
      index += 1;
    }
    return keys;
  }

  async #delete(rowKeys: string[]): Promise<number> {
    // Entity group transactions: at most 100 operations, one partition.
    for (let i = 0; i < rowKeys.length; i += 100) {
      const actions: TransactionAction[] = rowKeys.slice(i, i + 100).map((rowKey) => ['delete', { partitionKey: PARTITION, rowKey }]);
      try {
        await this.#client.submitTransaction(actions);
      } catch {
        // Another instance may have deleted some of them: fall back to one by one, ignoring 404.
        for (const [, entity] of actions) {
          await this.#client.deleteEntity(entity.partitionKey, entity.rowKey).catch((e: { statusCode?: number }) => {
            if (e.statusCode !== 404) throw e;
          });
        }
      }
    }
    return rowKeys.length;
  }
}

function fromRow(entity: TableEntityResult<Row>): Report | null {
  const chunks = typeof entity.chunks === 'number' ? entity.chunks : 0;
  let json = '';
  for (let i = 0; i < chunks; i += 1) json += String(entity[`r${i}`] ?? '');
  try {
    return JSON.parse(json) as Report;
  } catch {
    return null;
  }
}
