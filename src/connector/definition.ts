import { reportSchema } from '../report/schema.js';
import type { ConnectorInputs } from './inputs.js';

/**
 * The two files Power Platform imports for a custom connector (paconn and "Import an OpenAPI
 * file"): a Swagger 2.0 definition (custom connectors accept no other) whose response schema is
 * derived from the report's JSON Schema, so Power Automate dynamic content and Copilot Studio
 * outputs see the report's fields; and apiProperties.json with an Entra ID ("aad") OAuth
 * connection, on-behalf-of login on by default, in the shape of Microsoft's certified connectors
 * (shared/reference/power-platform-connectors.md §1.3).
 *
 * Microsoft's paconn schema (PowerPlatformConnectors at 8bff86ea) predates two fields its own
 * certified connectors use: `enableOnbehalfOfLogin` in an "aad" connection's customParameters, and
 * redirectMode `GlobalPerConnector`. With `--no-obo --redirect-mode global` the file passes that
 * schema as it is; the defaults differ from it in exactly those two places (test/connector).
 */
type Json = Record<string, unknown>;

/** JSON Schema 2020-12 → the Swagger 2.0 schema subset: nullable types become x-nullable, const an enum. */
export function toSwaggerSchema(schema: unknown): Json {
  if (typeof schema !== 'object' || schema === null) return {};
  const s = schema as Json;
  const out: Json = {};
  if (Array.isArray(s['oneOf'])) {
    const variants = (s['oneOf'] as Json[]).filter((v) => v['type'] !== 'null');
    const converted = toSwaggerSchema(variants[0]);
    return variants.length < (s['oneOf'] as Json[]).length ? { ...converted, 'x-nullable': true } : converted;
  }
  const type = s['type'];
  if (Array.isArray(type)) {
    const real = type.filter((t) => t !== 'null');
    out['type'] = real[0] ?? 'string';
    if (real.length < type.length) out['x-nullable'] = true;
  } else if (typeof type === 'string') out['type'] = type;
  if ('const' in s) {
    out['type'] ??= typeof s['const'] === 'number' ? 'integer' : 'string';
    out['enum'] = [s['const']];
  }
  if (Array.isArray(s['enum'])) {
    const values = (s['enum'] as unknown[]).filter((v) => v !== null);
    out['type'] ??= 'string';
    out['enum'] = values;
    if (values.length < (s['enum'] as unknown[]).length) out['x-nullable'] = true;
  }
  for (const key of ['description', 'format', 'pattern', 'minimum', 'required'] as const) {
    if (s[key] !== undefined) out[key] = s[key];
  }
  if (out['format'] === 'uuid') delete out['format'];
  if (typeof s['properties'] === 'object' && s['properties'] !== null) {
    out['properties'] = Object.fromEntries(Object.entries(s['properties'] as Json).map(([k, v]) => [k, { 'x-ms-summary': summaryOf(k), ...toSwaggerSchema(v) }]));
  }
  if (typeof s['items'] === 'object') out['items'] = toSwaggerSchema(s['items']);
  if (typeof s['additionalProperties'] === 'object') out['additionalProperties'] = toSwaggerSchema(s['additionalProperties']);
  return out;
}

function summaryOf(name: string): string {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The claims a flow or topic most often reads, declared so they appear as dynamic content. */
const CLAIMS: Record<string, Json> = {
  aud: { type: 'string', 'x-ms-summary': 'Audience (aud)', description: 'The API the token is for.' },
  iss: { type: 'string', 'x-ms-summary': 'Issuer (iss)' },
  tid: { type: 'string', 'x-ms-summary': 'Tenant ID (tid)' },
  ver: { type: 'string', 'x-ms-summary': 'Token version (ver)' },
  scp: { type: 'string', 'x-ms-summary': 'Scopes (scp)', description: 'Delegated scopes, space-separated.' },
  roles: { type: 'array', items: { type: 'string' }, 'x-ms-summary': 'Roles' },
  azp: { type: 'string', 'x-ms-summary': 'Calling app (azp)' },
  appid: { type: 'string', 'x-ms-summary': 'Calling app (appid)' },
  oid: { type: 'string', 'x-ms-summary': 'Object ID (oid)' },
  idtyp: { type: 'string', 'x-ms-summary': 'Token type (idtyp)' },
  iat: { type: 'integer', 'x-ms-summary': 'Issued at (iat)' },
  nbf: { type: 'integer', 'x-ms-summary': 'Not before (nbf)' },
  exp: { type: 'integer', 'x-ms-summary': 'Expires (exp)' },
};

export function reportResponseSchema(): Json {
  const schema = toSwaggerSchema(reportSchema);
  const token = (schema['properties'] as Record<string, Json>)['token'] as Json;
  const tokenProps = token['properties'] as Record<string, Json>;
  tokenProps['claims'] = { ...tokenProps['claims'], type: 'object', properties: CLAIMS, 'x-ms-summary': 'Claims' };
  tokenProps['header'] = { ...tokenProps['header'], type: 'object', 'x-ms-summary': 'Header' };
  return { ...schema, title: 'Report', description: reportSchema.description };
}

export function apiDefinition(inputs: ConnectorInputs): Json {
  const response = { description: 'The report for this call: verdict, summary, checks, reasons with fixes, the decoded token and the connector headers.', schema: { $ref: '#/definitions/Report' } };
  const note = { name: 'note', in: 'query', type: 'string', required: false, 'x-ms-summary': 'Note', description: 'Any text, echoed in the report\'s request.query (to tell calls apart).' };
  return {
    swagger: '2.0',
    info: {
      title: 'token-echo',
      description: 'Calls token-echo, which validates the Microsoft Entra ID token the connector sends and explains what arrived and what is wrong with it.',
      version: '1.0',
    },
    host: inputs.host,
    basePath: '/api',
    schemes: ['https'],
    consumes: ['application/json'],
    produces: ['application/json'],
    paths: {
      '/echo': {
        get: {
          operationId: 'EchoGet',
          summary: 'Echo the token (GET)',
          description: 'Sends a GET with the connection\'s token and returns token-echo\'s report on it.',
          parameters: [note],
          responses: { '200': response },
        },
        post: {
          operationId: 'EchoPost',
          summary: 'Echo the token (POST)',
          description: 'Sends a POST with the connection\'s token and any JSON body, and returns token-echo\'s report on it.',
          parameters: [
            note,
            { name: 'body', in: 'body', required: false, 'x-ms-summary': 'Body', description: 'Any JSON; only its size is reported.', schema: { type: 'object' } },
          ],
          responses: { '200': response },
        },
      },
      '/echo/test-connection': {
        get: {
          operationId: 'TestConnection',
          summary: 'Test the connection',
          description: 'Used by Power Platform to test a new connection.',
          'x-ms-visibility': 'internal',
          parameters: [],
          responses: { '200': response },
        },
      },
    },
    definitions: { Report: reportResponseSchema() },
    parameters: {},
    responses: {},
    securityDefinitions: {
      'oauth2-auth': {
        type: 'oauth2',
        flow: 'accessCode',
        authorizationUrl: `${inputs.authority}/${inputs.tenant}/oauth2/authorize`,
        tokenUrl: `${inputs.authority}/${inputs.tenant}/oauth2/token`,
        scopes: inputs.scope ? { [inputs.scope]: 'Call the API as the signed-in user' } : {},
      },
    },
    security: [{ 'oauth2-auth': inputs.scope ? [inputs.scope] : [] }],
    tags: [],
    'x-ms-connector-metadata': [
      { propertyName: 'Website', propertyValue: `https://${inputs.host}/api/health` },
      { propertyName: 'Categories', propertyValue: 'IT Operations' },
    ],
    // Wires the internal TestConnection operation as the connection test, which the platform runs when
    // a connection is created: "The endpoint meant to be used as test connection must be identified by
    // adding an extension to the API at the top-level" (learn.microsoft.com/connectors/custom-connectors/
    // test-connection; training module custom-connectors-open-api, "Configure test connection").
    // Microsoft's validator schema accepts it (x-ms-capabilities<api>.testConnection, PowerPlatformConnectors
    // schemas/ at 8bff86ea), though its description still reads "not supported for custom connectors".
    'x-ms-capabilities': { testConnection: { operationId: 'TestConnection', parameters: {} } },
  };
}

export function apiProperties(inputs: ConnectorInputs): Json {
  return {
    properties: {
      iconBrandColor: '#0f6cbd',
      capabilities: [],
      publisher: 'token-echo',
      stackOwner: 'token-echo',
      connectionParameters: {
        token: {
          type: 'oauthSetting',
          oAuthSettings: {
            identityProvider: 'aad',
            clientId: inputs.clientId,
            scopes: inputs.scope ? [inputs.scope] : [],
            redirectMode: inputs.redirectMode,
            redirectUrl: 'https://global.consent.azure-apim.net/redirect',
            properties: {
              IsFirstParty: 'False',
              AzureActiveDirectoryResourceId: inputs.resourceUri,
              IsOnbehalfofLoginSupported: true,
            },
            customParameters: {
              loginUri: { value: inputs.authority },
              tenantId: { value: inputs.tenant },
              resourceUri: { value: inputs.resourceUri },
              // Absent means off (the Security tab's default); present only to turn on-behalf-of on.
              ...(inputs.onBehalfOf ? { enableOnbehalfOfLogin: { value: 'true' } } : {}),
            },
          },
        },
        'token:TenantId': {
          type: 'string',
          metadata: { sourceType: 'AzureActiveDirectoryTenant' },
          uiDefinition: { constraints: { required: 'false', hidden: 'true' } },
        },
      },
      policyTemplateInstances: [],
    },
  };
}

export const CONNECTOR_FILES = ['apiDefinition.swagger.json', 'apiProperties.json'] as const;
export type ConnectorFile = (typeof CONNECTOR_FILES)[number];

export function connectorFile(file: ConnectorFile, inputs: ConnectorInputs): string {
  return `${JSON.stringify(file === 'apiDefinition.swagger.json' ? apiDefinition(inputs) : apiProperties(inputs), null, 2)}\n`;
}
