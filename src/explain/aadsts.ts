import { describeAudience, describeClient } from '../report/microsoft-apps.js';
import { type CatalogEntry, ERROR_CODES_REFERENCE, type ExtractedFacts, catalogueEntry } from './catalog.js';
import { scrub } from './scrub.js';

/**
 * The AADSTS explainer: from the text a maker pastes (Entra's sign-in page, the token endpoint's
 * JSON error, a flow's or Copilot Studio's error output), the error code, what it names (app ID,
 * redirect URI, resource, tenant, trace and correlation IDs, timestamp) and, for a catalogued code,
 * the connector-specific cause and fix. Pure: text in, explanation out, nothing secret kept.
 */

/** A pasted message is a few KiB; anything past this is not read (a whole HTML page still fits). */
export const MAX_INPUT_CHARS = 256 * 1024;
/** Entra's sentence is shown up to this length. */
const MAX_MESSAGE_CHARS = 600;
/** Extracted values are identifiers and URLs: longer ones are cut. */
const MAX_VALUE_CHARS = 400;

export interface Extracted extends ExtractedFacts {
  /** Every AADSTS code in the text, in order of appearance, without repeats. */
  codes: number[];
  /** The OAuth 2.0 error (RFC 6749 section 5.2), e.g. invalid_grant. */
  error?: string;
  /** Entra's sentence for the first code, redacted. */
  message?: string;
  traceId?: string;
  correlationId?: string;
  timestamp?: string;
}

export type ExplainStatus = 'recognised' | 'not_in_catalogue' | 'no_code';

export interface Explanation {
  status: ExplainStatus;
  /** The code explained: the first one in the text. */
  code: number | null;
  summary: string;
  extracted: Extracted;
  entry: Omit<CatalogEntry, 'hints'> | null;
  /** Lines specific to this message (the redirect URI it named, the app it named...). */
  notes: string[];
  client: { appId: string; name: string; note: string; source: string } | null;
  audience: { name: string; organisation?: string; note: string; source: string } | null;
  /** The input was longer than MAX_INPUT_CHARS and only its beginning was read. */
  truncated: boolean;
}

const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const SEP = `["']?\\s*[:=]\\s*["']?`;

/** Ordered: the first pattern that matches wins. Shapes as Entra prints them (see test/explain/messages.ts). */
const APP_ID = [
  new RegExp(`application with (?:ID|identifier) '?(${GUID})`, 'i'),
  new RegExp(`configured for the application:?\\s*'?(${GUID})`, 'i'),
  new RegExp(`\\bapp(?:lication)?\\s+'(${GUID})'`, 'i'),
  new RegExp(`client app ID:\\s*(${GUID})`, 'i'),
  new RegExp(`\\bclient_id${SEP}(${GUID})`, 'i'),
  new RegExp(`\\bapp(?:lication)?[ _-]?id${SEP}(${GUID})`, 'i'),
  new RegExp(`\\bwith App ID '(${GUID})'`, 'i'),
  new RegExp(`\\bapplication [^'\\n]{1,200}?\\('(${GUID})'\\)`, 'i'),
];
const REDIRECT_URI = [/(?:redirect URI|reply URL|reply address)[^'"\n]{0,60}?['"]([a-z][a-z0-9+.-]*:[^'"\s]+)['"]/i, /\bredirect_uri=([^&\s"']+)/i];
const RESOURCE = [
  /resource principal named (\S{1,2000}?) was not found/i,
  /\bto access '([^'\n]{1,2000})'/i,
  /on the resource '([^'\n]{1,2000})'/i,
  /Resource value from request:\s*(\S{1,2000}?)\.?(?:\s|$)/i,
  /\bresource=([^&\s"']+)/i,
];
const TENANT = [/in the tenant named ([^\n]{1,200}?)\.(?:\s|$)/i, /in tenant '([^'\n]{1,200})'/i, /in the directory '([^'\n]{1,200})'/i];
// The sign-in page's troubleshooting details call the trace ID "Request Id".
const TRACE_ID = new RegExp(`\\b(?:Trace ID|trace_id|Request Id)${SEP}(${GUID})`, 'i');
const CORRELATION_ID = new RegExp(`\\b(?:Correlation ID|correlation_id)${SEP}(${GUID})`, 'i');
const TIMESTAMP = new RegExp(`\\bTimestamp${SEP}(\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z?)`, 'i');
const OAUTH_ERROR = /["']?\berror["']?\s*[:=]\s*["']?([a-z_]{3,40})\b/;
const CODE = /\bAADSTS(\d{4,8})\b/g;

export function explainError(input: string): Explanation {
  const truncated = input.length > MAX_INPUT_CHARS;
  const text = normalise(truncated ? input.slice(0, MAX_INPUT_CHARS) : input);
  const extracted = extract(text);
  const code = extracted.codes[0] ?? null;
  const found = code === null ? null : catalogueEntry(code);
  const clientEntry = extracted.appId === undefined ? null : describeClient(extracted.appId);
  const audienceMatch = extracted.resource === undefined ? null : describeAudience(extracted.resource);
  const client = clientEntry === null ? null : { appId: clientEntry.appId, name: clientEntry.name, note: clientEntry.note, source: clientEntry.source };
  const audience =
    audienceMatch === null
      ? null
      : { name: audienceMatch.audience.name, ...(audienceMatch.organisation === undefined ? {} : { organisation: audienceMatch.organisation }), note: audienceMatch.audience.note, source: audienceMatch.audience.source };
  const notes = [...(found?.hints?.(extracted) ?? []).map(scrub)];
  if (client !== null) notes.push(`${client.appId} is ${client.name}, a Microsoft first-party app: ${client.note}`);
  if (audience !== null) notes.push(`The resource is ${audience.name}${audience.organisation === undefined ? '' : ` (org ${audience.organisation})`}: ${audience.note}`);
  const entry = found === null ? null : { code: found.code, name: found.name, title: found.title, cause: found.cause, fix: found.fix, sources: found.sources };
  return { status: code === null ? 'no_code' : found === null ? 'not_in_catalogue' : 'recognised', code, summary: summaryOf(code, found, text), extracted, entry, notes, client, audience, truncated };
}

function summaryOf(code: number | null, entry: CatalogEntry | null, text: string): string {
  if (code === null) {
    if (/^\s*(?:authorization\s*:\s*)?(?:bearer\s+)?eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\./i.test(text)) {
      return 'No AADSTS code: this looks like a token, not an error message. To explain a token, use: token-echo inspect -';
    }
    return 'No AADSTS code found. Paste the whole error text: Entra\'s messages start with "AADSTS" and a number (e.g. AADSTS50011).';
  }
  if (entry === null) return `AADSTS${code} is not in token-echo's catalogue; look it up at ${ERROR_CODES_REFERENCE} or https://login.microsoftonline.com/error?code=${code}.`;
  return `AADSTS${code} (${entry.name}): ${entry.title}`;
}

/**
 * One plain text to search: control characters out, HTML tags and entities undone (the sign-in
 * page's source), JSON strings unescaped (a token endpoint body, or one nested in a flow's output).
 */
export function normalise(raw: string): string {
  // Terminal colour sequences (ESC [ ... m, or the one-byte CSI) go first, whole.
  // eslint-disable-next-line no-control-regex
  let text = raw.replace(/(?:\u001b\[|\u009b)[0-9;?]*[ -/]*[@-~]/g, ' ');
  // eslint-disable-next-line no-control-regex
  text = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, ' ');
  if (HTML_HINT.test(text)) text = decodeEntities(withoutTags(withoutBlocks(text)));
  const json = parseJson(text);
  if (json !== undefined) text = `${text}\n${strings(json, 0).join('\n')}`;
  return text.replace(/\\r\\n|\\n|\\r/g, '\n').replace(/\\"/g, '"').replace(/\\u0027/gi, "'");
}

/** Text with one of these tags is taken for HTML (the sign-in page's source). */
const HTML_HINT = /<(?:!doctype|html|head|body|div|span|p|script|style|meta|title|br|table|td|li|form|input|a)\b/i;

/** Tags out, in one pass (a regex per "<" would be quadratic on "<" repeated); a "<" with no ">" within 4000 characters stays. */
function withoutTags(text: string): string {
  let out = '';
  let i = 0;
  let gt = -1;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt === -1) break;
    if (gt < lt) gt = text.indexOf('>', lt);
    if (gt === -1) break;
    if (gt - lt > 4000) {
      out += text.slice(i, lt + 1);
      i = lt + 1;
      continue;
    }
    out += `${text.slice(i, lt)} `;
    i = gt + 1;
  }
  return out + text.slice(i);
}

/** Script and style contents out (they can hold the string "AADSTS"), in one pass: a lazy regex would be quadratic on "<script" repeated. */
function withoutBlocks(text: string): string {
  const open = /<(script|style)\b/gi;
  const lower = text.toLowerCase();
  let out = '';
  let from = 0;
  for (let m = open.exec(text); m !== null; m = open.exec(text)) {
    if (m.index < from) continue;
    out += text.slice(from, m.index);
    const close = lower.indexOf(`</${(m[1] ?? '').toLowerCase()}`, m.index);
    from = close === -1 ? text.length : close;
    open.lastIndex = from;
  }
  return out + text.slice(from);
}

function parseJson(text: string): unknown {
  const start = text.indexOf('{');
  if (start === -1) return undefined;
  try {
    return JSON.parse(text.slice(start, text.lastIndexOf('}') + 1)) as unknown;
  } catch {
    return undefined;
  }
}

/** Every "key: value" of a parsed JSON document as a line, so the patterns read it like text. */
function strings(value: unknown, depth: number): string[] {
  if (depth > 8 || value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
    if (typeof v === 'string' || typeof v === 'number') return [`${key}: ${String(v)}`];
    if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v.map((x) => `AADSTS${String(x)}`);
    return strings(v, depth + 1);
  });
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (all, e: string) => {
    if (e[0] !== '#') return named[e.toLowerCase()] ?? all;
    const cp = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : all;
  });
}

export function extract(text: string): Extracted {
  const codes = [...new Set([...text.matchAll(CODE)].map((m) => Number(m[1])))];
  const out: Extracted = { codes };
  const first = codes[0];
  if (first !== undefined) {
    const sentence = new RegExp(`AADSTS${first}:?[^\\n]{0,${MAX_MESSAGE_CHARS * 2}}`).exec(text)?.[0];
    if (sentence !== undefined) out.message = clip(scrub(sentence.split(/\s(?:Trace ID|Correlation ID|Timestamp):/i)[0]?.trim() ?? ''), MAX_MESSAGE_CHARS);
  }
  setIf(out, 'error', OAUTH_ERROR.exec(text)?.[1]);
  setIf(out, 'appId', firstMatch(APP_ID, text)?.toLowerCase());
  setIf(out, 'redirectUri', decoded(firstMatch(REDIRECT_URI, text)));
  setIf(out, 'resource', decoded(firstMatch(RESOURCE, text)));
  setIf(out, 'tenant', firstMatch(TENANT, text)?.trim());
  setIf(out, 'traceId', TRACE_ID.exec(text)?.[1]?.toLowerCase());
  setIf(out, 'correlationId', CORRELATION_ID.exec(text)?.[1]?.toLowerCase());
  setIf(out, 'timestamp', TIMESTAMP.exec(text)?.[1]);
  return out;
}

function setIf<K extends Exclude<keyof Extracted, 'codes'>>(out: Extracted, key: K, value: string | undefined): void {
  // Cut before scrubbing (its patterns are linear only on short text), with room for a whole secret to be seen.
  if (value !== undefined && value !== '') out[key] = clip(scrub(value.slice(0, MAX_VALUE_CHARS * 2)), MAX_VALUE_CHARS) as Extracted[K];
}

function firstMatch(patterns: RegExp[], text: string): string | undefined {
  for (const p of patterns) {
    const m = p.exec(text)?.[1];
    if (m !== undefined) return m;
  }
  return undefined;
}

/** A redirect_uri=/resource= value is URL-encoded; a quoted one is not. */
function decoded(value: string | undefined): string | undefined {
  if (value === undefined || !/%[0-9a-f]{2}/i.test(value)) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
