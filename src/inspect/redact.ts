import { type Authorization, knownScheme, parseAuthorization } from './authorization.js';
import { tokenFacts } from './token-memo.js';

/**
 * Secrets never leave: the one place that decides what of a call may be shown. The report is built
 * with these rules once; the answer, WWW-Authenticate, the log line, telemetry, the history, the
 * viewer and the CLI all take the finished report and never see a raw value.
 *
 * Decided by rule, not by a list of names, because Power Platform "API key" connectors let makers
 * name their key parameter anything (learn.microsoft.com/connectors/custom-connectors/define-apikey):
 * - a header or query parameter whose name suggests a credential (key, secret, token, password,
 *   passwd, pwd, sig/signature, auth, credential, session, cookie, assertion...) is shown by length;
 * - a value shaped like a JWT (`eyJ...`.`...`.`...`) is shown by length whatever its name;
 * - a header that carries a URL (x-original-url and x-waws-unencoded-url, which App Service's front
 *   end fills with the whole URL, query included; referer; x-forwarded-*; any value that is a URL)
 *   has its query and fragment redacted by the same rules as the call's own query;
 * - an Authorization value whose scheme is not a known one (it may be a raw key) is shown only by
 *   its length, and never quoted in a message.
 * Values are replaced by `[redacted] (N chars)`: the length helps tell an empty key from a real one.
 */
export function redacted(value: string): string {
  return `[redacted] (${value.length} chars)`;
}

/** Words that, in a header or parameter name, say its value is a credential. Matched anywhere in the name. */
const CREDENTIAL_WORDS = /key|secret|token|passw|pwd|auth|credential|session|cookie|assertion|bearer|jwt|hmac/;
/** "sig" (SAS `sig=`, `x-hub-signature`) only at the start of a word: "design" or "assign" is no signature. */
const SIGNATURE_WORD = /(?:^|[^a-z])sig/;
/** Names the rules above would miss, and the query names Azure uses for keys (`code`: the function key). */
const SECRET_NAMES = new Set(['code', 'x-ms-client-principal', 'otp', 'pin']);
/**
 * Headers the connector runtime and App Service send whose names contain one of those words but
 * whose values are identifiers, not credentials (shared/reference/power-platform-connectors.md §2.2:
 * `x-ms-client-session-id` on MCP `initialize`; Easy Auth's principal name and ID, §2.1).
 */
const HARMLESS_NAMES = new Set(['x-ms-client-session-id', 'x-ms-client-principal-name', 'x-ms-client-principal-id', 'x-ms-client-principal-idp', 'x-ms-token-aad-expires-on']);

/** Whether a header or query parameter name suggests a credential (camelCase names are read word by word). */
export function isCredentialName(name: string): boolean {
  const lower = name.toLowerCase();
  if (HARMLESS_NAMES.has(lower)) return false;
  if (SECRET_NAMES.has(lower) || CREDENTIAL_WORDS.test(lower) || SIGNATURE_WORD.test(lower)) return true;
  // apiSig, xSignature: a capital starts a word.
  return /[a-z0-9]Sig/.test(name);
}

/** A JWT or JWE in compact form (RFC 7519 §7.2: a base64url JSON header, which starts with "eyJ"). */
const JWT_SHAPED = /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*\./;

/** A credential given with its scheme, under whatever name (x-original-authorization, a forwarded header). */
const SCHEME_AND_CREDENTIALS = /^\s*(?:bearer|basic|digest|negotiate|ntlm|pop|dpop|sharedaccesssignature|sharedkey|sharedkeylite)\s+\S/i;

function isSecretValue(value: string): boolean {
  return JWT_SHAPED.test(value) || SCHEME_AND_CREDENTIALS.test(value);
}

/** Headers that carry the call's URL (App Service front end, proxies) or another URL. */
const URL_HEADERS = new Set(['x-original-url', 'x-waws-unencoded-url', 'referer', 'origin', 'location', 'x-ms-apim-referrer', 'x-ms-trigger-callback-url', 'x-rewrite-url']);
const LOOKS_LIKE_URL = /^(?:[a-z][a-z0-9+.-]*:\/\/|\/)/i;

function carriesUrl(name: string, value: string): boolean {
  return URL_HEADERS.has(name) || name.startsWith('x-forwarded-') || LOOKS_LIKE_URL.test(value) || value.includes('?');
}

/** A query parameter's value as it may be shown. */
export function redactQueryValue(name: string, value: string): string {
  if (isCredentialName(name)) return redacted(value);
  // A URL inside a parameter (redirect_uri, returnUrl) has its own query, redacted before the rest is judged.
  const shown = LOOKS_LIKE_URL.test(value) ? redactUrl(value) : value;
  return isSecretValue(shown) ? redacted(value) : shown;
}

/**
 * A URL (or path, or any text with `?`) with the values of its query and fragment parameters
 * redacted by the query rules; the rest of the text is kept as it came.
 */
export function redactUrl(text: string): string {
  const hash = text.indexOf('#');
  const beforeHash = hash === -1 ? text : text.slice(0, hash);
  const fragment = hash === -1 ? null : text.slice(hash + 1);
  const question = beforeHash.indexOf('?');
  const base = question === -1 ? beforeHash : beforeHash.slice(0, question);
  const query = question === -1 ? null : beforeHash.slice(question + 1);
  // Credentials in the authority part (https://user:password@host) are a credential too.
  const shownBase = base.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@]*)@/i, (_m, scheme: string, userinfo: string) => `${scheme}${redacted(userinfo)}@`);
  let out = shownBase;
  if (query !== null) out += `?${redactPairs(query)}`;
  // OAuth's implicit flow puts access_token in the fragment (RFC 6749 §4.2.2).
  if (fragment !== null) out += `#${redactPairs(fragment)}`;
  return out;
}

function redactPairs(text: string): string {
  return text
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq === -1 ? pair : pair.slice(0, eq);
      const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
      let name = rawName;
      let value = rawValue;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
        value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
      } catch {
        // Not valid percent-encoding: judged as it is.
      }
      if (eq === -1) return isSecretValue(name) ? redacted(rawName) : rawName;
      if (isCredentialName(name) || isSecretValue(value)) return `${rawName}=${redacted(rawValue)}`;
      return `${rawName}=${rawValue}`;
    })
    .join('&');
}

/**
 * Authorization schemes whose name may be shown (the credentials never are): the IANA HTTP
 * Authentication Scheme Registry (www.iana.org/assignments/http-authschemes) and the schemes of
 * Microsoft and AWS services a maker may meet. Anything else is shown only by its length.
 */
export function redactAuthorization(value: string, auth: Authorization = parseAuthorization(value)): string {
  switch (auth.kind) {
    case 'none':
      return value;
    case 'empty_bearer':
      return 'Bearer';
    case 'bearer':
      return `Bearer ${tokenFacts(auth.token).fingerprint}`;
    case 'other': {
      const scheme = knownScheme(auth.scheme);
      // An unknown "scheme" is most likely a raw key put straight into the header.
      if (scheme === null) return redacted(value.trim());
      return auth.credentials === '' ? scheme : `${scheme} ${redacted(auth.credentials)}`;
    }
  }
}

/** NOT_BEARER's message: names a known scheme; of anything else says only how long it is. */
export function notBearerMessage(auth: Extract<Authorization, { kind: 'other' }>): string {
  const scheme = knownScheme(auth.scheme);
  if (scheme !== null) return `the Authorization header uses the "${scheme}" scheme, not Bearer.`;
  const length = auth.scheme.length + (auth.credentials === '' ? 0 : auth.credentials.length + 1);
  return `the Authorization header does not start with a known scheme: its value (${length} chars, not shown) looks like a raw key, not "Bearer <token>".`;
}

/** A header's value as it may be shown. `auth`: the Authorization header already parsed, when the caller has it. */
export function redactHeader(name: string, value: string, auth?: Authorization): string {
  if (name === 'authorization' || name === 'proxy-authorization') return redactAuthorization(value, name === 'authorization' ? auth : undefined);
  if (isCredentialName(name)) return redacted(value);
  // The URL's credential parameters first: what is left is judged by its shape.
  const shown = carriesUrl(name, value) ? redactUrl(value) : value;
  return isSecretValue(shown) ? redacted(value) : shown;
}

/** The call's query as the report shows it: a name given twice is joined with ", ". */
export function shownQuery(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of params) {
    const shown = redactQueryValue(name, value);
    query[name] = query[name] === undefined ? shown : `${query[name]}, ${shown}`;
  }
  return query;
}

/** The call's headers as the report shows them. */
export function shownHeaders(headers: ReadonlyMap<string, string>, auth: Authorization): Record<string, string> {
  const shown: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of headers) shown[name] = redactHeader(name, value, auth);
  return shown;
}
