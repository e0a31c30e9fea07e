import { type TableClient, type TableEntityResult, type TransactionAction, odata } from '@azure/data-tables';

import type { Report } from '../report/report.js';
import { type HistoryFilter, type HistoryStore, matches } from './history.js';
import { TableWriter } from './table-writer.js';

/**
 * The history in Azure Table Storage, through the function app's own storage account, so every
 * instance of a scaled-out app sees the same calls. One partition; the row key is the inverted
 * receive time, so a plain query returns the newest first, in receivedAt order whatever order the
 * calls finished in. A report is stored as JSON split over a few string properties (a property
 * holds at most 64 KiB). Rows are written behind the calls, in batches (table-writer.ts); a read
 * on this instance first waits for the rows it has handed over, so it sees its own writes.
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
  #writesSincePrune = 0;
  readonly #slack: number;
  readonly #writer: TableWriter;
  readonly #warn: (message: string) => void;

  constructor(client: TableClient, options: { max: number; ttlHours: number; now?: () => number; warn?: (message: string) => void }) {
    this.#client = client;
    this.#warn = options.warn ?? console.warn;
    this.#writer = new TableWriter(client, {
      ready: () => this.#ensureTable(),
      written: (count) => {
        this.#schedulePrune(count);
        return Promise.resolve();
      },
      warn: this.#warn,
    });
    this.#max = options.max;
    this.#slack = Math.max(1, Math.ceil(options.max / 10));
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

  /** Hands the report to the writer: the call does not wait for storage. */
  add(report: Report, json: string = JSON.stringify(report)): Promise<void> {
    const chunks = Math.ceil(json.length / CHUNK) || 1;
    if (chunks > MAX_CHUNKS) return Promise.reject(new Error(`report ${report.id} is too large for the table history (${json.length} characters)`));
    const row: Row = {
      partitionKey: PARTITION,
      rowKey: rowKeyFor(report),
      reportId: report.id,
      verdict: report.verdict,
      receivedAt: new Date(report.receivedAt),
      chunks,
    };
    for (let i = 0; i < chunks; i += 1) row[`r${i}`] = json.slice(i * CHUNK, (i + 1) * CHUNK);
    this.#writer.write({ entity: row, chars: json.length });
    return Promise.resolve();
  }

  /** Resolves once the reports handed over so far are written (or given up). */
  flush(): Promise<void> {
    return this.#writer.flush();
  }

  async list(filter: HistoryFilter): Promise<Report[]> {
    await this.#writer.flush();
    await this.#ensureTable();
    const cutoff = new Date(Math.max(this.#now() - this.#ttlMs, filter.since?.getTime() ?? 0));
    // Newest first (the row key); only time bounds go to the server, so that the rows seen can be
    // counted: rows past the newest `max` wait for the next prune and are never shown.
    const filterText = odata`PartitionKey eq ${PARTITION} and receivedAt ge ${cutoff}`;
    const out: Report[] = [];
    let seen = 0;
    for await (const entity of this.#client.listEntities<Row>({ queryOptions: { filter: filterText } })) {
      seen += 1;
      if (seen > this.#max) break;
      const report = fromRow(entity);
      if (report && matches(report, filter)) out.push(report);
      if (out.length >= filter.limit) break;
    }
    return out;
  }

  async get(id: string): Promise<Report | null> {
    await this.#writer.flush();
    await this.#ensureTable();
    const cutoff = new Date(this.#now() - this.#ttlMs);
    for await (const entity of this.#client.listEntities<Row>({ queryOptions: { filter: odata`PartitionKey eq ${PARTITION} and reportId eq ${id} and receivedAt ge ${cutoff}` } })) {
      // Past the count bound (not yet pruned): as good as gone.
      const newer = await this.#rowKeys(odata`PartitionKey eq ${PARTITION} and RowKey lt ${entity.rowKey}`, this.#max);
      return newer.length >= this.#max ? null : fromRow(entity);
    }
    return null;
  }

  async clear(): Promise<number> {
    await this.#writer.flush();
    await this.#ensureTable();
    return this.#delete(await this.#rowKeys(odata`PartitionKey eq ${PARTITION}`));
  }

  /**
   * Drops what is past the count or the age bound, amortized: not a listing of the partition per
   * write, but one prune every `#slack` rows written by this instance (a tenth of the bound), in
   * the background, one at a time. The age bound deletes by time: rows older than the cutoff have
   * the largest row keys, so one range query lists exactly them. The count bound finds the row key
   * of the newest `max`-th row (row keys only, 1,000 a page) and deletes the range past it. At
   * steady state a write costs a share of a batched upsert and a tenth of a prune's few round
   * trips: O(1). Between prunes the table may hold up to `#slack` rows per instance beyond the
   * bound; reads never show them.
   */
  #schedulePrune(written: number): void {
    this.#writesSincePrune += written;
    if (this.#writesSincePrune < this.#slack || this.#pruning) return;
    this.#writesSincePrune = 0;
    this.#pruning = this.prune()
      .then(() => undefined)
      .catch((error: unknown) => this.#warn(`token-echo: pruning the table history failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.#pruning = undefined;
      });
  }

  /** Waits for the rows handed over and a prune under way (tests, shutdown). */
  async settled(): Promise<void> {
    await this.#writer.flush();
    await this.#pruning;
  }

  /** Prunes now: rows past the age bound, then past the count bound. Returns how many were deleted. */
  async prune(): Promise<number> {
    await this.#ensureTable();
    const cutoff = rowKeyFor({ receivedAt: new Date(this.#now() - this.#ttlMs).toISOString(), id: '' });
    let deleted = await this.#delete(await this.#rowKeys(odata`PartitionKey eq ${PARTITION} and RowKey gt ${cutoff}`));
    const boundary = await this.#countBoundary();
    if (boundary !== null) deleted += await this.#delete(await this.#rowKeys(odata`PartitionKey eq ${PARTITION} and RowKey gt ${boundary}`));
    return deleted;
  }

  /** The row key of the newest `max`-th row, or null when there are no more rows than that. */
  async #countBoundary(): Promise<string | null> {
    let index = 0;
    const rows = this.#client.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${PARTITION}`, select: ['RowKey'] } });
    for await (const row of rows) {
      index += 1;
      if (index === this.#max) return row.rowKey ?? null;
    }
    return null;
  }

  /** Row keys matching `filter`, newest first; at most `limit`. */
  async #rowKeys(filter: string, limit = Number.POSITIVE_INFINITY): Promise<string[]> {
    const keys: string[] = [];
    for await (const row of this.#client.listEntities({ queryOptions: { filter, select: ['RowKey'] } })) {
      if (keys.length >= limit) break;
      if (row.rowKey !== undefined) keys.push(row.rowKey);
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
