import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';

import type { Settings } from '../../src/config.js';
import { type DevAuthority, startAuthority } from '../../src/dev/authority.js';
import { FAILURE_BACKOFF_MS, MIN_REFRESH_INTERVAL_MS } from '../../src/entra/document-cache.js';
import { call, check, codes, keyStoreFor, settingsFor } from '../helpers/world.js';

/** Microsoft's rollover rules, measured by counting what reaches a real authority over HTTP. */
async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

let authority: DevAuthority;
let settings: Settings;
let clock = 0;
const now = (): number => clock;

beforeAll(async () => {
  authority = await startAuthority();
  settings = settingsFor(authority);
});
afterAll(() => authority.stop());
afterEach(() => {
  authority.fault = 'none';
  authority.resetCounts();
  clock = Date.now();
});

describe('key cache', () => {
  test('500 concurrent first calls share one metadata fetch and one key fetch', async () => {
    clock = Date.now();
    const keys = keyStoreFor(settings, now);
    const token = await authority.mint();
    authority.resetCounts();
    const reports = await Promise.all(Array.from({ length: 500 }, () => call(settings, keys, { token })));
    expect(reports.every((r) => r.verdict === 'valid')).toBe(true);
    expect(authority.requests.metadata).toBe(1);
    expect(authority.requests.keys).toBe(1);
  });

  test('keys are reused for 24 hours, then fetched again', async () => {
    clock = Date.now();
    const keys = keyStoreFor(settings, now);
    const token = await authority.mint();
    await call(settings, keys, { token });
    authority.resetCounts();
    clock += 23 * 3600_000;
    await call(settings, keys, { token });
    expect(authority.requests.total).toBe(0);
    clock += 2 * 3600_000;
    // Past 24 hours the cached keys still answer at once; the refresh runs in the background.
    expect((await call(settings, keys, { token })).verdict).toBe('valid');
    await until(() => authority.requests.keys === 1);
    await call(settings, keys, { token });
    expect(authority.requests.keys).toBe(1);
  });

  test('key rotation: a new kid causes one refresh and is accepted', async () => {
    clock = Date.now();
    const keys = keyStoreFor(settings, now);
    await call(settings, keys, { token: await authority.mint() });
    const rolled = await authority.rotate();
    authority.resetCounts();
    const report = await call(settings, keys, { token: await authority.mint({ key: rolled }) });
    expect(report.verdict).toBe('valid');
    expect(authority.requests.keys).toBe(1);
  });

  test('an unknown-kid flood refreshes at most once per 5 minutes', async () => {
    clock = Date.now();
    const keys = keyStoreFor(settings, now);
    await call(settings, keys, { token: await authority.mint() });
    authority.resetCounts();
    const stray = await authority.strayKey();
    const flood = await authority.mint({ key: stray });
    for (let i = 0; i < 200; i += 1) {
      const report = await call(settings, keys, { token: flood });
      expect(codes(report)).toContain('KEY_NOT_FOUND');
      clock += 1000; // 200 calls over 200 seconds
    }
    const tenantKeyFetches = (): number => authority.requests.paths.filter((p) => p.endsWith('/discovery/v2.0/keys')).length;
    const appKeyFetches = (): number => authority.requests.paths.filter((p) => p.includes('/discovery/v2.0/keys?appid=')).length;
    expect(tenantKeyFetches()).toBe(1);
    // The app-specific set of the configured API is looked at once (and kept 24 h): it is never refreshed.
    expect(appKeyFetches()).toBe(1);
    clock += MIN_REFRESH_INTERVAL_MS;
    await call(settings, keys, { token: flood });
    expect(tenantKeyFetches()).toBe(2);
    expect(appKeyFetches()).toBe(1);
  });

  test('authority down: the last good keys are used', async () => {
    clock = Date.now();
    const keys = keyStoreFor(settings, now);
    const token = await authority.mint();
    expect((await call(settings, keys, { token })).verdict).toBe('valid');
    authority.fault = 'error500';
    clock += 25 * 3600_000; // past the 24 h cache: a refresh is due and fails
    const report = await call(settings, keys, { token: await authority.mint() });
    expect(report.verdict).toBe('valid');
    await until(() => authority.requests.total > 0);
  });

  test('authority down with nothing cached: KEYS_UNAVAILABLE, unverified, then automatic recovery', async () => {
    clock = Date.now();
    const keys = keyStoreFor(settings, now);
    authority.fault = 'error500';
    const token = await authority.mint();
    const down = await call(settings, keys, { token });
    expect(codes(down)).toContain('KEYS_UNAVAILABLE');
    expect(down.verdict).toBe('unverified');
    expect(check(down, 'signature').detail).toMatch(/expected HTTP 200, got 500/);
    authority.fault = 'none';
    clock += FAILURE_BACKOFF_MS;
    expect((await call(settings, keys, { token })).verdict).toBe('valid');
  });

  test.each(['garbage', 'html', 'huge', 'hugeChunked', 'truncated', 'redirect'] as const)('authority answers %s: KEYS_UNAVAILABLE with the problem named', async (fault) => {
    const keys = keyStoreFor(settings);
    authority.fault = fault;
    const report = await call(settings, keys, { token: await authority.mint() });
    expect(report.verdict).toBe('unverified');
    const detail = check(report, 'signature').detail ?? '';
    const expected = {
      garbage: /not JSON/,
      html: /not JSON/,
      huge: /larger than 1048576 bytes/,
      hugeChunked: /larger than 1048576 bytes/,
      truncated: /closed before the answer was complete/,
      redirect: /got 302 \(redirects are not followed\)/,
    }[fault];
    expect(detail).toMatch(expected);
  });
});

describe('keys come only from the configured authority', () => {
  let canary: http.Server;
  let canaryUrl: string;
  let canaryHits = 0;
  beforeAll(async () => {
    canary = http.createServer((_req, res) => {
      canaryHits += 1;
      res.end('{}');
    });
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    canaryUrl = `http://127.0.0.1:${(canary.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => canary.close(() => resolve())));

  test('jku, x5u, jwk, x5c and an iss pointing at a canary: the canary receives nothing', async () => {
    const keys = keyStoreFor(settings);
    const stray = await authority.strayKey();
    const token = await authority.mint({
      key: stray,
      header: { jku: `${canaryUrl}/keys`, x5u: `${canaryUrl}/cert.pem`, jwk: stray.publicJwk, x5c: ['MIIBIjANBg'] },
      claims: { iss: `${canaryUrl}/${authority.tenant.id}/v2.0` },
    });
    const report = await call(settings, keys, { token });
    expect(canaryHits).toBe(0);
    expect(report.verdict).toBe('invalid');
    expect(codes(report)).toContain('KEY_NOT_FOUND');
    expect(codes(report)).toContain('ISSUER_MISMATCH');
  });

  test('a jwks_uri on another host is refused, not fetched', async () => {
    const evil = http.createServer((req, res) => {
      if (req.url?.includes('openid-configuration')) res.end(JSON.stringify({ issuer: 'x', jwks_uri: `${canaryUrl}/keys` }));
      else res.end('{}');
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    try {
      const evilSettings = settingsFor(authority, { TOKEN_ECHO_AUTHORITY: `http://127.0.0.1:${(evil.address() as AddressInfo).port}` });
      const report = await call(evilSettings, keyStoreFor(evilSettings), { token: await authority.mint() });
      expect(canaryHits).toBe(0);
      expect(check(report, 'signature').detail).toMatch(/is not on the configured authority/);
      expect(report.verdict).toBe('unverified');
    } finally {
      await new Promise<void>((resolve) => evil.close(() => resolve()));
    }
  });
});
