import { apiDefinition, apiProperties } from './definition.js';
import type { ConnectorInputs } from './inputs.js';

/**
 * The MCP custom connector: Copilot Studio adds an MCP server through a custom connector whose one
 * operation is marked `x-ms-agentic-protocol: mcp-streamable-1.0` (the streamable HTTP transport,
 * the only one Copilot Studio supports): learn.microsoft.com/microsoft-copilot-studio/
 * mcp-add-existing-server-to-agent ("Create a custom MCP connector": a Swagger 2.0 file with a POST
 * operation carrying that extension, a 200 response, no body parameter). Authentication is the REST
 * connector's, unchanged: the same Entra ID OAuth connection with on-behalf-of login
 * (./definition.ts), so the maker compares the two connectors on the same app registration.
 *
 * Microsoft's Swagger schema for custom connectors (PowerPlatformConnectors at 8bff86ea) predates
 * `x-ms-agentic-protocol`: its operation object has additionalProperties false and lists the
 * x-ms-* extensions it knows. The file passes it with exactly that one extension allowed
 * (test/connector/mcp-definition.test.ts pins it).
 */
export const AGENTIC_PROTOCOL = 'x-ms-agentic-protocol';
export const MCP_STREAMABLE = 'mcp-streamable-1.0';
export const MCP_OPERATION_ID = 'InvokeMCP';

type Json = Record<string, unknown>;

export function mcpApiDefinition(inputs: ConnectorInputs): Json {
  const rest = apiDefinition(inputs);
  return {
    swagger: '2.0',
    info: {
      title: 'token-echo MCP',
      description:
        'token-echo as an MCP server for Copilot Studio agents: its tool token_report validates the Microsoft Entra ID token this connection sends and explains what arrived and what is wrong with it.',
      version: '1.0',
    },
    host: inputs.host,
    basePath: '/api',
    schemes: ['https'],
    consumes: ['application/json'],
    produces: ['application/json'],
    paths: {
      '/mcp': {
        post: {
          operationId: MCP_OPERATION_ID,
          summary: 'token-echo MCP server',
          description: 'The streamable HTTP MCP endpoint of token-echo. Its tool token_report shows the token this connection sends and whether an API would accept it.',
          [AGENTIC_PROTOCOL]: MCP_STREAMABLE,
          responses: { '200': { description: 'Success' } },
        },
      },
    },
    definitions: {},
    parameters: {},
    responses: {},
    securityDefinitions: rest['securityDefinitions'],
    security: rest['security'],
    tags: [],
    'x-ms-connector-metadata': rest['x-ms-connector-metadata'],
  };
}

/** The connection: the REST connector's Entra ID OAuth with on-behalf-of, as is. */
export function mcpApiProperties(inputs: ConnectorInputs): Json {
  return apiProperties(inputs);
}

export const MCP_CONNECTOR_FILES = ['apiDefinition.swagger.json', 'apiProperties.json'] as const;
export type McpConnectorFile = (typeof MCP_CONNECTOR_FILES)[number];

export function mcpConnectorFile(file: McpConnectorFile, inputs: ConnectorInputs): string {
  return `${JSON.stringify(file === 'apiDefinition.swagger.json' ? mcpApiDefinition(inputs) : mcpApiProperties(inputs), null, 2)}\n`;
}
