import { randomBytes } from 'node:crypto';

import { SignJWT } from 'jose';

import { makeKey } from '../../src/dev/authority.js';

/**
 * A JWT minted at test time, signed by an RSA key made at test time: for tests that need something
 * JWT-shaped without a stand-in authority (paste tidying, redaction, explain). No token or
 * credential, real or made up, is written into the repository. One key per test process.
 */
let key: ReturnType<typeof makeKey> | undefined;
export async function mintTestJwt(claims: Record<string, unknown> = { aud: 'api://x' }): Promise<string> {
  const { kid, privateKey } = await (key ??= makeKey());
  return new SignJWT(claims).setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid }).sign(privateKey);
}

/**
 * A client secret value in Entra's shape (three characters, a digit, "Q~", then 34 more of its
 * alphabet), random per call: the explain tests paste one and check it never comes back.
 */
export function makeTestClientSecret(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-';
  const pick = (n: number, from = alphabet): string => Array.from(randomBytes(n), (b) => from[b % from.length]).join('');
  return `${pick(3, alphabet.slice(0, 52))}${pick(1, '0123456789')}Q~${pick(34)}`;
}
