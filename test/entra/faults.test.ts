import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';

import type { Settings } from '../../src/config.js';
import { type DevAuthority, startAuthority } from '../../src/dev/authority.js';
import { FAILURE_BACKOFF_MS, MIN_REFRESH_INTERVAL_MS } from '../../src/entra/document-cache.js';
import { freePort } from '../helpers/azurite.js';
import { call, check, codes, keyStoreFor, settingsFor } from '../helpers/world.js';
import { type SpawnedHost, spawnHost } from '../helpers/spawn-host.js';

/**
 * Fault injection against the authority. Each fault: the call answers with the right reason
 * (KEYS_UNAVAILABLE and `unverified` with nothing good cached, the last good keys where they are),
 * and recovery is automatic when the authority comes back.
 */
let authority: DevAuthority;
let settings: Settings;
let clock = Date.now();
const now = (): number => clock;

beforeAll(async () => {
  authority = await startAuthority();
  settings = settingsFor(authority, { TOKEN_ECHO_FETCH_TIMEOUT: '1' });
});
afterAll(() => authority.stop());
afterEach(() => {
  authority.fault = 'none';
  clock = Date.now();
});

describe.each(['error500', 'garbage', 'html', 'huge', 'redirect', 'hang'] as const)('authority fault: %s', (fault) => {
  test('nothing cached: KEYS_UNAVAILABLE within the timeout, then recovery', async () => {
    const keys = keyStoreFor(settings, now);
    authority.fault = fault;
    const token = await authority.mint();
    const started = Date.now();
    const report = await call(settings, keys, { token });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(codes(report)).toContain('KEYS_UNAVAILABLE');
    expect(report.verdict).toBe('unverified');
    authority.fault = 'none';
    clock += FAILURE_BACKOFF_MS;
    expect((await call(settings, keys, { token })).verdict).toBe('valid');
  });

  test('keys cached: the last good keys keep validating during the fault', async () => {
    const keys = keyStoreFor(settings, now);
    expect((await call(settings, keys, { token: await authority.mint() })).verdict).toBe('valid');
    authority.fault = fault;
    clock += 25 * 3600_000; // the cache is due for a refresh, which fails
    const report = await call(settings, keys, { token: await authority.mint() });
    expect(report.verdict).toBe('valid');
  });
});

describe('connection refused', () => {
  test('an authority that is not listening: KEYS_UNAVAILABLE naming ECONNREFUSED', async () => {
    const refused = settingsFor(authority, { TOKEN_ECHO_AUTHORITY: `http://127.0.0.1:${await freePort()}` });
    const report = await call(refused, keyStoreFor(refused), { token: await authority.mint() });
    expect(report.verdict).toBe('unverified');
    expect(check(report, 'signature').detail).toMatch(/ECONNREFUSED/);
  });
});

describe('keys changing under a running instance', () => {
  test('a key dropped mid-run is refused once the set is refreshed', async () => {
    const keys = keyStoreFor(settings, now);
    const doomed = await authority.rotate();
    const token = await authority.mint({ key: doomed });
    expect((await call(settings, keys, { token })).verdict).toBe('valid');
    authority.dropKey(doomed.kid);
    // Still cached: Microsoft's validators also keep a set until it is refreshed.
    expect((await call(settings, keys, { token })).verdict).toBe('valid');
    clock += 25 * 3600_000;
    // The stale set answers this call at once and is refreshed in the background; the next call has the new set.
    expect((await call(settings, keys, { token })).verdict).toBe('valid');
    let report = await call(settings, keys, { token });
    for (let i = 0; i < 500 && !codes(report).includes('KEY_NOT_FOUND'); i += 1) {
      await new Promise((r) => setTimeout(r, 10));
      report = await call(settings, keys, { token });
    }
    expect(codes(report)).toContain('KEY_NOT_FOUND');
  });

  test('rotation: a new key is picked up by one refresh; a second rotation within 5 minutes waits', async () => {
    const keys = keyStoreFor(settings, now);
    await call(settings, keys, { token: await authority.mint() });
    const first = await authority.rotate();
    expect((await call(settings, keys, { token: await authority.mint({ key: first }) })).verdict).toBe('valid');
    const second = await authority.rotate();
    const early = await call(settings, keys, { token: await authority.mint({ key: second }) });
    expect(codes(early)).toContain('KEY_NOT_FOUND');
    clock += MIN_REFRESH_INTERVAL_MS;
    expect((await call(settings, keys, { token: await authority.mint({ key: second }) })).verdict).toBe('valid');
  });
});

describe('through the local host', () => {
  let host: SpawnedHost;
  beforeAll(async () => {
    host = await spawnHost({
      env: { TOKEN_ECHO_TENANT_ID: authority.tenant.id, TOKEN_ECHO_AUTHORITY: authority.url, TOKEN_ECHO_FETCH_TIMEOUT: '1' },
    });
  });
  afterAll(() => host.stop());

  test('a hanging authority: the call still answers within the timeout, and the host keeps serving', async () => {
    authority.fault = 'hang';
    const token = await authority.mint();
    const started = Date.now();
    const res = await fetch(`${host.url}/api/echo`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-token-echo-verdict')).toBe('unverified');
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await fetch(`${host.url}/api/health`)).status).toBe(200);
    authority.fault = 'none';
    await new Promise((r) => setTimeout(r, FAILURE_BACKOFF_MS + 200));
    const after = await fetch(`${host.url}/api/echo`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.headers.get('x-token-echo-verdict')).toBe('valid');
  }, 30_000);
});
