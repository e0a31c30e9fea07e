import type { Report } from '../report/report.js';
import { type HistoryFilter, type HistoryStore, matches } from './history.js';

/** A ring buffer per instance: right for `npm start` and one-instance apps. */
export class MemoryHistory implements HistoryStore {
  readonly kind = 'memory';
  readonly #reports: Report[] = [];
  readonly #max: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { max: number; ttlHours: number; now?: () => number }) {
    this.#max = options.max;
    this.#ttlMs = options.ttlHours * 3600_000;
    this.#now = options.now ?? Date.now;
  }

  add(report: Report): Promise<void> {
    this.#reports.push(report);
    if (this.#reports.length > this.#max) this.#reports.splice(0, this.#reports.length - this.#max);
    this.#expire();
    return Promise.resolve();
  }

  list(filter: HistoryFilter): Promise<Report[]> {
    this.#expire();
    const out: Report[] = [];
    for (let i = this.#reports.length - 1; i >= 0 && out.length < filter.limit; i -= 1) {
      const report = this.#reports[i] as Report;
      if (matches(report, filter)) out.push(report);
    }
    return Promise.resolve(out);
  }

  get(id: string): Promise<Report | null> {
    this.#expire();
    return Promise.resolve(this.#reports.find((r) => r.id === id) ?? null);
  }

  clear(): Promise<number> {
    const count = this.#reports.length;
    this.#reports.length = 0;
    return Promise.resolve(count);
  }

  /** Reports arrive in time order, so the expired ones are at the front. */
  #expire(): void {
    const cutoff = this.#now() - this.#ttlMs;
    let n = 0;
    while (n < this.#reports.length && Date.parse((this.#reports[n] as Report).receivedAt) < cutoff) n += 1;
    if (n > 0) this.#reports.splice(0, n);
  }
}
