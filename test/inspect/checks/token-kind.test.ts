import { describe, expect, it } from 'vitest';

import { isIdToken, issuerVersion, tokenKind, tokenVersion } from '../../../src/inspect/checks/token-kind.js';

const TID = 'f645ad92-e38d-4d1a-b510-d1b09a74a8ca';

describe('issuerVersion: AadIssuerValidator.GetTokenIssuerVersion', () => {
  it.each([
    [`https://login.microsoftonline.com/${TID}/v2.0`, '2.0'],
    [`https://login.microsoftonline.com/${TID}/v2.0/`, '2.0'],
    [`https://login.microsoftonline.com/${TID}/V2.0`, '2.0'],
    [`https://sts.windows.net/${TID}/`, '1.0'],
    [`https://login.microsoftonline.com/${TID}/`, '1.0'],
    ['not a url', '1.0'],
  ] as const)('%s is v%s', (iss, version) => {
    expect(issuerVersion({ iss, ver: version === '1.0' ? '2.0' : '1.0' })).toBe(version);
  });

  it('without iss there is none; the version shown is ver', () => {
    expect(issuerVersion({ ver: '1.0' })).toBeNull();
    expect(tokenVersion({ ver: '1.0', iss: `https://login.microsoftonline.com/${TID}/v2.0` })).toBe('1.0');
  });
});

describe('isIdToken and tokenKind', () => {
  const client = '5f1c6a3e-2b7d-4c8e-9a10-0c6d2e7f8a91';
  it.each([
    ['an access token for a user', { scp: 'x', azp: client, aud: 'api' }, false, 'user'],
    ['an app-only token', { roles: ['r'], azp: client, aud: 'api', idtyp: 'app' }, false, 'app'],
    ['an app-only token without idtyp', { roles: ['r'], azp: client, aud: 'api' }, false, 'app'],
    ['an ID token', { nonce: 'n', aud: client }, true, null],
    ['an ID token with roles', { nonce: 'n', aud: client, roles: ['r'] }, true, null],
    ['an ID token with at_hash and roles', { at_hash: 'h', aud: client, azp: client, roles: ['r'] }, true, null],
    ['an ID token whose aud is its azp', { aud: client, azp: client, roles: ['r'] }, true, null],
    ['a token with no client and roles', { aud: 'api', roles: ['r'] }, true, null],
    ['a user token even with a nonce claim', { scp: 'x', nonce: 'n', azp: client }, false, 'user'],
  ] as const)('%s', (_name, claims, idToken, kind) => {
    expect(isIdToken(claims)).toBe(idToken);
    expect(tokenKind(claims)).toBe(kind);
  });

  it('claims of any JSON shape never throw', () => {
    for (const v of [{ toString: 1 }, [{ valueOf: 1 }], JSON.parse('{"__proto__":{"x":1}}') as unknown, null, 42]) {
      const claims = { scp: v, roles: v, azp: v, appid: v, aud: v, idtyp: v, iss: v, ver: v };
      expect(() => [tokenKind(claims), isIdToken(claims), issuerVersion(claims), tokenVersion(claims)]).not.toThrow();
    }
  });
});
