import type { Report } from '../report/report.js';
import { type HistoryFilter, type HistoryStore, matches } from './history.js';

/**
 * The history per instance: right for `npm start` and one-instance apps. A report is kept as its
 * JSON text (the answer's body) with the few fields the filters need: hundreds of kept reports are
 * then a few hundred flat strings, which the garbage collector never traces into.
 *
 * Kept in `receivedAt` order, whatever order the calls finish in (a call that waited on the
 * authority finishes after a later one): adding appends, or, for a late report, is placed by
 * binary search. Bounded by count, by bytes (enforced on insert) and by age; the oldest go first.
 */
interface Entry {
  id: string;
  receivedAt: number;
  json: string;
  bytes: number;
}

const parse = (json: string): Report => JSON.parse(json) as Report;

/** What a kept report costs: its text (two bytes a character once any is beyond Latin-1, as V8 stores it) and the entry. */
export function entryBytes(json: string): number {
  // eslint-disable-next-line no-control-regex
  return json.length * (/[^\u0000-\u00ff]/.test(json) ? 2 : 1) + 160;
}

export class MemoryHistory implements HistoryStore {
  readonly kind = 'memory';
  /** Entries from `#head` on, oldest first by receivedAt; the slots before `#head` were dropped. */
  #entries: Entry[] = [];
  #head = 0;
  #bytes = 0;
  readonly #max: number;
  readonly #maxBytes: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { max: number; ttlHours: number; maxBytes?: number; now?: () => number }) {
    this.#max = options.max;
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    this.#ttlMs = options.ttlHours * 3600_000;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.length - this.#head;
  }

  /** What the kept reports take, by entryBytes. */
  get bytes(): number {
    return this.#bytes;
  }

  /** `json` is the report's JSON when the caller has it already (the answer's body). */
  add(report: Report, json: string = JSON.stringify(report)): Promise<void> {
    const entry: Entry = { id: report.id, receivedAt: Date.parse(report.receivedAt), json, bytes: entryBytes(json) };
    // A report larger than the whole budget is not kept (the answer already carried it).
    if (entry.bytes > this.#maxBytes) return Promise.resolve();
    const entries = this.#entries;
    const last = entries[entries.length - 1];
    if (this.size === 0 || last === undefined || last.receivedAt <= entry.receivedAt) entries.push(entry);
    else entries.splice(this.#insertionPoint(entry.receivedAt), 0, entry);
    this.#bytes += entry.bytes;
    while (this.size > this.#max || this.#bytes > this.#maxBytes) this.#dropOldest();
    return Promise.resolve();
  }

  /** The first index whose entry was received after `at` (entries received at the same time keep arrival order). */
  #insertionPoint(at: number): number {
    let lo = this.#head;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#entries[mid]?.receivedAt ?? 0) <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #dropOldest(): void {
    const oldest = this.#entries[this.#head];
    if (oldest === undefined) return;
    this.#bytes -= oldest.bytes;
    this.#entries[this.#head] = undefined as unknown as Entry;
    this.#head += 1;
    // Dropped slots are given back once they are half the array: O(1) amortized.
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Newest first, skipping those past their age. */
  *#newest(): Generator<Entry> {
    const cutoff = this.#now() - this.#ttlMs;
    for (let i = this.#entries.length - 1; i >= this.#head; i -= 1) {
      const entry = this.#entries[i];
      // In receivedAt order: the first one past its age ends the walk.
      if (entry === undefined || entry.receivedAt < cutoff) return;
      yield entry;
    }
  }

  list(filter: HistoryFilter): Promise<Report[]> {
    const out: Report[] = [];
    for (const entry of this.#newest()) {
      if (out.length >= filter.limit) break;
      if (filter.since !== undefined && entry.receivedAt < filter.since.getTime()) break;
      const report = parse(entry.json);
      if (matches(report, filter)) out.push(report);
    }
    return Promise.resolve(out);
  }

  get(id: string): Promise<Report | null> {
    for (const entry of this.#newest()) if (entry.id === id) return Promise.resolve(parse(entry.json));
    return Promise.resolve(null);
  }

  clear(): Promise<number> {
    const count = [...this.#newest()].length;
    this.#entries = [];
    this.#head = 0;
    this.#bytes = 0;
    return Promise.resolve(count);
  }
}
