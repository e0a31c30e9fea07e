/**
 * The Authorization header, read once for both the checks and its redacted display.
 * RFC 6750 §2.1: `Authorization: Bearer <b64token>`; the scheme is case-insensitive (RFC 9110 §11.1).
 */
export type Authorization =
  | { kind: 'none' }
  | { kind: 'empty_bearer' }
  | { kind: 'other'; scheme: string; credentials: string }
  | { kind: 'bearer'; token: string };

export function parseAuthorization(value: string | undefined): Authorization {
  if (value === undefined) return { kind: 'none' };
  const trimmed = value.trim();
  if (trimmed === '') return { kind: 'none' };
  // The usual form, "Bearer" then a space or tab, read without the regex below (same result).
  const sep = trimmed.charCodeAt(6);
  if ((sep === 0x20 || sep === 0x09) && trimmed.slice(0, 6).toLowerCase() === 'bearer') {
    const token = trimmed.slice(7).trim();
    return token === '' ? { kind: 'empty_bearer' } : { kind: 'bearer', token };
  }
  const match = /^(\S+)(?:[ \t]+(.*))?$/s.exec(trimmed);
  const scheme = match?.[1] ?? '';
  const credentials = (match?.[2] ?? '').trim();
  if (scheme.toLowerCase() !== 'bearer') return { kind: 'other', scheme, credentials };
  return credentials === '' ? { kind: 'empty_bearer' } : { kind: 'bearer', token: credentials };
}

/** A scheme's name may be shown (Basic, SharedAccessSignature...) when it looks like one; anything else is not. */
export function shownScheme(scheme: string): string {
  return /^[A-Za-z][\w.~+/-]{0,40}$/.test(scheme) ? scheme : '(unrecognised scheme)';
}

/**
 * Two Authorization headers reach a Functions app as one value joined by ", " (RFC 9110 §5.3, which
 * Authorization's grammar does not allow; ASP.NET Core's JwtBearer then reads one malformed token).
 * A JWT never holds a comma: a comma followed by a scheme and credentials marks a joined value.
 * Returns the schemes of the values joined, or null for a single value.
 */
export function joinedSchemes(value: string | undefined): string[] | null {
  if (value === undefined || !value.includes(',')) return null;
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length < 2 || !parts.slice(1).some((p) => /^[A-Za-z][\w.~+/-]*[ \t]+\S/.test(p))) return null;
  return parts.map((p) => shownScheme(/^\S*/.exec(p)?.[0] ?? ''));
}
