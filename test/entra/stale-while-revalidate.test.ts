import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';

import type { Settings } from '../../src/config.js';
import { type DevAuthority, startAuthority } from '../../src/dev/authority.js';
import type { EntraKeyStore } from '../../src/entra/key-store.js';
import { call, codes, keyStoreFor, settingsFor } from '../helpers/world.js';

/**
 * Issue 11: a sick authority must not stall calls while good keys are cached. Timed against a
 * deliberately large difference: the authority hangs for the whole 5-second fetch timeout, and the
 * calls must come back in the time a healthy call takes (medians compared, 50 ms allowed, each call
 * far under a second). Requests reaching the authority are counted against the back-off.
 */
let authority: DevAuthority;
let settings: Settings;
let clock = Date.now();
const now = (): number => clock;
const HOUR = 3600_000;

beforeAll(async () => {
  authority = await startAuthority();
  settings = settingsFor(authority, { TOKEN_ECHO_FETCH_TIMEOUT: '5' });
});
afterAll(() => authority.stop());
afterEach(() => {
  authority.fault = 'none';
  authority.resetCounts();
  clock = Date.now();
});

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Latencies of `n` calls one after another, each asserted valid. */
async function timedCalls(keys: EntraKeyStore, token: string, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const started = performance.now();
    const report = await call(settings, keys, { token });
    times.push(performance.now() - started);
    expect(report.verdict).toBe('valid');
  }
  return times;
}

const settle = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('stale keys and a sick authority', () => {
  test('hanging authority after 24 h: calls take what healthy calls take; one attempt per document', async () => {
    const keys = keyStoreFor(settings, now);
    const token = await authority.mint();
    await call(settings, keys, { token });
    const healthy = await timedCalls(keys, token, 30);
    authority.fault = 'hang';
    authority.resetCounts();
    clock += 25 * HOUR;
    const stale = await timedCalls(keys, token, 30);
    expect(Math.max(...stale)).toBeLessThan(1000);
    expect(median(stale) - median(healthy)).toBeLessThan(50);
    // One background refresh per document (metadata, key set), not three fetches per call.
    expect(authority.requests.metadata).toBeLessThanOrEqual(1);
    expect(authority.requests.keys).toBeLessThanOrEqual(1);
  }, 30_000);

  test('an authority answering 500 for 10 minutes: calls take what healthy calls take; at most the back-off\'s attempts (1, 2, 4 minutes apart), then recovery', async () => {
    const keys = keyStoreFor(settings, now);
    const token = await authority.mint();
    await call(settings, keys, { token });
    const healthy = await timedCalls(keys, token, 30);
    authority.fault = 'error500';
    authority.resetCounts();
    clock += 25 * HOUR;
    const start = clock;
    const stale = await timedCalls(keys, token, 30);
    expect(Math.max(...stale)).toBeLessThan(1000);
    expect(median(stale) - median(healthy)).toBeLessThan(50);
    // A call every 5 seconds for 10 minutes; each answered from the last good keys.
    while (clock - start < 10 * 60_000) {
      expect((await call(settings, keys, { token })).verdict).toBe('valid');
      await settle(2);
      clock += 5000;
    }
    await settle();
    // Attempts at 0, 1, 3 and 7 minutes: four per document, where every call used to make three requests.
    expect(authority.requests.keys).toBeLessThanOrEqual(4);
    expect(authority.requests.metadata).toBeLessThanOrEqual(4);
    expect(authority.requests.keys).toBeGreaterThanOrEqual(2);
    authority.fault = 'none';
    authority.resetCounts();
    clock += 5 * 60_000;
    await call(settings, keys, { token });
    await settle(200);
    expect(authority.requests.keys).toBe(1);
    // Refreshed: fresh for another 24 hours.
    await call(settings, keys, { token });
    expect(authority.requests.keys).toBe(1);
  }, 30_000);

  test('an unknown-kid flood during a hang never slows calls whose kid is known', async () => {
    const keys = keyStoreFor(settings, now);
    const token = await authority.mint();
    await call(settings, keys, { token });
    const healthy = await timedCalls(keys, token, 30);
    authority.fault = 'hang';
    authority.resetCounts();
    const flood = await authority.mint({ key: await authority.strayKey() });
    // The first unknown kid forces a refresh, which hangs for the 5-second timeout; the others wait for it or are refused at once.
    const flooding = Array.from({ length: 20 }, () => call(settings, keys, { token: flood }));
    await settle();
    const during = await timedCalls(keys, token, 30);
    expect(Math.max(...during)).toBeLessThan(1000);
    expect(median(during) - median(healthy)).toBeLessThan(50);
    const floodReports = await Promise.all(flooding);
    expect(floodReports.every((r) => codes(r).includes('KEY_NOT_FOUND'))).toBe(true);
    expect(authority.requests.keys).toBeLessThanOrEqual(2);
  }, 30_000);

  test('nothing cached and a hanging authority: the call fails within one timeout, the next ones at once', async () => {
    const fast = settingsFor(authority, { TOKEN_ECHO_FETCH_TIMEOUT: '1' });
    const keys = keyStoreFor(fast, now);
    authority.fault = 'hang';
    const token = await authority.mint();
    let started = performance.now();
    expect(codes(await call(fast, keys, { token }))).toContain('KEYS_UNAVAILABLE');
    expect(performance.now() - started).toBeLessThan(2500);
    started = performance.now();
    expect(codes(await call(fast, keys, { token }))).toContain('KEYS_UNAVAILABLE');
    expect(performance.now() - started).toBeLessThan(500);
  }, 30_000);
});
