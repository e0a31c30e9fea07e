import type { Report } from '../report/report.js';
import { type HistoryFilter, type HistoryStore, matches } from './history.js';

/**
 * A ring buffer per instance: right for `npm start` and one-instance apps. A report is kept as its
 * JSON text (the answer's body) with the few fields the filters need: hundreds of kept reports are
 * then a few hundred flat strings, which the garbage collector never traces into, not a hundred
 * thousand small objects to trace and copy. Adding is O(1).
 */
interface Entry {
  id: string;
  receivedAt: number;
  json: string;
}

const parse = (json: string): Report => JSON.parse(json) as Report;

export class MemoryHistory implements HistoryStore {
  readonly kind = 'memory';
  /** Slots of the ring; `#next` is where the next report goes, `#size` how many are kept. */
  readonly #slots: Array<Entry | undefined>;
  #next = 0;
  #size = 0;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { max: number; ttlHours: number; now?: () => number }) {
    this.#slots = new Array<Entry | undefined>(options.max);
    this.#ttlMs = options.ttlHours * 3600_000;
    this.#now = options.now ?? Date.now;
  }

  /** `json` is the report's JSON when the caller has it already (the answer's body). */
  add(report: Report, json: string = JSON.stringify(report)): Promise<void> {
    this.#slots[this.#next] = { id: report.id, receivedAt: Date.parse(report.receivedAt), json };
    this.#next = (this.#next + 1) % this.#slots.length;
    if (this.#size < this.#slots.length) this.#size += 1;
    return Promise.resolve();
  }

  /** Newest first, skipping those past their age. */
  *#newest(): Generator<Entry> {
    const cutoff = this.#now() - this.#ttlMs;
    for (let i = 1; i <= this.#size; i += 1) {
      const entry = this.#slots[(this.#next - i + this.#slots.length) % this.#slots.length];
      // Reports arrive in time order: the first one past its age ends the walk.
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
    this.#slots.fill(undefined);
    this.#next = 0;
    this.#size = 0;
    return Promise.resolve(count);
  }
}
