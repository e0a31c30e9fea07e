import { type Authorization, parseAuthorization, shownScheme } from './authorization.js';
import { tokenFacts } from './token-memo.js';

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

export function redacted(value: string): string {
  return `[redacted] (${value.length} chars)`;
}

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name) || SECRET_HEADER_PREFIXES.some((p) => name.startsWith(p));
}

export function isSecretQuery(name: string): boolean {
  return SECRET_QUERY.has(name.toLowerCase());
}

/** The Authorization header as it may be shown: `Bearer sha256:...` for a bearer token, else the scheme and a length. */
export function redactAuthorization(value: string, auth: Authorization = parseAuthorization(value)): string {
  switch (auth.kind) {
    case 'none':
      return value;
    case 'empty_bearer':
      return 'Bearer';
    case 'bearer':
      return `Bearer ${tokenFacts(auth.token).fingerprint}`;
    case 'other':
      // Another scheme: its name is useful, its credentials are not ours to show.
      return auth.credentials === '' ? redacted(value) : `${shownScheme(auth.scheme)} ${redacted(auth.credentials)}`;
  }
}

/** `auth`: the Authorization header already parsed, when the caller has it. */
export function redactHeader(name: string, value: string, auth?: Authorization): string {
  if (name === 'authorization') return redactAuthorization(value, auth);
  return isSecretHeader(name) ? redacted(value) : value;
}
