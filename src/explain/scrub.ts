import { isCredentialName } from '../inspect/redact.js';

/**
 * A pasted error can carry more than the error: a flow's raw output with the Authorization header,
 * a redirect URL with ?code=, a token request body with client_secret=. The explainer shows only
 * what it extracted, and every string it shows goes through scrub() first.
 */

/** Names whose values are credentials: the one rule of src/inspect/redact.ts (key, secret, token, password, auth, code…). */
export function isSecretName(name: string): boolean {
  return isCredentialName(name);
}

/** A JWS/JWE: a base64url JSON header ("eyJ") followed by dot-separated parts. */
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){1,4}/g;
const BEARER = /\b(Bearer|Basic)(\s+)[^\s"',;]+/gi;
/**
 * Entra client secret values carry "~" at a fixed place (e.g. "abc8Q~..."); any 30+ character
 * run containing "~" is treated as one: no identifier, URL or GUID in an error has that shape.
 */
const SECRET_LIKE = /[A-Za-z0-9_.+/=-]*~[A-Za-z0-9_.~+/=-]*/g;
/** name=value or "name": "value" pairs, in query strings, form bodies and JSON. */
const PAIR = /(?<![A-Za-z0-9_-])(["']?)([A-Za-z][A-Za-z0-9_-]{0,40})\1(\s*[=:]\s*)(["']?)([^&?#\s"',}]+)/g;

export function scrub(text: string): string {
  return text
    .replace(JWT_LIKE, '[redacted token]')
    .replace(BEARER, '$1$2[redacted]')
    .replace(PAIR, (all, q: string, name: string, sep: string, vq: string, value: string) => (isSecretName(name) && !value.startsWith('[redacted') ? `${q}${name}${q}${sep}${vq}[redacted]` : all))
    .replace(SECRET_LIKE, (run) => (run.length >= 30 ? '[redacted secret]' : run));
}
