import { show } from '../report/format.js';
import type { Report } from '../report/report.js';
import { reportSchema } from '../report/schema.js';

/**
 * The one tool: `token_report`. It takes no arguments and answers the report of the very HTTP
 * request that carried the `tools/call` (its Authorization and headers, checked with the same
 * settings and code path as /api/echo), so it can only ever show the caller its own token.
 */
export const TOOL_NAME = 'token_report';

/**
 * The report's JSON Schema (src/report/schema.ts) as a tool's outputSchema. MCP 2025-06-18
 * server/tools.mdx ("Output Schema"): a JSON Schema the structuredContent conforms to, of type
 * object. `$schema` is left out: the 2025-06-18 revision names no dialect and the SDK client
 * validates with Ajv's default draft-07 instance (validation/ajv-provider.ts), which refuses an
 * unknown `$schema`; 2025-11-25 (basic/index.mdx, "JSON Schema Usage") makes 2020-12 the default
 * dialect when `$schema` is absent, and nothing in the report schema reads differently in the two.
 * `$id` is left out too: Ajv caches schemas by `$id`, and a client talking to two token-echo
 * versions must not mix them up.
 */
export const reportOutputSchema: Record<string, unknown> = Object.fromEntries(Object.entries(reportSchema).filter(([key]) => key !== '$schema' && key !== '$id'));

/** Tool definition as tools/list returns it (MCP 2025-11-25 schema.ts `Tool`). */
export const tokenReportTool = {
  name: TOOL_NAME,
  title: 'Token report',
  description: [
    'Shows what access token this connection sends to its MCP server and whether an API would accept it.',
    'Call it to check what token this connection sends: when a tool or connector answers 401 or 403, when sign-in seems to work but calls fail,',
    'after changing the connector\'s OAuth settings, or when asked which user, app, audience (aud) or scopes (scp/roles) the agent\'s calls carry.',
    'It validates the bearer token of this very call as Microsoft.Identity.Web would and returns the verdict (valid, invalid, no_token, unverified),',
    'a one-line summary, reason codes with fixes, and the decoded claims. It takes no arguments, changes nothing, and never returns the token itself.',
  ].join(' '),
  inputSchema: { type: 'object' as const, properties: {} },
  outputSchema: reportOutputSchema,
  annotations: { title: 'Token report', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};

/** How many findings the short text lists; the rest are in structuredContent. */
const FIRST_REASONS = 3;

/**
 * The tool's text content: what an agent shows a maker in one glance (verdict, summary, first
 * findings with fixes, aud, scp/roles, client). Unstructured content is what clients before
 * 2025-06-18 read, and what Copilot Studio's activity map shows.
 */
export function reportText(report: Report): string {
  return `${findingsText(report)}\ncaller: ${report.connector.caller}; report id: ${report.id} (the whole report is in structuredContent)`;
}

/**
 * The text before the last line, kept from the previous call while a call's findings and claims are
 * the very same objects (a client repeating its token meets the same shared reasons and frozen
 * claims: src/inspect/token-memo.ts), as src/report/serialize.ts keeps its JSON.
 */
interface FindingsText {
  summary: string;
  reasons: readonly object[];
  claims: object | null;
  client: string | null;
  text: string;
}
let last: FindingsText | undefined;

function findingsText(report: Report): string {
  const claims = report.token?.claims ?? null;
  const client = report.token?.client ?? null;
  if (last && last.summary === report.summary && last.claims === claims && last.client === client && last.reasons.length === report.reasons.length && last.reasons.every((r, i) => r === report.reasons[i])) {
    return last.text;
  }
  const c = claims ?? {};
  const lines = [`token-echo verdict: ${report.verdict}`, report.summary];
  const findings = report.reasons.filter((r) => r.severity !== 'info').slice(0, FIRST_REASONS);
  for (const r of findings) lines.push(`- ${r.code} (${r.severity}): ${r.message} Fix: ${r.fix}`);
  if (report.token) {
    lines.push(`aud: ${show(c['aud'], 200)}`);
    if (c['scp'] !== undefined) lines.push(`scp: ${show(c['scp'], 200)}`);
    if (c['roles'] !== undefined) lines.push(`roles: ${show(c['roles'], 200)}`);
    lines.push(`client (azp/appid): ${client ?? '-'}`);
  }
  const text = lines.join('\n');
  // Only frozen, shared findings and claims may be kept: they cannot change under the cache.
  if (report.reasons.every(Object.isFrozen) && (claims === null || Object.isFrozen(claims))) last = { summary: report.summary, reasons: report.reasons.slice(), claims, client, text };
  return text;
}

/** The CallToolResult (MCP 2025-11-25 schema.ts): the short text, and the report as structuredContent. */
export function tokenReportResult(report: Report): { content: Array<{ type: 'text'; text: string }>; structuredContent: Record<string, unknown> } {
  // 2025-06-18 server/tools.mdx "Structured Content": a tool returning structured content SHOULD
  // also return it serialized in a TextContent block; the short text is given instead, because the
  // whole report is long for a chat and the structured copy is there for clients that read it.
  return { content: [{ type: 'text', text: reportText(report) }], structuredContent: report as unknown as Record<string, unknown> };
}
