// By subpath: the token-echo command loads, and the bundle (dist/app) holds, only the parts of jose used.
import * as base64url from 'jose/base64url';

/**
 * Parsing the compact serialization by hand, step by step, so that each way a token can be broken
 * gets its own finding. Nothing decoded here is trusted: it is shown, and it steers which checks
 * run, but keys come only from the configured authority.
 */
export const MAX_TOKEN_BYTES = 16 * 1024;
/** Deeper JSON than this is refused: Entra claims are at most a few levels deep. */
export const MAX_JSON_DEPTH = 32;

export type Decoded =
  | { ok: true; header: Record<string, unknown>; claims: Record<string, unknown>; signature: string; signingInput: string }
  | { ok: false; kind: 'too_large' | 'encrypted' | 'malformed'; problem: string; header: Record<string, unknown> | null; claims: Record<string, unknown> | null };

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeToken(token: string): Decoded {
  const bytes = Buffer.byteLength(token, 'utf8');
  if (bytes > MAX_TOKEN_BYTES) {
    return { ok: false, kind: 'too_large', problem: `the token is ${bytes} bytes, above the ${MAX_TOKEN_BYTES}-byte limit`, header: null, claims: null };
  }
  const parts = token.split('.');
  if (parts.length === 5) {
    const header = tryJsonSegment(parts[0] ?? '');
    return {
      ok: false,
      kind: 'encrypted',
      problem: 'the token has five parts (JWE compact serialization, RFC 7516): it is encrypted',
      header: header.ok ? header.value : null,
      claims: null,
    };
  }
  if (parts.length !== 3) {
    return { ok: false, kind: 'malformed', problem: `a JWT has three parts separated by dots; this value has ${parts.length}`, header: null, claims: null };
  }
  const [h = '', p = '', s = ''] = parts;
  const header = tryJsonSegment(h);
  if (!header.ok) return { ok: false, kind: 'malformed', problem: `the header (part 1) ${header.problem}`, header: null, claims: null };
  const claims = tryJsonSegment(p);
  if (!claims.ok) return { ok: false, kind: 'malformed', problem: `the claims (part 2) ${claims.problem}`, header: header.value, claims: null };
  if (!BASE64URL.test(s)) {
    return { ok: false, kind: 'malformed', problem: 'the signature (part 3) is not base64url', header: header.value, claims: claims.value };
  }
  return { ok: true, header: header.value, claims: claims.value, signature: s, signingInput: `${h}.${p}` };
}

type SegmentResult = { ok: true; value: Record<string, unknown> } | { ok: false; problem: string };

function tryJsonSegment(segment: string): SegmentResult {
  if (segment === '') return { ok: false, problem: 'is empty' };
  if (!BASE64URL.test(segment)) return { ok: false, problem: 'is not base64url (RFC 7515 section 2: letters, digits, "-" and "_", no padding)' };
  let text: string;
  try {
    text = utf8.decode(base64url.decode(segment));
  } catch {
    return { ok: false, problem: 'does not decode to UTF-8 text' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problem: 'is JSON but not an object' };
  if (depth(value, 0) > MAX_JSON_DEPTH) return { ok: false, problem: `nests deeper than ${MAX_JSON_DEPTH} levels` };
  return { ok: true, value: value as Record<string, unknown> };
}

/** Iterative depth of a parsed JSON value (no recursion: the input is hostile). */
function depth(root: unknown, start: number): number {
  let max = start;
  const stack: Array<[unknown, number]> = [[root, start + 1]];
  while (stack.length > 0) {
    const [value, level] = stack.pop() as [unknown, number];
    if (typeof value !== 'object' || value === null) continue;
    if (level > max) max = level;
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Object.values(value)) stack.push([child, level + 1]);
  }
  return max;
}
