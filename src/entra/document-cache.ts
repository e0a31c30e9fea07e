/**
 * A cache of one remote document, following Microsoft's signing-key rollover guidance
 * (learn.microsoft.com/entra/identity-platform/signing-key-rollover, and Microsoft.IdentityModel's
 * BaseConfigurationManager):
 * - a good copy is kept 24 hours;
 * - callers that miss at the same time share one fetch;
 * - a forced refresh (an unknown `kid`) happens at most once per 5 minutes; as in .NET's
 *   ConfigurationManager.RequestRefresh, the first one is honoured at once;
 * - a failed fetch keeps the last good copy ("last known good");
 * - with no good copy, a failure is remembered for a short back-off so an outage is not hammered.
 */
export const CACHE_TTL_MS = 24 * 60 * 60 * 1000;
export const MIN_REFRESH_INTERVAL_MS = 5 * 60 * 1000;
export const FAILURE_BACKOFF_MS = 10 * 1000;

export type Clock = () => number;

export type CacheResult<T> = { ok: true; value: T; refreshed: boolean } | { ok: false; problem: string };

export class DocumentCache<T> {
  #value: T | undefined;
  #fetchedAt = 0;
  #lastAttemptAt = Number.NEGATIVE_INFINITY;
  #lastForcedRefreshAt = Number.NEGATIVE_INFINITY;
  #lastProblem: string | undefined;
  #inflight: Promise<CacheResult<T>> | undefined;
  readonly #load: () => Promise<T>;
  readonly #now: Clock;

  constructor(load: () => Promise<T>, now: Clock) {
    this.#load = load;
    this.#now = now;
  }

  /** The cached copy, fetching it when missing or older than 24 h; `refresh` asks for a new copy (rate-limited). */
  get(options: { refresh?: boolean } = {}): Promise<CacheResult<T>> {
    if (this.#inflight) return this.#inflight;
    const now = this.#now();
    if (this.#value !== undefined) {
      const fresh = now - this.#fetchedAt < CACHE_TTL_MS;
      const mayRefresh = now - this.#lastForcedRefreshAt >= MIN_REFRESH_INTERVAL_MS;
      if (fresh && (!options.refresh || !mayRefresh)) return Promise.resolve({ ok: true, value: this.#value, refreshed: false });
      if (fresh) this.#lastForcedRefreshAt = now;
    } else if (this.#lastProblem !== undefined && now - this.#lastAttemptAt < FAILURE_BACKOFF_MS) {
      return Promise.resolve({ ok: false, problem: this.#lastProblem });
    }
    this.#lastAttemptAt = now;
    const attempt = this.#fetch();
    this.#inflight = attempt;
    void attempt.finally(() => {
      if (this.#inflight === attempt) this.#inflight = undefined;
    });
    return attempt;
  }

  async #fetch(): Promise<CacheResult<T>> {
    try {
      const value = await this.#load();
      this.#value = value;
      this.#fetchedAt = this.#now();
      this.#lastProblem = undefined;
      return { ok: true, value, refreshed: true };
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      this.#lastProblem = problem;
      // Last known good: a failed refresh keeps serving the copy we had.
      if (this.#value !== undefined) return { ok: true, value: this.#value, refreshed: false };
      return { ok: false, problem };
    }
  }
}
