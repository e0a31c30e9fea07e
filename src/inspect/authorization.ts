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

/**
 * Schemes whose name may be shown: the IANA HTTP Authentication Scheme Registry
 * (www.iana.org/assignments/http-authschemes: Basic, Bearer, Concealed, Digest, DPoP, GNAP, HOBA,
 * Mutual, Negotiate, OAuth, PrivateToken, SCRAM-SHA-1, SCRAM-SHA-256, vapid), NTLM, Microsoft's PoP
 * (MSAL's signed-HTTP-request proof of possession), Azure Storage's SharedKey/SharedKeyLite, Azure
 * Service Bus and Event Hubs' SharedAccessSignature, AWS Signature Version 4, and the "token"/"ApiKey"
 * schemes of GitHub and Elasticsearch. Keyed by lower case; the value is the usual spelling.
 */
const KNOWN_SCHEMES = new Map(
  [
    'Basic', 'Bearer', 'Concealed', 'Digest', 'DPoP', 'GNAP', 'HOBA', 'Mutual', 'Negotiate', 'OAuth', 'PrivateToken', 'SCRAM-SHA-1', 'SCRAM-SHA-256', 'vapid',
    'NTLM', 'Kerberos', 'PoP', 'SharedKey', 'SharedKeyLite', 'SharedAccessSignature', 'AWS4-HMAC-SHA256', 'Hawk', 'MAC', 'Token', 'ApiKey',
  ].map((s) => [s.toLowerCase(), s] as const),
);

/** The usual spelling of a known scheme, or null: an unknown "scheme" may be a raw key and is never shown. */
export function knownScheme(scheme: string): string | null {
  return KNOWN_SCHEMES.get(scheme.toLowerCase()) ?? null;
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
  // Only a known scheme's name is shown: an unknown first word may be a raw key (src/inspect/redact.ts).
  return parts.map((p) => {
    const word = /^\S*/.exec(p)?.[0] ?? '';
    return knownScheme(word) ?? `an unknown scheme (${p.length} chars, not shown)`;
  });
}
