import type { Report, TokenInfo } from './report.js';

/**
 * The report as compact JSON, exactly as JSON.stringify(report) writes it (a test holds the two
 * equal), but without serializing again, on every call, the part of the token that does not change
 * between calls with the same token: its header, claims, times and claim descriptions are kept as
 * text, keyed by the (frozen, shared) claims object of that token (src/inspect/token-memo.ts).
 */
interface TokenText {
  fingerprint: string;
  head: string;
  tail: string;
}

const tokenTexts = new WeakMap<object, TokenText>();

function tokenText(token: TokenInfo): TokenText | null {
  const claims = token.claims;
  if (claims === null || !Object.isFrozen(claims)) return null;
  const known = tokenTexts.get(claims);
  if (known && known.fingerprint === token.fingerprint) return known;
  const text: TokenText = {
    fingerprint: token.fingerprint,
    head: `{"header":${JSON.stringify(token.header)},"claims":${JSON.stringify(claims)},"times":${JSON.stringify(token.times)},"expiresIn":`,
    tail: `,"version":${JSON.stringify(token.version)},"kind":${JSON.stringify(token.kind)},"client":${JSON.stringify(token.client)},"fingerprint":${JSON.stringify(token.fingerprint)},"claimDescriptions":${JSON.stringify(token.claimDescriptions)}}`,
  };
  tokenTexts.set(claims, text);
  return text;
}

/** JSON of frozen objects (checks and reasons shared between reports), written once. */
const frozenTexts = new WeakMap<object, string>();
function jsonOf(value: object): string {
  if (!Object.isFrozen(value)) return JSON.stringify(value);
  let text = frozenTexts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    frozenTexts.set(value, text);
  }
  return text;
}
const list = (values: readonly object[]): string => `[${values.map(jsonOf).join(',')}]`;

/**
 * The text from verdict to reasons, kept from the last call while a call's findings are the very
 * same frozen objects (a connector repeating its token meets the same shared checks and reasons).
 */
interface FindingsText {
  verdict: Report['verdict'];
  summary: string;
  checks: readonly object[];
  reasons: readonly object[];
  text: string;
}
let lastFindings: FindingsText | undefined;
const sameItems = (a: readonly object[], b: readonly object[]): boolean => a.length === b.length && a.every((item, i) => item === b[i]);

function findingsText(report: Report): string {
  const last = lastFindings;
  if (last && last.verdict === report.verdict && last.summary === report.summary && sameItems(last.checks, report.checks) && sameItems(last.reasons, report.reasons)) {
    return last.text;
  }
  const text = `,"verdict":${JSON.stringify(report.verdict)},"summary":${JSON.stringify(report.summary)},"checks":${list(report.checks)},"reasons":${list(report.reasons)}`;
  if (report.checks.every(Object.isFrozen) && report.reasons.every(Object.isFrozen)) {
    lastFindings = { verdict: report.verdict, summary: report.summary, checks: report.checks.slice(), reasons: report.reasons.slice(), text };
  }
  return text;
}

export function serializeReport(report: Report): string {
  const token = report.token;
  const text = token ? tokenText(token) : null;
  if (!token || !text) return JSON.stringify(report);
  return (
    `{"reportVersion":${report.reportVersion},"id":${JSON.stringify(report.id)},"receivedAt":${JSON.stringify(report.receivedAt)}` +
    `${findingsText(report)},"token":${text.head}${JSON.stringify(token.expiresIn)}${text.tail}` +
    `,"connector":${JSON.stringify(report.connector)},"request":${JSON.stringify(report.request)}` +
    // The optional fields, last, as JSON.stringify writes them: the front doors' section (frozen and shared while a token
    // repeats, src/validators/report-section.ts: its text is written once), then what an MCP call carries (src/mcp).
    `${report.validators === undefined ? '' : `,"validators":${jsonOf(report.validators)}`}` +
    `${report.mcp === undefined ? '' : `,"mcp":${JSON.stringify(report.mcp)}`}}`
  );
}
