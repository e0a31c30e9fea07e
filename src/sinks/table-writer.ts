import type { TableClient, TransactionAction } from '@azure/data-tables';

/**
 * Writes the table history's rows behind the calls: a call hands its row over and goes on, and
 * the rows are written in the background in entity group transactions (one partition, at most 100
 * operations and 4 MiB a transaction: learn.microsoft.com/rest/api/storageservices/performing-entity-group-transactions),
 * one transaction at a time, the rows that arrive meanwhile making up the next one. A slow or
 * unreachable storage account then never slows a call, and a busy instance writes many rows per
 * round trip. What waits is bounded in bytes; past that the oldest waiting rows are dropped (and
 * said so in the log).
 */
export const MAX_PENDING_BYTES = 8 * 2 ** 20;
const MAX_BATCH_ROWS = 100;
/** Characters of report text in one transaction: at most 3 bytes each in UTF-8, under the 4 MiB limit. */
const MAX_BATCH_CHARS = 1_000_000;

export interface PendingRow {
  entity: { partitionKey: string; rowKey: string; reportId: string } & Record<string, unknown>;
  /** The report's JSON length, for the budgets. */
  chars: number;
}

export class TableWriter {
  readonly #client: TableClient;
  readonly #ready: () => Promise<void>;
  readonly #written: (count: number) => Promise<void>;
  readonly #warn: (message: string) => void;
  #pending: PendingRow[] = [];
  #pendingChars = 0;
  #running = false;
  /** Rows handed over, and rows written or given up: a flush waits until the second reaches the first as it was. */
  #handed = 0;
  #done = 0;
  #waiters: Array<{ target: number; resolve: () => void }> = [];
  #dropped = 0;
  #droppedSaidAt = Number.NEGATIVE_INFINITY;

  constructor(client: TableClient, options: { ready: () => Promise<void>; written: (count: number) => Promise<void>; warn: (message: string) => void }) {
    this.#client = client;
    this.#ready = options.ready;
    this.#written = options.written;
    this.#warn = options.warn;
  }

  /** Hands a row over; never waits and never throws. */
  write(row: PendingRow): void {
    this.#pending.push(row);
    this.#pendingChars += row.chars;
    this.#handed += 1;
    let dropped = 0;
    while (this.#pendingChars * 2 > MAX_PENDING_BYTES && this.#pending.length > 1) {
      const oldest = this.#pending.shift();
      if (oldest === undefined) break;
      this.#pendingChars -= oldest.chars;
      dropped += 1;
    }
    if (dropped > 0) {
      this.#settle(dropped);
      this.#dropped += dropped;
      // Said at most every 10 seconds, with the count since: a storage account that cannot keep up must not flood the log.
      const now = Date.now();
      if (now - this.#droppedSaidAt >= 10_000) {
        this.#warn(`token-echo: the table history is behind; ${this.#dropped} waiting report(s) dropped to stay within ${MAX_PENDING_BYTES / 2 ** 20} MiB`);
        this.#dropped = 0;
        this.#droppedSaidAt = now;
      }
    }
    if (!this.#running) {
      this.#running = true;
      void this.#drain().catch(() => {
        this.#running = false;
      });
    }
  }

  /** What waits to be written, in bytes (two a character). */
  get pendingBytes(): number {
    return this.#pendingChars * 2;
  }

  /** Resolves once every row handed over so far is written (or given up). */
  flush(): Promise<void> {
    if (this.#done >= this.#handed) return Promise.resolve();
    const target = this.#handed;
    return new Promise((resolve) => this.#waiters.push({ target, resolve }));
  }

  /** Runs while rows wait; `#running` is cleared in the same turn as the last check, so no row is left behind. */
  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch: PendingRow[] = [];
      let chars = 0;
      while (batch.length < MAX_BATCH_ROWS && this.#pending.length > 0) {
        const next = this.#pending[0] as PendingRow;
        if (batch.length > 0 && chars + next.chars > MAX_BATCH_CHARS) break;
        batch.push(next);
        chars += next.chars;
        this.#pending.shift();
      }
      this.#pendingChars -= chars;
      try {
        await this.#ready();
        const actions: TransactionAction[] = batch.map((row) => ['upsert', row.entity, 'Replace']);
        await this.#client.submitTransaction(actions);
        await this.#written(batch.length);
      } catch (error) {
        const first = batch[0]?.entity.reportId ?? '?';
        const others = batch.length > 1 ? ` (and ${batch.length - 1} more)` : '';
        this.#warn(`token-echo: history write of report ${first} failed${others}: ${JSON.stringify(error instanceof Error ? error.message : String(error)).replace(/[^\x20-\x7e]/g, '?')}`);
      }
      this.#settle(batch.length);
    }
    this.#running = false;
  }

  #settle(count: number): void {
    this.#done += count;
    const still: Array<{ target: number; resolve: () => void }> = [];
    for (const waiter of this.#waiters) {
      if (this.#done >= waiter.target) waiter.resolve();
      else still.push(waiter);
    }
    this.#waiters = still;
  }
}
