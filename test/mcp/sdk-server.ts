import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import * as types from '@modelcontextprotocol/sdk/types.js';
import type * as SdkTypes from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';

import type { Report } from '../../src/report/report.js';
import { CAPABILITIES, SERVER_INSTRUCTIONS, serverInfo } from '../../src/mcp/dispatch.js';
import { TOOL_NAME, tokenReportResult, tokenReportTool } from '../../src/mcp/tool.js';

/**
 * The reference for test/mcp/parity.test.ts: the official SDK's low-level `Server`, set up as
 * token-echo's MCP endpoint is (same serverInfo, capabilities, instructions, tool and handlers),
 * driven with raw JSON-RPC messages through the SDK's public `Transport` interface. This was the
 * production path before src/mcp/dispatch.ts (which says why it was replaced, with the numbers).
 *
 * Request ids: each message gets a fresh internal id on its way into the Server and its own id back
 * on the answer, so concurrent callers with the same id cannot meet.
 */
interface Pending {
  originalId: string | number;
  report: Report;
  resolve: (message: Record<string, unknown>) => void;
}

class StatelessJsonTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];
  readonly #pending = new Map<number, Pending>();
  #next = 0;

  async start(): Promise<void> {}
  async close(): Promise<void> {
    this.onclose?.();
  }

  /** The answer of the Server to a request: back to its HTTP request, with the client's id. */
  async send(message: SdkTypes.JSONRPCMessage): Promise<void> {
    // A stateless server has no stream to send notifications or requests of its own on: only
    // answers (with an id, and a result or an error) go anywhere.
    if (!('id' in message) || 'method' in message || typeof message.id !== 'number') return;
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    pending.resolve({ ...message, id: pending.originalId });
  }

  /** Hands one request to the Server and resolves with its answer. */
  request(message: Record<string, unknown> & { id: string | number }, report: Report): Promise<Record<string, unknown>> {
    const internal = (this.#next = (this.#next + 1) % Number.MAX_SAFE_INTEGER);
    return new Promise((resolve) => {
      this.#pending.set(internal, { originalId: message.id, report, resolve });
      this.onmessage?.({ ...message, id: internal } as SdkTypes.JSONRPCMessage);
    });
  }

  /** Hands one notification to the Server (nothing is answered). */
  notify(message: Record<string, unknown>): void {
    this.onmessage?.(message as SdkTypes.JSONRPCMessage);
  }

  /** The report of the HTTP request that carried the JSON-RPC request with this internal id. */
  reportOf(internalId: unknown): Report | undefined {
    return typeof internalId === 'number' ? this.#pending.get(internalId)?.report : undefined;
  }
}

export interface McpProtocol {
  request(message: Record<string, unknown> & { id: string | number }, report: Report): Promise<Record<string, unknown>>;
  notify(message: Record<string, unknown>): void;
}

let shared: McpProtocol | undefined;

/** The reference Server, made on first use. `version` is token-echo's (serverInfo.version). */
export function sdkReference(version: string): McpProtocol {
  if (shared) return shared;
  const transport = new StatelessJsonTransport();
  const server = new Server(
    serverInfo(version) as { name: string; version: string },
    { capabilities: CAPABILITIES, instructions: SERVER_INSTRUCTIONS, jsonSchemaValidator: new AjvJsonSchemaValidator() },
  );
  server.setRequestHandler(types.ListToolsRequestSchema, () => ({ tools: [tokenReportTool] }));
  server.setRequestHandler(types.CallToolRequestSchema, (request, extra) => {
    // An unknown tool is a protocol error, -32602 (MCP 2025-11-25 server/tools.mdx, "Error
    // Handling": "Unknown tools"), with the message the SDK's McpServer gives it.
    if (request.params.name !== TOOL_NAME) throw new types.McpError(types.ErrorCode.InvalidParams, `Tool ${request.params.name} not found`);
    const report = transport.reportOf(extra.requestId);
    if (!report) throw new types.McpError(types.ErrorCode.InternalError, 'The request that carried this call is gone.');
    // Arguments are ignored: the tool takes none, and an agent that sends some still wants the report.
    return tokenReportResult(report);
  });
  // Errors of the protocol layer (an answer to an unknown id, a handler that threw) are answered to
  // the client by the Server itself; nothing else is to be done with them here.
  server.onerror = () => {};
  void server.connect(transport);
  shared = { request: (message, report) => transport.request(message, report), notify: (message) => transport.notify(message) };
  return shared;
}
