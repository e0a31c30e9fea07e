import type { Report } from '../report/report.js';
import { INVALID_PARAMS, type JsonRpcId, METHOD_NOT_FOUND } from './protocol.js';
import { TOOL_NAME, reportText, tokenReportTool } from './tool.js';

/**
 * The MCP methods of a server with one tool, answered by token-echo itself: initialize (version
 * negotiation), ping, tools/list, tools/call, anything else -32601. Pure: the answer's JSON text from
 * the message, the report of the request that carried it, and token-echo's version.
 *
 * Why not the official SDK's server (measured on this 2-core machine, Node 20, handler alone,
 * tools/call token_report with a valid token, µs per call): the SDK's `Server` over its
 * web-standard transport, one of each per request as its stateless mode requires, 176 µs; one
 * long-lived `Server` behind a transport of ours, 93-108 µs, of which the SDK's protocol layer alone
 * is 55 µs (41 µs for a ping: it checks each message against its Zod schemas several times and
 * makes an AbortController per request); the whole /api/echo handler is 21-29 µs. Through the local
 * host that was 0.35-0.40× echo's throughput (per-request SDK server; target ≥ 0.8×). Answered here,
 * the handler costs 62-64 µs against 48-50 µs for /api/echo given the same POST, and the bench's MCP
 * phase is 0.88× echo's with the same request (docs/mcp.md has the rounds). The SDK stays the reference: test/mcp/parity.test.ts
 * sends the same messages to its `Server` and to this code and requires the same answers, and every
 * end-to-end test talks to /api/mcp through the SDK's `Client` and `StreamableHTTPClientTransport`.
 */

/**
 * The SDK's SUPPORTED_PROTOCOL_VERSIONS (types.ts; the parity test keeps them equal). A client asking
 * for one of them gets it; any other gets the latest (MCP 2025-11-25 basic/lifecycle.mdx, "Version
 * Negotiation": "the server MUST respond with another protocol version it supports ... SHOULD be the
 * latest version supported by the server").
 */
export const LATEST_VERSION = '2025-11-25';
export const SUPPORTED_VERSIONS: readonly string[] = [LATEST_VERSION, '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07'];

export const SERVER_INSTRUCTIONS =
  'token-echo is a diagnostic MCP server for connector and agent authentication. Call token_report to see the access token this connection sends and whether an API would accept it.';

/** Capabilities: tools only, whose list never changes (2025-11-25 server/tools.mdx, "Capabilities"). */
export const CAPABILITIES = { tools: { listChanged: false } };

export function serverInfo(version: string): Record<string, string> {
  return { name: 'token-echo', title: 'token-echo', version };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The SDK's McpError message format (types.ts: `MCP error ${code}: ${message}`), so clients see the same text. */
const mcpErrorMessage = (code: number, message: string): string => `MCP error ${code}: ${message}`;

export interface Dispatched {
  body: string;
  errorCode: number | null;
}

/**
 * Answers one JSON-RPC request (never a notification: those get 202 and no body). `reportJson`
 * is the report's JSON as src/mcp/recording.ts wrote it, put into the tools/call answer as is.
 */
export function dispatch(message: Record<string, unknown>, id: JsonRpcId, report: Report, reportJson: string, version: string): Dispatched {
  const params = message['params'];
  const result = (value: unknown): Dispatched => ({ body: `{"result":${JSON.stringify(value)},"jsonrpc":"2.0","id":${JSON.stringify(id)}}`, errorCode: null });
  const error = (code: number, text: string): Dispatched => ({ body: JSON.stringify({ jsonrpc: '2.0', id, error: { code, message: text } }), errorCode: code });
  switch (message['method']) {
    case 'initialize': {
      // 2025-11-25 schema.ts InitializeRequest: protocolVersion, capabilities and clientInfo are required.
      const clientInfo = isObject(params) ? params['clientInfo'] : undefined;
      if (!isObject(params) || typeof params['protocolVersion'] !== 'string' || !isObject(params['capabilities']) || !isObject(clientInfo) || typeof clientInfo['name'] !== 'string' || typeof clientInfo['version'] !== 'string') {
        return error(INVALID_PARAMS, 'Invalid params: initialize needs params.protocolVersion (string), params.capabilities (object) and params.clientInfo {name, version}.');
      }
      const asked = params['protocolVersion'];
      return result({
        protocolVersion: SUPPORTED_VERSIONS.includes(asked) ? asked : LATEST_VERSION,
        capabilities: CAPABILITIES,
        serverInfo: serverInfo(version),
        instructions: SERVER_INSTRUCTIONS,
      });
    }
    case 'ping':
      // 2025-11-25 basic/utilities/ping.mdx: "The receiver MUST respond promptly with an empty response".
      return result({});
    case 'tools/list':
      // One tool: no pagination (a cursor, if sent, has nothing after it).
      return result({ tools: [tokenReportTool] });
    case 'tools/call': {
      const name = isObject(params) ? params['name'] : undefined;
      if (typeof name !== 'string') return error(INVALID_PARAMS, 'Invalid params: tools/call needs params.name (string).');
      // Unknown tool: a protocol error, -32602 (2025-11-25 server/tools.mdx, "Error Handling"),
      // worded as the SDK's McpServer words it (server/mcp.ts).
      if (name !== TOOL_NAME) return error(INVALID_PARAMS, mcpErrorMessage(INVALID_PARAMS, `Tool ${name} not found`));
      // Arguments are ignored: the tool takes none, and an agent that sends some still wants the report.
      const content = JSON.stringify([{ type: 'text', text: reportText(report) }]);
      return { body: `{"result":{"content":${content},"structuredContent":${reportJson}},"jsonrpc":"2.0","id":${JSON.stringify(id)}}`, errorCode: null };
    }
    default:
      // JSON-RPC 2.0 §5.1; the SDK's Protocol answers exactly this (shared/protocol.ts).
      return error(METHOD_NOT_FOUND, 'Method not found');
  }
}
