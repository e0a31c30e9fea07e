import { createHash } from 'node:crypto';

import { describeClaims } from '../report/claims.js';
import { isoFromEpoch } from '../report/format.js';
import type { TimeClaim, TokenKind, TokenVersion } from '../report/report.js';
import { issuerVersion, tokenKind, tokenVersion } from './checks/token-kind.js';
import { type Decoded, decodeToken } from './decode.js';

/**
 * What a token says does not change from call to call, and a connector sends the same token until
 * it expires: its decoding, fingerprint, claim descriptions and times are worked out once and kept
 * for the next calls with the same token (bounded by count and by bytes, oldest first). Everything that depends on the
 * time of the call or on the keys (lifetime, signature, expiresIn) is still done per call.
 * The objects kept are frozen: reports share them and nothing may change them.
 */
export interface TokenFacts {
  decoded: Decoded;
  fingerprint: string;
  claimDescriptions: Readonly<Record<string, string>>;
  times: Readonly<{ iat?: TimeClaim; nbf?: TimeClaim; exp?: TimeClaim }>;
  /** What the claims say the token is (null when they could not be decoded): the same on every call. */
  kind: TokenKind | null;
  version: TokenVersion | null;
  /** The metadata that validates it, chosen by the shape of `iss` (AadIssuerValidator), else `ver`. */
  metadataVersion: TokenVersion;
  /** The calling application: `azp` (v2) or `appid` (v1). */
  client: string | null;
}

const MAX_ENTRIES = 1024;
/** The default byte budget (TOKEN_ECHO_TOKEN_CACHE_MIB); see configureTokenMemo. */
export const DEFAULT_TOKEN_MEMO_BYTES = 16 * 2 ** 20;
let maxBytes = DEFAULT_TOKEN_MEMO_BYTES;
let bytes = 0;

/**
 * What one entry costs, estimated from the token's length without walking what was decoded: the
 * token itself (the key, one byte a character: header values are Latin-1), its decoded header and
 * claims as objects (about twice their JSON, which is three quarters of the token), the report's
 * text of them kept by serialize.ts while the entry lives, and a fixed part for the descriptions,
 * times and the map's own entry. Measured: 500 distinct 16 KiB tokens take less than this sum.
 */
export function entryBytes(raw: string): number {
  return raw.length * 4 + 4096;
}

/** The byte budget, enforced on insert (the oldest entries go first). Set from the settings by the runtime. */
export function configureTokenMemo(budgetBytes: number): void {
  maxBytes = budgetBytes;
  evict();
}

/** What the memo holds now, by the estimate above. */
export function tokenMemoBytes(): number {
  return bytes;
}

function evict(): void {
  while ((memo.size > MAX_ENTRIES || bytes > maxBytes) && memo.size > 0) {
    const oldest = memo.keys().next().value;
    if (oldest === undefined) break;
    memo.delete(oldest);
    bytes -= entryBytes(oldest);
  }
}

/** `sha256:<hex>` of a token: lets two reports be matched without keeping the token. */
export function fingerprint(token: string): string {
  return `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}
const memo = new Map<string, TokenFacts>();
/** The last token asked for: a connector repeats one token, and comparing it is cheaper than hashing it. */
let last: { raw: string; facts: TokenFacts } | undefined;

export function tokenFacts(raw: string): TokenFacts {
  if (last !== undefined && last.raw === raw) return last.facts;
  const facts = lookUp(raw);
  last = { raw, facts };
  return facts;
}

function lookUp(raw: string): TokenFacts {
  const known = memo.get(raw);
  if (known) {
    // Refresh its place: the least recently used goes first.
    memo.delete(raw);
    memo.set(raw, known);
    return known;
  }
  const decoded = decodeToken(raw);
  const times: { iat?: TimeClaim; nbf?: TimeClaim; exp?: TimeClaim } = {};
  if (decoded.claims) {
    for (const name of ['iat', 'nbf', 'exp'] as const) {
      const value = decoded.claims[name];
      const iso = typeof value === 'number' ? isoFromEpoch(value) : null;
      if (typeof value === 'number' && iso !== null) times[name] = Object.freeze({ epoch: value, iso });
    }
  }
  const claims = decoded.ok ? decoded.claims : null;
  const version = claims ? tokenVersion(claims) : null;
  const facts: TokenFacts = deepFreeze({
    decoded,
    fingerprint: fingerprint(raw),
    claimDescriptions: decoded.claims ? describeClaims(decoded.claims) : {},
    times,
    kind: claims ? tokenKind(claims) : null,
    version,
    metadataVersion: (claims ? issuerVersion(claims) : null) ?? version ?? '2.0',
    client: claims ? (nonEmpty(claims['azp']) ?? nonEmpty(claims['appid'])) : null,
  });
  // A token larger than the whole budget is worked out but not kept.
  if (entryBytes(raw) > maxBytes) return facts;
  memo.set(raw, facts);
  bytes += entryBytes(raw);
  evict();
  return facts;
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'object' && item !== null && !Object.isFrozen(item)) {
      Object.freeze(item);
      for (const child of Object.values(item)) stack.push(child);
    }
  }
  return value;
}
