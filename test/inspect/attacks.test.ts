import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import type { Settings } from '../../src/config.js';
import { type DevAuthority, startAuthority } from '../../src/dev/authority.js';
import { call, check, codes, keyStoreFor, settingsFor } from '../helpers/world.js';

/** The classic JWT attacks (RFC 8725 §2), each refused for the right reason. */
let authority: DevAuthority;
let settings: Settings;

beforeAll(async () => {
  authority = await startAuthority();
  settings = settingsFor(authority);
});
afterAll(() => authority.stop());

function forge(header: Record<string, unknown>, claims: Record<string, unknown>, signature = ''): string {
  const enc = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${enc(header)}.${enc(claims)}.${signature}`;
}

describe('algorithm attacks', () => {
  test.each(['none', 'None', 'NONE', 'nOnE'])('alg %s is refused before any key is fetched', async (alg) => {
    const valid = await authority.mint();
    const claims = JSON.parse(Buffer.from(valid.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;
    const keys = keyStoreFor(settings);
    authority.resetCounts();
    const report = await call(settings, keys, { token: forge({ alg, typ: 'JWT' }, claims) });
    expect(codes(report)[0]).toBe('ALG_NOT_ALLOWED');
    expect(report.verdict).toBe('invalid');
    expect(authority.requests.keys).toBe(0);
  });

  test('HS256 signed with the tenant\'s RSA public key (key confusion, CVE-2015-9235) is refused', async () => {
    const pem = await authority.publicPem();
    const valid = await authority.mint();
    const claims = JSON.parse(Buffer.from(valid.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;
    const kid = authority.tenant.keys[0]?.kid ?? '';
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid }).sign(new TextEncoder().encode(pem));
    const report = await call(settings, keyStoreFor(settings), { token: forged });
    expect(codes(report)[0]).toBe('ALG_NOT_ALLOWED');
    expect(check(report, 'algorithm').found).toBe('"HS256"');
    expect(report.reasons[0]?.message).toMatch(/HMAC/);
    expect(report.verdict).toBe('invalid');
  });
});

describe('key attacks', () => {
  test('a valid signature under a swapped kid does not verify', async () => {
    const [first, second] = authority.tenant.keys;
    if (!first || !second) throw new Error('the tenant has two keys');
    const token = await authority.mint({ key: first, header: { kid: second.kid } });
    const report = await call(settings, keyStoreFor(settings), { token });
    expect(codes(report)[0]).toBe('SIGNATURE_INVALID');
    expect(report.verdict).toBe('invalid');
  });

  // JsonWebTokenHandler.ValidateSignature: no key resolved by kid → TryAllIssuerSigningKeys (default true) tries every key.
  test('a stripped kid is accepted as .NET accepts it (every key tried), and said', async () => {
    const token = await authority.mint({ header: { kid: undefined } });
    const report = await call(settings, keyStoreFor(settings), { token });
    expect(report.verdict).toBe('valid');
    expect(codes(report)).toContain('KID_UNMATCHED');
    expect(check(report, 'signature')).toMatchObject({ status: 'pass' });
    expect(check(report, 'signature').found).toMatch(/^no kid; verified by trying every key/);
  });

  test('a stripped kid signed by a key of no tenant is KEY_NOT_FOUND', async () => {
    const token = await authority.mint({ key: await authority.strayKey(), header: { kid: undefined } });
    const report = await call(settings, keyStoreFor(settings), { token });
    expect(codes(report)[0]).toBe('KEY_NOT_FOUND');
    expect(check(report, 'signature').found).toBe('no kid');
  });

  test('a key embedded in the header (jwk) is not trusted', async () => {
    const stray = await authority.strayKey();
    const token = await authority.mint({ key: stray, header: { jwk: stray.publicJwk } });
    const report = await call(settings, keyStoreFor(settings), { token });
    expect(codes(report)).toContain('KEY_NOT_FOUND');
    expect(report.verdict).toBe('invalid');
  });
});

describe('claim attacks', () => {
  // AadIssuerValidator.GetTokenIssuerVersion: the metadata is chosen by the shape of iss; ver plays no part.
  test('a v1 token whose ver says 2.0 is validated with v1 metadata, and the disagreement said', async () => {
    const token = await authority.mint({ version: '1.0', claims: { ver: '2.0' } });
    const report = await call(settings, keyStoreFor(settings), { token });
    expect(codes(report)).not.toContain('ISSUER_MISMATCH');
    expect(codes(report)).toContain('VERSION_MISMATCH');
    expect(check(report, 'issuer')).toMatchObject({ status: 'pass', expected: `https://sts.windows.net/${authority.tenant.id}/` });
    expect(report.verdict).toBe('valid');
  });

  test('a v2 token whose ver says 1.0 is validated with v2 metadata, and the disagreement said', async () => {
    const token = await authority.mint({ version: '2.0', claims: { ver: '1.0' } });
    const report = await call(settings, keyStoreFor(settings), { token });
    expect(codes(report)).toContain('VERSION_MISMATCH');
    expect(report.reasons.find((r) => r.code === 'VERSION_MISMATCH')?.message).toMatch(/v2\.0 form/);
    expect(report.verdict).toBe('valid');
  });

  test('claim names that collide with Object.prototype are plain data', async () => {
    const token = await authority.mint({ claims: { constructor: 'x', toString: 'y', ['__proto__']: { polluted: true } } });
    const report = await call(settings, keyStoreFor(settings), { token });
    expect(report.verdict).toBe('valid');
    expect(Object.hasOwn(report.token?.claimDescriptions ?? {}, 'constructor')).toBe(false);
    expect(report.token?.claims?.['constructor']).toBe('x');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  test('JSON nested deeper than 32 levels is refused as malformed', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i += 1) deep = [deep];
    const token = await authority.mint({ claims: { deep } });
    const report = await call(settings, keyStoreFor(settings), { token });
    expect(codes(report)[0]).toBe('MALFORMED_TOKEN');
    expect(check(report, 'format').found).toMatch(/deeper than 32/);
  });
});
