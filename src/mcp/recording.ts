import type { McpInfo, Report } from '../report/report.js';
import { serializeReport } from '../report/serialize.js';

/**
 * How MCP calls are recorded without an initialize storm drowning the history. Copilot Studio
 * starts over on every turn (initialize, notifications/initialized, tools/list, then maybe
 * tools/call), so one question from a user is three or four requests with the same token.
 *
 * - Telemetry: every MCP request, as every echo call (the event carries mcpMethod and mcpTool, so
 *   `summarize count() by mcpMethod` counts them all).
 * - History: every tools/call, every request answered with an error (HTTP status 400 or more, or a
 *   JSON-RPC error; not the 405 that GET and DELETE get by design), every discovery path; any other request (initialize, ping, tools/list,
 *   notifications) only when its token (by fingerprint, or "no token") and verdict were not
 *   recorded in the last 10 minutes on this instance. The rest are counted (telemetry) but not kept:
 *   the history shows each token that connected, each tool call and each failure.
 */
export const QUIET_MS = 10 * 60 * 1000;
/** The tokens remembered for the rule above: a bounded map (about 100 bytes an entry). */
export const MAX_REMEMBERED = 1000;

export class HistoryGate {
  readonly #seen = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** True when this report goes to the history (all observers); false: telemetry only. */
  keep(report: Report, mcp: McpInfo): boolean {
    if (mcp.endpoint === 'discovery' || mcp.method === 'tools/call' || failed(mcp)) return true;
    const key = `${report.token?.fingerprint ?? 'none'} ${report.verdict}`;
    const now = this.#now();
    const last = this.#seen.get(key);
    if (last !== undefined && now - last < QUIET_MS) return false;
    this.#seen.delete(key);
    this.#seen.set(key, now);
    // Oldest first in a Map's order: drop it when full.
    if (this.#seen.size > MAX_REMEMBERED) this.#seen.delete(this.#seen.keys().next().value as string);
    return true;
  }
}

/**
 * A failure is an error status or a JSON-RPC error, except the 405 answered to GET and DELETE: the
 * SDK client tries GET (a server stream) after every initialize, and that 405 is the protocol
 * working as meant (MCP 2025-11-25 basic/transports.mdx, "Listening for Messages from the Server" 3).
 */
function failed(mcp: McpInfo): boolean {
  return (mcp.status >= 400 && mcp.status !== 405) || (mcp.errorCode !== null && mcp.status !== 405);
}

/**
 * The report with what the MCP client asked and got, and its JSON (src/report/serialize.ts, equal to
 * JSON.stringify of it: the field comes last).
 */
export function withMcp(report: Report, mcp: McpInfo): Recorded {
  const recorded: Report = { ...report, mcp };
  return { report: recorded, json: serializeReport(recorded) };
}

export interface Recorded {
  report: Report;
  json: string;
}
