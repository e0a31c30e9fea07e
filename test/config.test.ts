import { describe, expect, test } from 'vitest';

import { ConfigError, DEFAULT_AUTHORITY, loadConfig, parseBoolean } from '../src/config.js';

const GUID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('loadConfig', () => {
  test('nothing set: decode-only defaults', () => {
    expect(loadConfig({})).toEqual({
      tenant: null,
      audiences: [],
      scopes: [],
      roles: [],
      clientIds: [],
      authority: DEFAULT_AUTHORITY,
      clockSkewSeconds: 300,
      strict: false,
      fetchTimeoutMs: 5000,
      tokenCacheBytes: 16 * 2 ** 20,
      history: { kind: 'memory', max: 500, ttlHours: 48, maxBytes: 32 * 2 ** 20 },
      telemetry: { connectionString: null, logClaims: 'identifiers', aadClientId: undefined },
    });
  });

  test('history: table with real storage, memory with none or development storage, table on request', () => {
    const account = 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=eA==;EndpointSuffix=core.windows.net';
    expect(loadConfig({ AzureWebJobsStorage: account }).history).toMatchObject({ kind: 'table', max: 500, ttlHours: 48, tableName: 'tokenechoreports' });
    expect(loadConfig({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' }).history.kind).toBe('memory');
    expect(loadConfig({ AzureWebJobsStorage: 'UseDevelopmentStorage=true', TOKEN_ECHO_HISTORY: 'table' }).history.kind).toBe('table');
    expect(loadConfig({ AzureWebJobsStorage__accountName: 'acct', AzureWebJobsStorage__clientId: 'c' }).history).toMatchObject({
      kind: 'table',
      storage: { kind: 'identity', tableServiceUri: 'https://acct.table.core.windows.net', clientId: 'c' },
    });
    expect(loadConfig({ TOKEN_ECHO_HISTORY: 'off' }).history).toEqual({ kind: 'off' });
    expect(loadConfig({ TOKEN_ECHO_HISTORY_MAX: '10', TOKEN_ECHO_HISTORY_TTL_HOURS: '1' }).history).toEqual({ kind: 'memory', max: 10, ttlHours: 1, maxBytes: 32 * 2 ** 20 });
  });

  test('telemetry: the connection string, the claims setting, Entra-authenticated ingestion', () => {
    const t = loadConfig({
      APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-000000000000',
      TOKEN_ECHO_LOG_CLAIMS: 'all',
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=abc',
    }).telemetry;
    expect(t).toEqual({ connectionString: 'InstrumentationKey=00000000-0000-0000-0000-000000000000', logClaims: 'all', aadClientId: 'abc' });
    expect(loadConfig({ APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD' }).telemetry.aadClientId).toBeNull();
  });

  test('every setting parsed', () => {
    const s = loadConfig({
      TOKEN_ECHO_TENANT_ID: GUID.toUpperCase(),
      TOKEN_ECHO_AUDIENCES: ' api://contoso-api , 1b2c3d4e-0000-0000-0000-000000000001,',
      TOKEN_ECHO_SCOPES: 'access_as_user,Echo.Read',
      TOKEN_ECHO_ROLES: 'Echo.Read.All',
      TOKEN_ECHO_CLIENT_IDS: '5F1C6A3E-2B7D-4C8E-9A10-0C6D2E7F8A91',
      TOKEN_ECHO_AUTHORITY: 'https://login.microsoftonline.us/',
      TOKEN_ECHO_CLOCK_SKEW: '60',
      TOKEN_ECHO_STRICT: 'TRUE',
      TOKEN_ECHO_FETCH_TIMEOUT: '2',
    });
    expect(s).toEqual({
      tenant: GUID,
      audiences: ['api://contoso-api', '1b2c3d4e-0000-0000-0000-000000000001'],
      scopes: ['access_as_user', 'Echo.Read'],
      roles: ['Echo.Read.All'],
      clientIds: ['5f1c6a3e-2b7d-4c8e-9a10-0c6d2e7f8a91'],
      authority: 'https://login.microsoftonline.us',
      clockSkewSeconds: 60,
      strict: true,
      fetchTimeoutMs: 2000,
      tokenCacheBytes: 16 * 2 ** 20,
      history: { kind: 'memory', max: 500, ttlHours: 48, maxBytes: 32 * 2 ** 20 },
      telemetry: { connectionString: null, logClaims: 'identifiers', aadClientId: undefined },
    });
  });

  test('a verified domain is a tenant; http is allowed for loopback only', () => {
    expect(loadConfig({ TOKEN_ECHO_TENANT_ID: 'Contoso.onmicrosoft.com' }).tenant).toBe('contoso.onmicrosoft.com');
    expect(loadConfig({ TOKEN_ECHO_AUTHORITY: 'http://127.0.0.1:8080' }).authority).toBe('http://127.0.0.1:8080');
    expect(loadConfig({ TOKEN_ECHO_AUTHORITY: 'http://localhost:8080' }).authority).toBe('http://localhost:8080');
  });

  const bad: Array<[string, Record<string, string>, string, RegExp]> = [
    ['a tenant that is neither GUID nor domain', { TOKEN_ECHO_TENANT_ID: 'contoso' }, 'TOKEN_ECHO_TENANT_ID', /tenant GUID .* or a verified domain/],
    ['common is not one tenant', { TOKEN_ECHO_TENANT_ID: 'common' }, 'TOKEN_ECHO_TENANT_ID', /tenant GUID/],
    ['a non-numeric skew', { TOKEN_ECHO_CLOCK_SKEW: '5m' }, 'TOKEN_ECHO_CLOCK_SKEW', /whole number of seconds/],
    ['a negative skew', { TOKEN_ECHO_CLOCK_SKEW: '-1' }, 'TOKEN_ECHO_CLOCK_SKEW', /whole number of seconds/],
    ['a relative authority', { TOKEN_ECHO_AUTHORITY: 'login.microsoftonline.com' }, 'TOKEN_ECHO_AUTHORITY', /absolute https URL/],
    ['an http authority off loopback', { TOKEN_ECHO_AUTHORITY: 'http://login.microsoftonline.com' }, 'TOKEN_ECHO_AUTHORITY', /http only for localhost/],
    ['an authority with a path', { TOKEN_ECHO_AUTHORITY: 'https://login.microsoftonline.com/contoso' }, 'TOKEN_ECHO_AUTHORITY', /no path/],
    ['strict that is not a boolean', { TOKEN_ECHO_STRICT: 'maybe' }, 'TOKEN_ECHO_STRICT', /true or false/],
    ['a client ID that is not a GUID', { TOKEN_ECHO_CLIENT_IDS: 'my-connector' }, 'TOKEN_ECHO_CLIENT_IDS', /GUIDs/],
    ['an unknown history kind', { TOKEN_ECHO_HISTORY: 'disk' }, 'TOKEN_ECHO_HISTORY', /memory, table or off/],
    ['table history without storage', { TOKEN_ECHO_HISTORY: 'table' }, 'TOKEN_ECHO_HISTORY', /AzureWebJobsStorage/],
    ['a history bound of zero', { TOKEN_ECHO_HISTORY_MAX: '0' }, 'TOKEN_ECHO_HISTORY_MAX', /from 1 to 100000/],
    ['an unknown claims setting', { TOKEN_ECHO_LOG_CLAIMS: 'some' }, 'TOKEN_ECHO_LOG_CLAIMS', /identifiers or all/],
    ['an audience with a space inside', { TOKEN_ECHO_AUDIENCES: 'api://a b' }, 'TOKEN_ECHO_AUDIENCES', /without spaces/],
  ];
  test.each(bad)('%s fails, naming the setting and the value expected', (_label, env, setting, expected) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.setting)).toEqual([setting]);
    expect(problems[0]?.expected).toMatch(expected);
    expect((error as ConfigError).message).toContain(`${setting}=`);
  });

  test('every problem is reported at once', () => {
    expect(() => loadConfig({ TOKEN_ECHO_TENANT_ID: 'x', TOKEN_ECHO_CLOCK_SKEW: 'y' })).toThrow(/TOKEN_ECHO_TENANT_ID[\s\S]*TOKEN_ECHO_CLOCK_SKEW/);
  });
});

describe('parseBoolean: one reading for settings and query flags', () => {
  test.each([
    ['true', true], ['1', true], ['yes', true], [' YES ', true], ['True', true],
    ['false', false], ['0', false], ['no', false], ['NO', false],
    ['maybe', undefined], ['', undefined], ['on', undefined], ['2', undefined],
  ])('%j → %j', (text, expected) => {
    expect(parseBoolean(text)).toBe(expected);
  });

  test('TOKEN_ECHO_STRICT accepts what ?strict= accepts', () => {
    for (const value of ['1', 'yes', 'true']) expect(loadConfig({ TOKEN_ECHO_STRICT: value }).strict).toBe(true);
    for (const value of ['0', 'no', 'false']) expect(loadConfig({ TOKEN_ECHO_STRICT: value }).strict).toBe(false);
  });
});
