/**
 * A cache of one remote document, following Microsoft's signing-key rollover guidance
 * (learn.microsoft.com/entra/identity-platform/signing-key-rollover) and the way Microsoft.IdentityModel's
 * ConfigurationManager<T>.GetConfigurationAsync serves it (IdentityModel 8.x,
 * src/Microsoft.IdentityModel.Protocols/Configuration/ConfigurationManager.cs): stale-while-revalidate.
 * - A good copy is kept 24 hours. Past that it is still served at once, and one refresh runs in the
 *   background (.NET: `_ = Task.Run(UpdateCurrentConfiguration)`, one at a time through
 *   `_configurationRetrieverState`): with good keys cached, no call ever waits on the authority.
 * - At most one fetch per document is in flight; callers that have nothing to serve share it.
 * - A forced refresh (an unknown `kid`) happens at most once per 5 minutes, the first at once
 *   (.NET's RequestRefresh). Only the caller that asked waits for it; a caller that does not ask
 *   (its `kid` is known) is served the cached copy, even while that refresh is in flight.
 * - A failed fetch keeps the last good copy ("last known good") and backs off: with a good copy,
 *   the next attempt is 1 minute later, then 2, 4, and every 5 minutes (.NET waits its
 *   RefreshInterval, 5 minutes, after a failed refresh). With nothing cached the caller gets the
 *   failure within one fetch timeout; the next attempt is 10 seconds later, then 20, 40..., up to
 *   every 5 minutes (.NET's bootstrap back-off doubles likewise up to its RefreshInterval).
 */
export const CACHE_TTL_MS = 24 * 60 * 60 * 1000;
export const MIN_REFRESH_INTERVAL_MS = 5 * 60 * 1000;
/** With nothing cached, the first retry after a failure. */
export const FAILURE_BACKOFF_MS = 10 * 1000;
/** With a good copy cached, the first retry after a failed refresh. */
export const STALE_FAILURE_BACKOFF_MS = 60 * 1000;
/** Every back-off grows to this, and no further. */
export const MAX_FAILURE_BACKOFF_MS = MIN_REFRESH_INTERVAL_MS;

export type Clock = () => number;

export type CacheResult<T> = { ok: true; value: T; refreshed: boolean } | { ok: false; problem: string };

export class DocumentCache<T> {
  #value: T | undefined;
  #fetchedAt = 0;
  /** No attempt before this time (the back-off after a failure). */
  #nextAttemptAt = Number.NEGATIVE_INFINITY;
  #failures = 0;
  #lastForcedRefreshAt = Number.NEGATIVE_INFINITY;
  #lastProblem: string | undefined;
  #inflight: Promise<CacheResult<T>> | undefined;
  readonly #load: () => Promise<T>;
  readonly #now: Clock;

  constructor(load: () => Promise<T>, now: Clock) {
    this.#load = load;
    this.#now = now;
  }

  /** The cached copy, at once when there is one; `refresh` asks for a new copy (rate-limited) and waits for it. */
  get(options: { refresh?: boolean } = {}): Promise<CacheResult<T>> {
    const now = this.#now();
    const value = this.#value;
    if (value !== undefined) {
      const cached: CacheResult<T> = { ok: true, value, refreshed: false };
      if (options.refresh) {
        // The caller whose kid is unknown waits for new keys: a fetch already under way, or one of its own.
        if (this.#inflight) return this.#inflight;
        if (now - this.#lastForcedRefreshAt >= MIN_REFRESH_INTERVAL_MS && now >= this.#nextAttemptAt) {
          this.#lastForcedRefreshAt = now;
          return this.#start(now);
        }
        return Promise.resolve(cached);
      }
      if (now - this.#fetchedAt >= CACHE_TTL_MS && !this.#inflight && now >= this.#nextAttemptAt) void this.#start(now);
      return Promise.resolve(cached);
    }
    if (this.#inflight) return this.#inflight;
    if (this.#lastProblem !== undefined && now < this.#nextAttemptAt) return Promise.resolve({ ok: false, problem: this.#lastProblem });
    return this.#start(now);
  }

  #start(now: number): Promise<CacheResult<T>> {
    const attempt = this.#fetch(now);
    this.#inflight = attempt;
    void attempt.finally(() => {
      if (this.#inflight === attempt) this.#inflight = undefined;
    });
    return attempt;
  }

  async #fetch(startedAt: number): Promise<CacheResult<T>> {
    try {
      const value = await this.#load();
      this.#value = value;
      this.#fetchedAt = this.#now();
      this.#lastProblem = undefined;
      this.#failures = 0;
      this.#nextAttemptAt = Number.NEGATIVE_INFINITY;
      return { ok: true, value, refreshed: true };
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      this.#lastProblem = problem;
      const first = this.#value === undefined ? FAILURE_BACKOFF_MS : STALE_FAILURE_BACKOFF_MS;
      this.#nextAttemptAt = startedAt + Math.min(first * 2 ** this.#failures, MAX_FAILURE_BACKOFF_MS);
      this.#failures = Math.min(this.#failures + 1, 16);
      // Last known good: a failed refresh keeps serving the copy we had.
      if (this.#value !== undefined) return { ok: true, value: this.#value, refreshed: false };
      return { ok: false, problem };
    }
  }
}
