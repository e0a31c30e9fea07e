import { createHash } from 'node:crypto';

/**
 * Secrets never leave: the bearer token is shown only as its fingerprint, and the values of
 * headers and query parameters that carry keys, cookies or tokens are replaced by their length.
 */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-functions-key',
  'ocp-apim-subscription-key',
  'x-api-key',
  'api-key',
  'x-ms-client-principal',
]);
const SECRET_HEADER_PREFIXES = ['x-ms-token-'];
const SECRET_QUERY = new Set(['code', 'access_token', 'id_token', 'token', 'client_secret', 'sig', 'key', 'api-key', 'subscription-key']);

export function fingerprint(token: string): string {
  return `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

/** The last token fingerprinted, kept: the Authorization header and the token are the same string on every call. */
let lastToken = '';
let lastFingerprint = '';
function fingerprintOf(token: string): string {
  if (token !== lastToken) {
    lastFingerprint = fingerprint(token);
    lastToken = token;
  }
  return lastFingerprint;
}

export function redacted(value: string): string {
  return `[redacted] (${value.length} chars)`;
}

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name) || SECRET_HEADER_PREFIXES.some((p) => name.startsWith(p));
}

export function isSecretQuery(name: string): boolean {
  return SECRET_QUERY.has(name.toLowerCase());
}

/** The Authorization header as it may be shown: `Bearer sha256:…` for a bearer token, else the scheme and a length. */
export function redactAuthorization(value: string): string {
  const match = /^(\S+)(?:\s+(.*))?$/s.exec(value.trim());
  if (!match) return redacted(value);
  const scheme = match[1] ?? '';
  const credentials = (match[2] ?? '').trim();
  if (scheme.toLowerCase() === 'bearer') return credentials === '' ? 'Bearer' : `Bearer ${fingerprintOf(credentials)}`;
  // Another scheme: its name is useful (Basic, SharedAccessSignature…), its credentials are not ours to show.
  const shownScheme = /^[A-Za-z][A-Za-z0-9._~+/-]{0,40}$/.test(scheme) ? scheme : '[unrecognised scheme]';
  return credentials === '' ? redacted(value) : `${shownScheme} ${redacted(credentials)}`;
}

export function redactHeader(name: string, value: string): string {
  if (name === 'authorization') return redactAuthorization(value);
  return isSecretHeader(name) ? redacted(value) : value;
}
