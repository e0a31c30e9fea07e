/**
 * Settings, loaded by a pure function of the environment (go-httpbin's loadConfig): every value is
 * parsed and checked once at start, and a bad one is reported by name with the value expected.
 * Documented once, in the README's settings table.
 */
export interface Settings {
  /** Tenant GUID or verified domain whose keys and issuers are trusted; null: decode and explain only. */
  tenant: string | null;
  /** Accepted `aud` values: the API's App ID URI(s) and/or client ID. Empty: not checked. */
  audiences: string[];
  /** Delegated scopes; a user token must carry at least one (Microsoft.Identity.Web's RequiredScope). */
  scopes: string[];
  /** App roles accepted for app-only tokens. */
  roles: string[];
  /** Calling app IDs (`azp`/`appid`) allowed. Empty: not checked. */
  clientIds: string[];
  /** Authority origin, e.g. https://login.microsoftonline.com (no trailing slash). */
  authority: string;
  /** Clock skew tolerated on `exp`/`nbf`, in seconds (.NET's default is 300). */
  clockSkewSeconds: number;
  /** Answer 401 with WWW-Authenticate for invalid or missing tokens. */
  strict: boolean;
  /** Timeout of one metadata or key fetch, in milliseconds. */
  fetchTimeoutMs: number;
  /** Byte budget of the decoded-token memo (src/inspect/token-memo.ts). */
  tokenCacheBytes: number;
  history: HistorySettings;
  telemetry: TelemetrySettings;
}

export type HistoryStorage =
  | { kind: 'connectionString'; connectionString: string }
  /** Identity-based AzureWebJobsStorage (AzureWebJobsStorage__tableServiceUri / __accountName, __clientId). */
  | { kind: 'identity'; tableServiceUri: string; clientId: string | null };

export type HistorySettings =
  | { kind: 'off' }
  | { kind: 'memory'; max: number; ttlHours: number; maxBytes: number }
  | { kind: 'table'; max: number; ttlHours: number; storage: HistoryStorage; tableName: string };

export interface TelemetrySettings {
  /** APPLICATIONINSIGHTS_CONNECTION_STRING; null: the SDK is not loaded at all. */
  connectionString: string | null;
  /** `identifiers`: the event carries identifiers only (never names, e-mail, upn, IP); `all`: every claim. */
  logClaims: 'identifiers' | 'all';
  /** Managed identity client ID for Entra-authenticated ingestion (APPLICATIONINSIGHTS_AUTHENTICATION_STRING), or null. */
  aadClientId: string | null | undefined;
}

export const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com';
export const DEFAULT_CLOCK_SKEW_SECONDS = 300;
export const DEFAULT_FETCH_TIMEOUT_SECONDS = 5;
/**
 * Byte budgets of what an instance remembers, chosen so that its caches stay under 64 MiB of heap:
 * the memory history 32 MiB, the decoded-token memo 16 MiB, and the key store's verified-token sets
 * (10,000 fingerprints per signing key, about 1.5 MiB each, a handful of keys) the rest.
 */
export const DEFAULT_HISTORY_MIB = 32;
export const DEFAULT_TOKEN_CACHE_MIB = 16;
const MIB = 2 ** 20;

export interface SettingProblem {
  setting: string;
  value: string;
  expected: string;
}

export class ConfigError extends Error {
  readonly problems: SettingProblem[];
  constructor(problems: SettingProblem[]) {
    super(problems.map(describeProblem).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function describeProblem(p: SettingProblem): string {
  return `${p.setting}=${JSON.stringify(p.value)} is not valid: expected ${p.expected}.`;
}

export type Env = Readonly<Record<string, string | undefined>>;

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A verified domain: DNS labels separated by dots, at least two labels (contoso.onmicrosoft.com).
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

const BOOLEAN_EXPECTED = 'true or false (also 1 or 0, yes or no)';

/**
 * The one reading of a yes/no value, for settings (TOKEN_ECHO_STRICT) and query flags (?strict=1)
 * alike: true/1/yes or false/0/no, any case; undefined for anything else.
 */
export function parseBoolean(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  return undefined;
}

function list(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** Returns the settings, or throws a ConfigError listing every malformed setting at once. */
export function loadConfig(env: Env): Settings {
  const problems: SettingProblem[] = [];
  const text = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };

  const tenantRaw = text('TOKEN_ECHO_TENANT_ID');
  let tenant: string | null = null;
  if (tenantRaw !== undefined) {
    if (isGuid(tenantRaw)) tenant = tenantRaw.toLowerCase();
    else if (DOMAIN.test(tenantRaw)) tenant = tenantRaw.toLowerCase();
    else
      problems.push({
        setting: 'TOKEN_ECHO_TENANT_ID',
        value: tenantRaw,
        expected: 'a tenant GUID (00000000-0000-0000-0000-000000000000) or a verified domain (contoso.onmicrosoft.com)',
      });
  }

  const authorityRaw = text('TOKEN_ECHO_AUTHORITY') ?? DEFAULT_AUTHORITY;
  let authority = DEFAULT_AUTHORITY;
  const authorityExpected =
    'an absolute https URL of the authority host, e.g. https://login.microsoftonline.com (http only for localhost/127.0.0.1), with no path, query or credentials';
  try {
    const url = new URL(authorityRaw);
    const schemeOk = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
    const shapeOk = (url.pathname === '/' || url.pathname === '') && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
    if (schemeOk && shapeOk) authority = url.origin;
    else problems.push({ setting: 'TOKEN_ECHO_AUTHORITY', value: authorityRaw, expected: authorityExpected });
  } catch {
    problems.push({ setting: 'TOKEN_ECHO_AUTHORITY', value: authorityRaw, expected: authorityExpected });
  }

  const number = (name: string, fallback: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (/^\d+$/.test(raw) && Number(raw) <= max) return Number(raw);
    problems.push({ setting: name, value: raw, expected: `a whole number of seconds from 0 to ${max}` });
    return fallback;
  };
  const clockSkewSeconds = number('TOKEN_ECHO_CLOCK_SKEW', DEFAULT_CLOCK_SKEW_SECONDS, 86_400);
  const fetchTimeoutSeconds = number('TOKEN_ECHO_FETCH_TIMEOUT', DEFAULT_FETCH_TIMEOUT_SECONDS, 120);

  const strictRaw = text('TOKEN_ECHO_STRICT');
  let strict = false;
  if (strictRaw !== undefined) {
    const parsed = parseBoolean(strictRaw);
    if (parsed === undefined) problems.push({ setting: 'TOKEN_ECHO_STRICT', value: strictRaw, expected: BOOLEAN_EXPECTED });
    else strict = parsed;
  }

  const clientIds = list(env['TOKEN_ECHO_CLIENT_IDS']);
  for (const id of clientIds) {
    if (!isGuid(id)) problems.push({ setting: 'TOKEN_ECHO_CLIENT_IDS', value: id, expected: 'comma-separated application (client) ID GUIDs' });
  }
  const words = (name: string): string[] => {
    const values = list(env[name]);
    for (const v of values) {
      if (/\s/.test(v)) problems.push({ setting: name, value: v, expected: 'comma-separated values without spaces inside a value' });
    }
    return values;
  };
  const audiences = words('TOKEN_ECHO_AUDIENCES');
  const scopes = words('TOKEN_ECHO_SCOPES');
  const roles = words('TOKEN_ECHO_ROLES');

  const history = historySettings(text, problems);
  const tokenCacheMiB = wholeNumber(text, problems, 'TOKEN_ECHO_TOKEN_CACHE_MIB', DEFAULT_TOKEN_CACHE_MIB, 1, 1024);
  const logClaimsRaw = text('TOKEN_ECHO_LOG_CLAIMS') ?? 'identifiers';
  if (logClaimsRaw !== 'identifiers' && logClaimsRaw !== 'all') problems.push({ setting: 'TOKEN_ECHO_LOG_CLAIMS', value: logClaimsRaw, expected: 'identifiers or all' });
  const telemetry: TelemetrySettings = {
    connectionString: text('APPLICATIONINSIGHTS_CONNECTION_STRING') ?? null,
    logClaims: logClaimsRaw === 'all' ? 'all' : 'identifiers',
    aadClientId: aadClientId(text('APPLICATIONINSIGHTS_AUTHENTICATION_STRING')),
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    tenant,
    audiences,
    scopes,
    roles,
    clientIds: clientIds.map((c) => c.toLowerCase()),
    authority,
    clockSkewSeconds,
    strict,
    fetchTimeoutMs: fetchTimeoutSeconds * 1000,
    tokenCacheBytes: tokenCacheMiB * MIB,
    history,
    telemetry,
  };
}

/**
 * Where reports are kept: TOKEN_ECHO_HISTORY, or by default the function app's own storage
 * (AzureWebJobsStorage, shared by all its instances) when it has real storage, else memory.
 * "UseDevelopmentStorage=true" counts as no storage unless `table` is asked for explicitly,
 * so `npm start` works without Azurite.
 */
function wholeNumber(text: (name: string) => string | undefined, problems: SettingProblem[], name: string, fallback: number, min: number, max: number): number {
  const raw = text(name);
  if (raw === undefined) return fallback;
  if (/^\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max) return Number(raw);
  problems.push({ setting: name, value: raw, expected: `a whole number from ${min} to ${max}` });
  return fallback;
}

function historySettings(text: (name: string) => string | undefined, problems: SettingProblem[]): HistorySettings {
  const whole = (name: string, fallback: number, min: number, max: number): number => wholeNumber(text, problems, name, fallback, min, max);
  const max = whole('TOKEN_ECHO_HISTORY_MAX', 500, 1, 100_000);
  const ttlHours = whole('TOKEN_ECHO_HISTORY_TTL_HOURS', 48, 1, 8760);
  const maxBytes = whole('TOKEN_ECHO_HISTORY_MIB', DEFAULT_HISTORY_MIB, 1, 1024) * MIB;
  const storage = storageSettings(text);
  const kindRaw = text('TOKEN_ECHO_HISTORY');
  if (kindRaw !== undefined && !['memory', 'table', 'off'].includes(kindRaw)) {
    problems.push({ setting: 'TOKEN_ECHO_HISTORY', value: kindRaw, expected: 'memory, table or off' });
    return { kind: 'memory', max, ttlHours, maxBytes };
  }
  const explicitDev = storage?.kind === 'connectionString' && /^UseDevelopmentStorage=true/i.test(storage.connectionString);
  const kind = kindRaw ?? (storage && !explicitDev ? 'table' : 'memory');
  if (kind === 'off') return { kind: 'off' };
  if (kind === 'memory') return { kind: 'memory', max, ttlHours, maxBytes };
  if (!storage) {
    problems.push({ setting: 'TOKEN_ECHO_HISTORY', value: 'table', expected: 'memory or off, or set AzureWebJobsStorage (the function app\'s storage) for table' });
    return { kind: 'memory', max, ttlHours, maxBytes };
  }
  const tableName = text('TOKEN_ECHO_HISTORY_TABLE') ?? 'tokenechoreports';
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(tableName)) problems.push({ setting: 'TOKEN_ECHO_HISTORY_TABLE', value: tableName, expected: 'a table name: 3 to 63 letters and digits, starting with a letter' });
  return { kind: 'table', max, ttlHours, storage, tableName };
}

function storageSettings(text: (name: string) => string | undefined): HistoryStorage | null {
  const connectionString = text('AzureWebJobsStorage');
  if (connectionString !== undefined) return { kind: 'connectionString', connectionString };
  const uri = text('AzureWebJobsStorage__tableServiceUri') ?? (text('AzureWebJobsStorage__accountName') ? `https://${text('AzureWebJobsStorage__accountName')}.table.core.windows.net` : undefined);
  if (uri === undefined) return null;
  return { kind: 'identity', tableServiceUri: uri, clientId: text('AzureWebJobsStorage__clientId') ?? null };
}

/** `Authorization=AAD;ClientId=<guid>` (azure-docs: Microsoft Entra authentication for Application Insights). */
function aadClientId(value: string | undefined): string | null | undefined {
  if (value === undefined || !/(^|;)\s*Authorization\s*=\s*AAD\s*(;|$)/i.test(value)) return undefined;
  return /(?:^|;)\s*ClientId\s*=\s*([^;]+)/i.exec(value)?.[1]?.trim() ?? null;
}

/** The settings as shown by /api/health: nothing here is secret. */
export function describeSettings(s: Settings): Record<string, unknown> {
  return {
    TOKEN_ECHO_TENANT_ID: s.tenant,
    TOKEN_ECHO_AUDIENCES: s.audiences,
    TOKEN_ECHO_SCOPES: s.scopes,
    TOKEN_ECHO_ROLES: s.roles,
    TOKEN_ECHO_CLIENT_IDS: s.clientIds,
    TOKEN_ECHO_AUTHORITY: s.authority,
    TOKEN_ECHO_CLOCK_SKEW: s.clockSkewSeconds,
    TOKEN_ECHO_STRICT: s.strict,
    TOKEN_ECHO_FETCH_TIMEOUT: s.fetchTimeoutMs / 1000,
    TOKEN_ECHO_HISTORY: s.history.kind,
    ...(s.history.kind === 'off' ? {} : { TOKEN_ECHO_HISTORY_MAX: s.history.max, TOKEN_ECHO_HISTORY_TTL_HOURS: s.history.ttlHours }),
    ...(s.history.kind === 'memory' ? { TOKEN_ECHO_HISTORY_MIB: s.history.maxBytes / MIB } : {}),
    TOKEN_ECHO_TOKEN_CACHE_MIB: s.tokenCacheBytes / MIB,
    ...(s.history.kind === 'table' ? { TOKEN_ECHO_HISTORY_TABLE: s.history.tableName, storage: s.history.storage.kind } : {}),
    TOKEN_ECHO_LOG_CLAIMS: s.telemetry.logClaims,
    applicationInsights: s.telemetry.connectionString === null ? 'off' : s.telemetry.aadClientId === undefined ? 'on' : 'on (Entra ID authentication)',
  };
}

/** The settings table of the README is generated from this list (`npm run generate`); a test keeps them equal. */
export const SETTINGS_DOC: ReadonlyArray<{ name: string; default: string; meaning: string }> = [
  { name: 'TOKEN_ECHO_TENANT_ID', default: '(none: decode only)', meaning: 'Tenant GUID or verified domain whose keys and issuers are trusted. Without it the endpoint decodes and explains; verdict `unverified`.' },
  { name: 'TOKEN_ECHO_AUDIENCES', default: '(none: any `aud`)', meaning: 'Comma-separated accepted `aud` values: the API\'s App ID URI(s) and/or client ID. A client-ID GUID here also lets token-echo look for app-specific signing keys.' },
  { name: 'TOKEN_ECHO_SCOPES', default: '(none: any `scp`)', meaning: 'Comma-separated delegated scopes; a user token must carry at least one (as Microsoft.Identity.Web\'s RequiredScope).' },
  { name: 'TOKEN_ECHO_ROLES', default: '(none)', meaning: 'Comma-separated app roles accepted (Microsoft.Identity.Web\'s RequiredScopeOrAppPermission: a listed scope or role). Without it, an app-only token (no `scp`) is refused when TOKEN_ECHO_SCOPES is set, accepted when neither is (IDW10201 only).' },
  { name: 'TOKEN_ECHO_CLIENT_IDS', default: '(none: any client)', meaning: 'Comma-separated calling app IDs (`azp`/`appid`) allowed, e.g. the connector\'s app registration.' },
  { name: 'TOKEN_ECHO_AUTHORITY', default: DEFAULT_AUTHORITY, meaning: 'Authority host (sovereign clouds differ): the tenant\'s v1 and v2 metadata and keys come from it only. `http` only for loopback.' },
  { name: 'TOKEN_ECHO_CLOCK_SKEW', default: String(DEFAULT_CLOCK_SKEW_SECONDS), meaning: 'Seconds of clock skew tolerated on `exp` and `nbf` (.NET\'s default).' },
  { name: 'TOKEN_ECHO_STRICT', default: 'false', meaning: '`true` (or `1`, `yes`): invalid or missing tokens get `401` with `WWW-Authenticate` (RFC 6750; RFC 9728 on `/api/mcp`) and the same body.' },
  { name: 'TOKEN_ECHO_FETCH_TIMEOUT', default: String(DEFAULT_FETCH_TIMEOUT_SECONDS), meaning: 'Seconds one metadata or key fetch may take.' },
  { name: 'TOKEN_ECHO_HISTORY', default: 'table with storage, else memory', meaning: 'Where reports are kept: `memory` (per instance), `table` (Table Storage through the app\'s own `AzureWebJobsStorage`, connection string or identity-based; shared by all instances) or `off`. `UseDevelopmentStorage=true` means memory unless `table` is set (then Azurite).' },
  { name: 'TOKEN_ECHO_HISTORY_MAX', default: '500', meaning: 'How many reports the history keeps; the oldest go first.' },
  { name: 'TOKEN_ECHO_HISTORY_TTL_HOURS', default: '48', meaning: 'How long the history keeps a report, in hours.' },
  { name: 'TOKEN_ECHO_HISTORY_MIB', default: String(DEFAULT_HISTORY_MIB), meaning: 'Memory history only: the most its reports may take, in MiB; the oldest go first. With the token cache: under 64 MiB of heap.' },
  { name: 'TOKEN_ECHO_TOKEN_CACHE_MIB', default: String(DEFAULT_TOKEN_CACHE_MIB), meaning: 'The most the cache of decoded tokens may take, in MiB; the oldest go first.' },
  { name: 'TOKEN_ECHO_HISTORY_TABLE', default: 'tokenechoreports', meaning: 'The table used by the `table` history.' },
  { name: 'TOKEN_ECHO_LOG_CLAIMS', default: 'identifiers', meaning: 'Claims in the telemetry event: `identifiers` (aud, iss, tid, ver, scp, roles, azp/appid, oid; never names, e-mail, upn or IP address) or `all`.' },
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', default: '(none: no telemetry)', meaning: 'When set, every call sends one `TokenEchoReport` custom event; the SDK is not loaded otherwise.' },
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', default: '(none)', meaning: '`Authorization=AAD;ClientId=<managed identity client ID>` when the resource disables local authentication: token-echo then gives the SDK a managed-identity credential.' },
  { name: 'TOKEN_ECHO_LOCAL_KEY', default: '(made at start)', meaning: 'Local host only: the key for `function`-level functions (`x-functions-key` header or `?code=`). In Azure, keys are the platform\'s.' },
  { name: 'PORT', default: '7071', meaning: 'Local host only: the port `npm start` listens on (`--port` overrides).' },
];
