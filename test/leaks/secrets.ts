import { randomBytes } from 'node:crypto';

/**
 * The secrets of issue 11, each under the name a maker or a platform really uses, with a value no
 * report could contain by chance. Shared by the leak tests of every sink.
 */
const secret = (label: string): string => `S3CR3T${label.replace(/[^A-Za-z0-9]/g, '')}${randomBytes(9).toString('hex')}`;

/** A name the rule has never seen: random letters around a credential word, as a maker might name an API-key parameter. */
export function unknownCredentialName(): string {
  const words = ['key', 'secret', 'token', 'password', 'passwd', 'pwd', 'sig', 'signature', 'auth', 'credential', 'session', 'cookie'];
  const word = words[randomBytes(1)[0]! % words.length] ?? 'key';
  const letters = (n: number): string => Array.from(randomBytes(n), (b) => String.fromCharCode(97 + (b % 26))).join('');
  return `x-${letters(5)}-${word}-${letters(4)}`;
}

export const SECRET_QUERY_NAMES = ['code', 'refresh_token', 'api_key', 'apikey', 'password', 'client_assertion', 'subscription-key', 'secret', 'access_token', 'sig'];
export const SECRET_HEADER_NAMES = [
  'apikey',
  'x-apikey',
  'x-auth-token',
  'x-access-token',
  'authentication',
  'x-goog-api-key',
  'x-amz-security-token',
  'x-functions-key',
  'ocp-apim-subscription-key',
  'cookie',
  'x-ms-token-aad-access-token',
];

export interface LeakCall {
  /** Every secret value sent, by where it was put. */
  secrets: Record<string, string>;
  /** Path and query to call (under /api/echo). */
  pathAndQuery: string;
  headers: Record<string, string>;
}

/** One call carrying every secret of the issue at once: a raw key in Authorization, secret query parameters, secret headers, URL headers. */
export function leakCall(): LeakCall {
  const secrets: Record<string, string> = {};
  const rawKey = `sk_live_${secret('rawkey')}`;
  secrets['authorization'] = rawKey;
  const query = new URLSearchParams();
  const queryNames = [...SECRET_QUERY_NAMES, unknownCredentialName().replace(/^x-/, '')];
  for (const name of queryNames) {
    const value = secret(`q${name}`);
    secrets[`query ${name}`] = value;
    query.set(name, value);
  }
  query.set('id', '42');
  const pathAndQuery = `/orders?${query.toString()}`;
  const headers: Record<string, string> = { authorization: rawKey };
  for (const name of [...SECRET_HEADER_NAMES, unknownCredentialName()]) {
    const value = secret(`h${name}`);
    secrets[`header ${name}`] = value;
    headers[name] = value;
  }
  // App Service's front end copies the whole URL, query and function key included, into these.
  const functionKey = secret('functionkey');
  secrets['x-original-url code'] = functionKey;
  headers['x-original-url'] = `/api/echo/orders?code=${functionKey}&id=42`;
  const unencoded = secret('unencoded');
  secrets['x-waws-unencoded-url sig'] = unencoded;
  headers['x-waws-unencoded-url'] = `/api/echo/orders?sig=${unencoded}&id=42`;
  const referer = secret('referer');
  secrets['referer access_token'] = referer;
  headers['referer'] = `https://make.powerautomate.com/callback#access_token=${referer}&state=1`;
  const forwarded = secret('forwarded');
  secrets['x-forwarded-uri api_key'] = forwarded;
  headers['x-forwarded-uri'] = `/api/echo?api_key=${forwarded}`;
  return { secrets, pathAndQuery, headers };
}

/** The secrets (by where they were put) found in `text`. */
export function leaked(text: string, secrets: Record<string, string>): string[] {
  return Object.entries(secrets)
    .filter(([, value]) => text.includes(value) || text.includes(encodeURIComponent(value)))
    .map(([where]) => where);
}
