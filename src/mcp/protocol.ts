/**
 * What token-echo checks itself before a message reaches the MCP SDK: the body's size, that it is
 * JSON, one JSON-RPC 2.0 message (no batch) of a valid shape. Each refusal carries the JSON-RPC 2.0
 * error code for it (JSON-RPC 2.0 §5.1: -32700 Parse error, -32600 Invalid Request) in a body with
 * `id` null when the id cannot be read, as the transport allows ("The HTTP response body MAY comprise
 * a JSON-RPC error response that has no id": MCP spec 2025-11-25, basic/transports.mdx, "Sending
 * Messages to the Server" 4). Pure: no I/O, no SDK.
 */

/**
 * MCP messages from a client are small (a tools/call of token_report has no arguments). The SDK's
 * own default is 4 MiB (server/requestBody.ts); a diagnostic endpoint needs far less.
 */
export const MAX_MCP_BODY_BYTES = 1024 * 1024;

/** JSON-RPC 2.0 §5.1 error codes, as the MCP schema names them (schema/2025-11-25/schema.ts). */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;
/** In the range JSON-RPC 2.0 §5.1 leaves to the implementation (-32000 to -32099): the call was refused for its token (strict mode). */
export const UNAUTHORIZED = -32001;

export type JsonRpcId = string | number;

/** What the edge reads of one message, to record it and to answer errors with its id. */
export interface MessageFacts {
  kind: 'request' | 'notification' | 'response';
  id: JsonRpcId | null;
  method: string | null;
  /** `params.name` of a tools/call. */
  tool: string | null;
  /** `params.protocolVersion` of an initialize. */
  protocolVersion: string | null;
}

export interface Refusal {
  status: number;
  code: number;
  message: string;
  id: JsonRpcId | null;
}

export type ReadResult = { ok: true; message: Record<string, unknown>; facts: MessageFacts } | { ok: false; refusal: Refusal; facts: MessageFacts | null };

const isId = (v: unknown): v is JsonRpcId => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads one POST body. Batches are refused: JSON-RPC batching was removed from MCP in 2025-06-18
 * (changelog: "Remove support for JSON-RPC batching"), and "The body of the POST request MUST be a
 * single JSON-RPC request, notification, or response" (2025-06-18 and 2025-11-25 transports.mdx).
 * A 2025-03-26 client may batch; no client we know of does (the SDK's never does), and the refusal
 * says why.
 */
export function readMessage(text: string): ReadResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, facts: null, refusal: { status: 400, code: PARSE_ERROR, message: 'Parse error: the body is not JSON.', id: null } };
  }
  if (Array.isArray(value)) {
    return {
      ok: false,
      facts: null,
      refusal: {
        status: 400,
        code: INVALID_REQUEST,
        message: 'Invalid Request: JSON-RPC batches are not accepted (MCP removed batching in protocol version 2025-06-18); send one message per POST.',
        id: null,
      },
    };
  }
  if (!isObject(value)) return invalid('the body must be one JSON-RPC 2.0 message, a JSON object.', null, null);
  const id = isId(value['id']) ? value['id'] : null;
  const method = typeof value['method'] === 'string' ? value['method'] : null;
  const params = value['params'];
  const facts: MessageFacts = {
    kind: method === null ? 'response' : 'id' in value ? 'request' : 'notification',
    id,
    method,
    tool: method === 'tools/call' && isObject(params) && typeof params['name'] === 'string' ? params['name'].slice(0, 200) : null,
    protocolVersion: method === 'initialize' && isObject(params) && typeof params['protocolVersion'] === 'string' ? params['protocolVersion'].slice(0, 40) : null,
  };
  if (value['jsonrpc'] !== '2.0') return invalid('"jsonrpc" must be exactly "2.0".', id, facts);
  if ('method' in value) {
    if (method === null || method === '') return invalid('"method" must be a non-empty string.', id, facts);
    // MCP: "Requests MUST include a string or integer ID ... the ID MUST NOT be null" (basic/index.mdx, Requests).
    if ('id' in value && id === null) return invalid('"id" must be a string or a number, never null.', null, facts);
    // MCP params are always an object (schema.ts: `params?: { [key: string]: unknown }`).
    if (params !== undefined && !isObject(params)) return invalid('"params" must be an object.', id, facts);
    return { ok: true, message: value, facts };
  }
  const isResponse = id !== null && ('result' in value ? !('error' in value) : isObject(value['error']));
  if (!isResponse) return invalid('a message needs a "method" (request or notification) or an "id" with "result" or "error" (response).', id, facts);
  return { ok: true, message: value, facts };
}

function invalid(why: string, id: JsonRpcId | null, facts: MessageFacts | null): ReadResult {
  return { ok: false, facts, refusal: { status: 400, code: INVALID_REQUEST, message: `Invalid Request: ${why}`, id } };
}

/** A JSON-RPC 2.0 error response (§5). `data` carries nothing secret: codes and identifiers only. */
export function errorBody(id: JsonRpcId | null, code: number, message: string, data?: Record<string, unknown>): string {
  return JSON.stringify({ jsonrpc: '2.0', id, error: { code, message, ...(data === undefined ? {} : { data }) } });
}
