import type * as SdkServer from '@modelcontextprotocol/sdk/server/index.js';
import type * as SdkTransport from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type * as SdkTypes from '@modelcontextprotocol/sdk/types.js';
import type * as SdkValidation from '@modelcontextprotocol/sdk/validation/ajv-provider.js';

import type { Report } from '../report/report.js';
import { TOOL_NAME, tokenReportResult, tokenReportTool } from './tool.js';

/**
 * The protocol itself is the official MCP TypeScript SDK's: its low-level `Server` (initialize and
 * version negotiation, ping, method-not-found, the request/notification lifecycle) over its
 * web-standard Streamable HTTP transport in stateless mode (no `sessionIdGenerator`: no
 * Mcp-Session-Id, any instance answers any request; the SDK's own stateless examples make one
 * transport and server per request, and the transport refuses reuse) with JSON responses
 * (`enableJsonResponse`: one JSON object per POST, MCP 2025-11-25 basic/transports.mdx "Sending
 * Messages to the Server" 5). `Server` rather than `McpServer`: McpServer takes Zod schemas, and the
 * tool's outputSchema is the report's JSON Schema itself (src/report/schema.ts).
 *
 * The SDK is loaded on the first MCP call, not at start: an app that is only used through
 * /api/echo never pays its load time at cold start (it pulls in zod and ajv).
 */
interface Sdk {
  Server: typeof SdkServer.Server;
  Transport: typeof SdkTransport.WebStandardStreamableHTTPServerTransport;
  types: typeof SdkTypes;
  validator: SdkValidation.AjvJsonSchemaValidator;
}

let sdk: Sdk | undefined;

function loadSdk(): Sdk {
  if (!sdk) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { Server } = require('@modelcontextprotocol/sdk/server/index.js') as typeof SdkServer;
    const { WebStandardStreamableHTTPServerTransport } = require('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js') as typeof SdkTransport;
    const types = require('@modelcontextprotocol/sdk/types.js') as typeof SdkTypes;
    const { AjvJsonSchemaValidator } = require('@modelcontextprotocol/sdk/validation/ajv-provider.js') as typeof SdkValidation;
    /* eslint-enable @typescript-eslint/no-require-imports */
    // One validator for every Server: each would otherwise build its own Ajv instance, per request.
    sdk = { Server, Transport: WebStandardStreamableHTTPServerTransport, types, validator: new AjvJsonSchemaValidator() };
  }
  return sdk;
}

export const SERVER_INSTRUCTIONS =
  'token-echo is a diagnostic MCP server for connector and agent authentication. Call token_report to see the access token this connection sends and whether an API would accept it.';

export interface SdkAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Answers one already-read JSON-RPC message through the SDK. `report` is the report of this very
 * HTTP request: token_report returns it, so no caller can see another's.
 */
export async function answerMessage(message: unknown, url: string, headers: Iterable<[string, string]>, report: Report, version: string): Promise<SdkAnswer> {
  const { Server, Transport, types, validator } = loadSdk();
  const server = new Server({ name: 'token-echo', title: 'token-echo', version }, { capabilities: { tools: { listChanged: false } }, instructions: SERVER_INSTRUCTIONS, jsonSchemaValidator: validator });
  server.setRequestHandler(types.ListToolsRequestSchema, () => ({ tools: [tokenReportTool] }));
  server.setRequestHandler(types.CallToolRequestSchema, (request) => {
    // An unknown tool is a protocol error, -32602 (MCP 2025-11-25 server/tools.mdx, "Error Handling":
    // "Unknown tools"), with the message the SDK's McpServer uses for it.
    if (request.params.name !== TOOL_NAME) throw new types.McpError(types.ErrorCode.InvalidParams, `Tool ${request.params.name} not found`);
    // Arguments are ignored: the tool takes none, and an agent that sends some still wants the report.
    return tokenReportResult(report);
  });
  const transport = new Transport({ enableJsonResponse: true });
  await server.connect(transport);
  try {
    // The body was read and checked already (src/mcp/protocol.ts): the transport gets it parsed, and a
    // Request with the headers it reads (Accept, Content-Type, MCP-Protocol-Version).
    const response = await transport.handleRequest(new Request(url, { method: 'POST', headers: [...headers] }), { parsedBody: message });
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => (out[name] = value));
    return { status: response.status, headers: out, body: await response.text() };
  } finally {
    await server.close();
  }
}
