import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { apiDefinition, apiProperties } from '../../src/connector/definition.js';
import { type ConnectorInputs, connectorInputs } from '../../src/connector/inputs.js';
import { reportSchema } from '../../src/report/schema.js';
import { apiPropertiesValidator, swaggerParserProblems, swaggerValidator } from '../helpers/connector-schemas.js';
import { connectorSchemas, describeWith } from '../helpers/prerequisites.js';
import { ROOT, type SpawnedHost, runCli, spawnHost } from '../helpers/spawn-host.js';

const CLIENT = '5f1c6a3e-2b7d-4c8e-9a10-0c6d2e7f8a91';
const API = 'api://8d2b4f60-1a3c-4e5f-8b7a-9c0d1e2f3a4b';
const SETTINGS = {
  TOKEN_ECHO_CLIENT_IDS: CLIENT,
  TOKEN_ECHO_AUDIENCES: `8d2b4f60-1a3c-4e5f-8b7a-9c0d1e2f3a4b,${API}`,
  TOKEN_ECHO_SCOPES: 'access_as_user',
  TOKEN_ECHO_TENANT_ID: 'contoso.onmicrosoft.com',
};

const inputs = (flags: Parameters<typeof connectorInputs>[0] = {}): ConnectorInputs =>
  connectorInputs({ host: 'contoso-echo.azurewebsites.net', clientId: CLIENT, resource: API, scope: 'access_as_user', ...flags }, {});

type Schema = { properties?: Record<string, Schema>; required?: string[]; items?: Schema; oneOf?: Schema[]; type?: unknown };

/** Every property path the report's JSON Schema marks as always present. */
function requiredPaths(schema: Schema, prefix = ''): string[] {
  const object = schema.oneOf?.find((s) => s.type !== 'null') ?? schema;
  const out: string[] = [];
  for (const name of object.required ?? []) {
    const child = object.properties?.[name] ?? {};
    out.push(`${prefix}${name}`);
    out.push(...requiredPaths(child.items ?? child, `${prefix}${name}${child.items ? '[]' : ''}.`));
  }
  return out;
}

function declared(schema: Schema, dotted: string): boolean {
  let node: Schema | undefined = schema;
  for (const part of dotted.split('.')) {
    const name = part.replace(/\[\]$/, '');
    node = node?.properties?.[name];
    if (node && part.endsWith('[]')) node = node.items;
    if (!node) return false;
  }
  return true;
}

describe('apiDefinition.swagger.json', () => {
  test('passes swagger-parser', async () => {
    expect(await swaggerParserProblems(apiDefinition(inputs()))).toEqual([]);
  });

  test('wires the internal TestConnection as the connection test (x-ms-capabilities, learn.microsoft.com/connectors/custom-connectors/test-connection)', () => {
    const doc = apiDefinition(inputs()) as Record<string, any>;
    expect(doc['x-ms-capabilities']).toEqual({ testConnection: { operationId: 'TestConnection', parameters: {} } });
    // "The operationId specified in this attribute must exist within this same OpenAPI specification":
    // a GET with no parameters, hidden from makers.
    const operations = Object.values(doc.paths as Record<string, Record<string, any>>).flatMap((item) => Object.entries(item).map(([method, op]) => ({ method, ...op })));
    expect(operations.filter((op) => op.operationId === 'TestConnection')).toEqual([expect.objectContaining({ method: 'get', parameters: [], 'x-ms-visibility': 'internal' })]);
  });

  test('declares EchoGet, EchoPost and an internal TestConnection, with OAuth against the authority', () => {
    const doc = apiDefinition(inputs({ tenant: 'contoso.onmicrosoft.com' })) as Record<string, any>;
    expect(doc.swagger).toBe('2.0');
    expect(doc.host).toBe('contoso-echo.azurewebsites.net');
    expect(doc.basePath).toBe('/api');
    expect(doc.paths['/echo'].get.operationId).toBe('EchoGet');
    expect(doc.paths['/echo'].post.operationId).toBe('EchoPost');
    expect(doc.paths['/echo/test-connection'].get).toMatchObject({ operationId: 'TestConnection', 'x-ms-visibility': 'internal' });
    for (const op of [doc.paths['/echo'].get, doc.paths['/echo'].post]) {
      expect(op.summary).toBeTruthy();
      expect(op.description).toBeTruthy();
      for (const p of op.parameters) expect(p['x-ms-summary']).toBeTruthy();
    }
    expect(doc.securityDefinitions['oauth2-auth']).toMatchObject({ type: 'oauth2', flow: 'accessCode', authorizationUrl: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/authorize' });
  });

  test('the response schema declares every field the report always has, and the main claims', () => {
    const report = apiDefinition(inputs()).definitions as Record<string, Schema>;
    const schema = report['Report'] as Schema;
    const paths = requiredPaths(reportSchema as unknown as Schema);
    expect(paths).toEqual(expect.arrayContaining(['verdict', 'summary', 'reasons[].code', 'reasons[].fix', 'checks[].name', 'connector.oboHeader', 'token.client']));
    for (const p of paths) expect(declared(schema, p), p).toBe(true);
    for (const claim of ['aud', 'scp', 'roles', 'azp', 'appid', 'tid', 'ver', 'oid']) expect(declared(schema, `token.claims.${claim}`), claim).toBe(true);
  });

  test('the response schema carries the front doors\' section, so a flow can read each verdict and snippet', () => {
    const schema = (apiDefinition(inputs()).definitions as Record<string, Schema>)['Report'] as Schema;
    for (const p of ['validators[].profile', 'validators[].verdict', 'validators[].firstRefusal.rule', 'validators[].firstRefusal.setting', 'validators[].snippet', 'validators[].snippetForSettings']) {
      expect(declared(schema, p), p).toBe(true);
    }
  });
});

describe('apiProperties.json', () => {
  test('an aad OAuth connection with on-behalf-of on, in the certified connectors\' shape', () => {
    const doc = apiProperties(inputs()) as Record<string, any>;
    const oauth = doc.properties.connectionParameters.token.oAuthSettings;
    expect(oauth).toMatchObject({
      identityProvider: 'aad',
      clientId: CLIENT,
      scopes: [`${API}/access_as_user`],
      redirectMode: 'GlobalPerConnector',
      properties: { IsFirstParty: 'False', AzureActiveDirectoryResourceId: API, IsOnbehalfofLoginSupported: true },
      customParameters: { loginUri: { value: 'https://login.microsoftonline.com' }, tenantId: { value: 'common' }, resourceUri: { value: API }, enableOnbehalfOfLogin: { value: 'true' } },
    });
    // The secret is the maker's to enter: never in the files.
    expect(JSON.stringify(doc)).not.toMatch(/secret/i);
  });
});

describeWith(connectorSchemas(), "Microsoft's connector schemas (PowerPlatformConnectors schemas/)", (dir) => {
  const validateSwagger = swaggerValidator(dir);
  const validateProperties = apiPropertiesValidator(dir);

  test('apiDefinition.swagger.json passes, x-ms-capabilities.testConnection included', () => {
    const doc = apiDefinition(inputs()) as Record<string, any>;
    expect(doc['x-ms-capabilities'].testConnection.operationId).toBe('TestConnection');
    expect(validateSwagger(doc)).toEqual([]);
    // The schema checks testConnection's shape: a wrong one is refused, so the pass above means something.
    expect(validateSwagger({ ...doc, 'x-ms-capabilities': { testConnection: { operation: 'TestConnection' } } })).not.toEqual([]);
  });

  test('with --no-obo and global redirect, apiProperties.json passes the paconn schema as it is', () => {
    expect(validateProperties(apiProperties(inputs({ obo: false, redirectMode: 'global' })))).toEqual([]);
  });

  test('the defaults differ from that schema only where it predates Microsoft\'s own certified connectors', () => {
    const doc = apiProperties(inputs()) as Record<string, any>;
    // The schema's era: no enableOnbehalfOfLogin parameter, no GlobalPerConnector redirect.
    const schemaEra = structuredClone(doc);
    const oauth = schemaEra.properties.connectionParameters.token.oAuthSettings;
    delete oauth.customParameters.enableOnbehalfOfLogin;
    oauth.redirectMode = 'Global';
    expect(validateProperties(schemaEra)).toEqual([]);
    expect(differences(doc, schemaEra)).toEqual([
      'properties.connectionParameters.token.oAuthSettings.redirectMode',
      'properties.connectionParameters.token.oAuthSettings.customParameters.enableOnbehalfOfLogin',
    ]);
  });

  test('the files token-echo connector writes and the endpoint serves pass', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'connector-'));
    const result = await runCli(['connector', '--host', 'contoso-echo.azurewebsites.net', '--out', out], SETTINGS);
    expect(result.code, result.stderr).toBe(0);
    expect(validateSwagger(JSON.parse(readFileSync(path.join(out, 'apiDefinition.swagger.json'), 'utf8')))).toEqual([]);
    const host = await spawnHost({ env: { TOKEN_ECHO_CLIENT_IDS: CLIENT, TOKEN_ECHO_AUDIENCES: API, TOKEN_ECHO_SCOPES: 'access_as_user' } });
    try {
      expect(validateSwagger(await (await fetch(`${host.url}/api/connector/apiDefinition.swagger.json`)).json())).toEqual([]);
      expect(validateProperties(await (await fetch(`${host.url}/api/connector/apiProperties.json?obo=false&redirectMode=global`)).json())).toEqual([]);
    } finally {
      await host.stop();
    }
  });
});

function differences(a: unknown, b: unknown, prefix = ''): string[] {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix.slice(0, -1)];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${prefix}${k}.`));
}

describe('token-echo connector', () => {
  test('writes both files from flags, falling back to the settings', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'connector-'));
    const result = await runCli(['connector', '--host', 'contoso-echo.azurewebsites.net', '--out', out], SETTINGS);
    expect(result.code, result.stderr).toBe(0);
    const definition = JSON.parse(readFileSync(path.join(out, 'apiDefinition.swagger.json'), 'utf8')) as unknown;
    const properties = JSON.parse(readFileSync(path.join(out, 'apiProperties.json'), 'utf8')) as Record<string, any>;
    expect(await swaggerParserProblems(definition)).toEqual([]);
    expect(properties.properties.connectionParameters.token.oAuthSettings.customParameters).toMatchObject({ resourceUri: { value: API }, tenantId: { value: 'contoso.onmicrosoft.com' } });
  });

  test('the README\'s command runs as written with no settings, and points to pac connector create without a secret', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'connector-'));
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const line = /^npx token-echo (connector --host .*)$/m.exec(readme)?.[1] ?? '';
    expect(line).toMatch(/--client-id .* --resource /);
    const args = line
      .replace('<app>', 'contoso-echo')
      .replace('<connector app client ID>', CLIENT)
      .replace('api://<API client ID>', API)
      .split(/\s+/)
      .map((word) => (word === './connector' ? out : word));
    const result = await runCli(args, {});
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`pac connector create --api-definition-file ${path.join(out, 'apiDefinition.swagger.json')} --api-properties-file ${path.join(out, 'apiProperties.json')}`);
    expect(result.stdout).toMatch(/client secret on the connector's Security tab/);
    const help = await runCli(['connector', '--help']);
    for (const text of [result.stdout, help.stdout]) {
      expect(text).not.toMatch(/--secret|paconn/);
      expect(text).toContain('pac connector create --api-definition-file');
    }
  });

  test.each([
    [['--host', 'https://contoso.azurewebsites.net', '--client-id', CLIENT, '--resource', API], /host "https:\/\/contoso\.azurewebsites\.net" is not a host name/],
    [['--host', 'contoso.azurewebsites.net/api', '--client-id', CLIENT, '--resource', API], /is not a host name/],
    [['--host', 'contoso echo.net', '--client-id', CLIENT, '--resource', API], /is not a host name/],
    [['--host', 'contoso.azurewebsites.net', '--client-id', 'my-connector', '--resource', API], /client ID "my-connector" is not a GUID/],
    [['--host', 'contoso.azurewebsites.net', '--client-id', CLIENT], /App ID URI is missing/],
    [['--client-id', CLIENT, '--resource', API], /host name is missing/],
  ])('refuses %j, naming the problem (exit 64)', async (args, message) => {
    const result = await runCli(['connector', ...args], {});
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(message);
  });
});

describe('GET /api/connector/{file}', () => {
  let host: SpawnedHost;
  beforeAll(async () => {
    host = await spawnHost({ env: { TOKEN_ECHO_CLIENT_IDS: CLIENT, TOKEN_ECHO_AUDIENCES: API, TOKEN_ECHO_SCOPES: 'access_as_user' } });
  });
  afterAll(() => host.stop());

  test('serves both files with the host of the request, for "Import from URL"', async () => {
    const res = await fetch(`${host.url}/api/connector/apiDefinition.swagger.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc['host']).toBe(new URL(host.url).host);
    expect(await swaggerParserProblems(doc)).toEqual([]);
    const props = (await (await fetch(`${host.url}/api/connector/apiProperties.json?obo=false&redirectMode=global`)).json()) as Record<string, any>;
    expect(props.properties.connectionParameters.token.oAuthSettings).toMatchObject({ redirectMode: 'Global', clientId: CLIENT });
    expect(props.properties.connectionParameters.token.oAuthSettings.customParameters.enableOnbehalfOfLogin).toBeUndefined();
  });

  test('an unknown file is a 404; missing settings are a 409 naming them', async () => {
    expect((await fetch(`${host.url}/api/connector/other.json`)).status).toBe(404);
    const bare = await spawnHost();
    try {
      const res = await fetch(`${bare.url}/api/connector/apiProperties.json`);
      expect(res.status).toBe(409);
      expect(JSON.stringify(await res.json())).toMatch(/TOKEN_ECHO_CLIENT_IDS.*TOKEN_ECHO_AUDIENCES/);
    } finally {
      await bare.stop();
    }
  });
});
