import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { apiProperties } from '../../src/connector/definition.js';
import { type ConnectorInputs, connectorInputs } from '../../src/connector/inputs.js';
import { AGENTIC_PROTOCOL, MCP_STREAMABLE, mcpApiDefinition, mcpApiProperties } from '../../src/connector/mcp-definition.js';
import { apiPropertiesValidator, swaggerParserProblems, swaggerValidator } from '../helpers/connector-schemas.js';
import { connectorSchemas, describeWith } from '../helpers/prerequisites.js';
import { type SpawnedHost, runCli, spawnHost } from '../helpers/spawn-host.js';

const CLIENT = '5f1c6a3e-2b7d-4c8e-9a10-0c6d2e7f8a91';
const API = 'api://8d2b4f60-1a3c-4e5f-8b7a-9c0d1e2f3a4b';

const inputs = (flags: Parameters<typeof connectorInputs>[0] = {}): ConnectorInputs =>
  connectorInputs({ host: 'contoso-echo.azurewebsites.net', clientId: CLIENT, resource: API, scope: 'access_as_user', ...flags }, {});

// Every suite here checks the files against Microsoft's schemas: they need them (test/helpers/prerequisites.ts).
describeWith(connectorSchemas(), "the MCP connector against Microsoft's connector schemas", (dir) => {
  const validateSwagger = swaggerValidator(dir);
  const validateProperties = apiPropertiesValidator(dir);

  /**
   * Microsoft's Swagger schema (8bff86ea) with exactly one exception: `x-ms-agentic-protocol` on an
   * operation, with the value mcp-streamable-1.0, which postdates it (Copilot Studio's MCP
   * connectors). Every other error is reported.
   */
  function validateMcpSwagger(doc: Record<string, any>): string[] {
    const errors: string[] = [];
    const copy = structuredClone(doc);
    for (const [route, item] of Object.entries(copy.paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(item)) {
        if (AGENTIC_PROTOCOL in op) {
          if (op[AGENTIC_PROTOCOL] !== MCP_STREAMABLE) errors.push(`${route} ${method}: ${AGENTIC_PROTOCOL} must be ${MCP_STREAMABLE}`);
          delete op[AGENTIC_PROTOCOL];
        }
      }
    }
    return [...errors, ...validateSwagger(copy)];
  }

  describe('the MCP connector\'s apiDefinition.swagger.json', () => {
    test('one POST operation on /api/mcp marked x-ms-agentic-protocol: mcp-streamable-1.0, the REST connector\'s OAuth', () => {
      const doc = mcpApiDefinition(inputs()) as Record<string, any>;
      expect(doc.host).toBe('contoso-echo.azurewebsites.net');
      expect(doc.basePath).toBe('/api');
      expect(Object.keys(doc.paths)).toEqual(['/mcp']);
      expect(Object.keys(doc.paths['/mcp'])).toEqual(['post']);
      expect(doc.paths['/mcp'].post).toMatchObject({ operationId: 'InvokeMCP', [AGENTIC_PROTOCOL]: MCP_STREAMABLE, responses: { '200': { description: 'Success' } } });
      expect(doc.securityDefinitions['oauth2-auth']).toMatchObject({ type: 'oauth2', flow: 'accessCode' });
      expect(doc.security).toEqual([{ 'oauth2-auth': [`${API}/access_as_user`] }]);
    });

    test('passes Microsoft\'s schema with exactly x-ms-agentic-protocol allowed, and swagger-parser', async () => {
      const doc = mcpApiDefinition(inputs()) as Record<string, any>;
      expect(validateMcpSwagger(doc)).toEqual([]);
      expect(await swaggerParserProblems(doc)).toEqual([]);
    });

    test('the exception is exactly that extension: the schema refuses it, and only it', () => {
      const doc = mcpApiDefinition(inputs()) as Record<string, any>;
      expect(validateSwagger(doc)).toEqual([`/paths/~1mcp/post must NOT have additional properties {"additionalProperty":"${AGENTIC_PROTOCOL}"}`]);
      // Another unknown x-ms-* extension is still refused, as is another value of this one.
      const other = structuredClone(doc);
      other.paths['/mcp'].post['x-ms-made-up'] = 'x';
      expect(validateMcpSwagger(other).length).toBeGreaterThan(0);
      const wrongValue = structuredClone(doc);
      wrongValue.paths['/mcp'].post[AGENTIC_PROTOCOL] = 'mcp-sse-1.0';
      expect(validateMcpSwagger(wrongValue)).toContain(`/mcp post: ${AGENTIC_PROTOCOL} must be ${MCP_STREAMABLE}`);
    });
  });

  describe('the MCP connector\'s apiProperties.json', () => {
    test('is the REST connector\'s: Entra ID OAuth with on-behalf-of, passing the paconn schema with --no-obo --redirect-mode global', () => {
      expect(mcpApiProperties(inputs())).toEqual(apiProperties(inputs()));
      const oauth = (mcpApiProperties(inputs()) as Record<string, any>).properties.connectionParameters.token.oAuthSettings;
      expect(oauth).toMatchObject({ identityProvider: 'aad', clientId: CLIENT, customParameters: { enableOnbehalfOfLogin: { value: 'true' } } });
      expect(validateProperties(mcpApiProperties(inputs({ obo: false, redirectMode: 'global' })))).toEqual([]);
    });
  });

  describe('token-echo connector --mcp', () => {
    test('writes the MCP connector, falling back to the settings', async () => {
      const out = mkdtempSync(path.join(os.tmpdir(), 'connector-mcp-'));
      const result = await runCli(['connector', '--mcp', '--host', 'contoso-echo.azurewebsites.net', '--out', out], {
        TOKEN_ECHO_CLIENT_IDS: CLIENT,
        TOKEN_ECHO_AUDIENCES: API,
        TOKEN_ECHO_SCOPES: 'access_as_user',
      });
      expect(result.code, result.stderr).toBe(0);
      const definition = JSON.parse(readFileSync(path.join(out, 'apiDefinition.swagger.json'), 'utf8')) as Record<string, any>;
      expect(definition.paths['/mcp'].post[AGENTIC_PROTOCOL]).toBe(MCP_STREAMABLE);
      expect(validateMcpSwagger(definition)).toEqual([]);
      expect(await swaggerParserProblems(definition)).toEqual([]);
      const properties = JSON.parse(readFileSync(path.join(out, 'apiProperties.json'), 'utf8')) as unknown;
      expect(properties).toEqual(apiProperties(inputs()));
    });
  });

  describe('GET /api/connector/mcp/{file}', () => {
    let host: SpawnedHost;
    beforeAll(async () => {
      host = await spawnHost({ env: { TOKEN_ECHO_CLIENT_IDS: CLIENT, TOKEN_ECHO_AUDIENCES: API, TOKEN_ECHO_SCOPES: 'access_as_user' } });
    });
    afterAll(() => host.stop());

    test('serves both files with the host of the request; unknown files 404', async () => {
      const res = await fetch(`${host.url}/api/connector/mcp/apiDefinition.swagger.json`);
      expect(res.status).toBe(200);
      const doc = (await res.json()) as Record<string, any>;
      expect(doc['host']).toBe(new URL(host.url).host);
      expect(validateMcpSwagger(doc)).toEqual([]);
      expect(await swaggerParserProblems(doc)).toEqual([]);
      const props = await fetch(`${host.url}/api/connector/mcp/apiProperties.json?obo=false&redirectMode=global`);
      expect(validateProperties(await props.json())).toEqual([]);
      expect((await fetch(`${host.url}/api/connector/mcp/other.json`)).status).toBe(404);
    });
  });
});
