import { SUPPORTED_VERSIONS } from './dispatch.js';
import { INVALID_REQUEST } from './protocol.js';

/**
 * The Streamable HTTP rules that apply to a stateless MCP server answering JSON (MCP 2025-11-25
 * basic/transports.mdx, same text in 2025-06-18), checked on the request's headers. Pure.
 */

export interface HeaderRefusal {
  status: number;
  code: number;
  message: string;
}

/** Null when the headers allow a JSON answer; else the refusal. */
export function headerRefusal(headers: { get(name: string): string | null }): HeaderRefusal | null {
  // "The client MUST include an Accept header, listing both application/json and text/event-stream"
  // ("Sending Messages to the Server" 2). This server only ever answers application/json, so that
  // is what it needs to find (or */*, application/*); a missing Accept means anything (RFC 9110 §12.5.1).
  const accept = headers.get('accept');
  if (accept !== null && !/(^|,)\s*(application\/json|application\/\*|\*\/\*)\s*(;|,|$)/i.test(accept)) {
    return { status: 406, code: INVALID_REQUEST, message: 'Not Acceptable: the MCP endpoint answers application/json; list it in Accept (with text/event-stream).' };
  }
  const type = headers.get('content-type');
  if (type === null || !/^application\/json\s*(;|$)/i.test(type.trim())) {
    return { status: 415, code: INVALID_REQUEST, message: 'Unsupported Media Type: a JSON-RPC message is sent as Content-Type: application/json.' };
  }
  // "If the server receives a request with an invalid or unsupported MCP-Protocol-Version, it MUST
  // respond with 400 Bad Request" ("Protocol Version Header"); without it, 2025-03-26 is assumed.
  const version = headers.get('mcp-protocol-version');
  if (version !== null && !SUPPORTED_VERSIONS.includes(version.trim())) {
    return { status: 400, code: INVALID_REQUEST, message: `Bad Request: unsupported MCP-Protocol-Version ${JSON.stringify(version.slice(0, 40))}; supported: ${SUPPORTED_VERSIONS.join(', ')}.` };
  }
  return null;
}
