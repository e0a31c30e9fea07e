import { isCredentialName, redacted } from './redact.js';
import { BODY_PREVIEW_MAX_CHARS } from '../report/report.js';

/**
 * `request.bodyPreview`: the start of a text body, so that calls a maker sends with different
 * parameters (the connector's "Note", a JSON payload) can be told apart in the viewer. Bounded in
 * bytes, text only, and redacted as query parameters are: a JSON member or form field whose name is
 * a secret's is shown by its length, and so is anything shaped like a JWT wherever it appears.
 * Binary bodies (or text that does not decode as UTF-8) are not shown: null.
 */
/** A body larger than this is not parsed as JSON or a form: its start is shown as text, still redacted. */
const PARSE_MAX_BYTES = 64 * 1024;

const TEXT_TYPE = /^(text\/|application\/(json|xml|x-www-form-urlencoded|javascript|graphql|x-ndjson)\b|application\/[\w.+-]+\+(json|xml)\b)/i;
/** Three base64url parts starting with a JSON header ("eyJ"): a JWS; five: a JWE. */
const JWT_SHAPED = /eyJ[\w-]{6,}\.[\w-]+\.[\w-]*(?:\.[\w-]*\.[\w-]*)?/g;
/** name=value, "name": "value" or name: value in text that could not be parsed. */
const NAMED_VALUE = /("?)([\w.-]{1,64})\1(\s*[:=]\s*)("([^"\\]|\\.)*"|[^\s&,;"}]+)/g;
// C0 controls but tab, line feed and carriage return, and DEL: shown as U+FFFD, never passed on.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
/** Without a content type, a body with these is taken for binary. */
// eslint-disable-next-line no-control-regex
const BINARY = /[\x00-\x08\x0e-\x1f]/;

export function bodyPreview(body: Uint8Array, contentType: string | null): string | null {
  if (body.byteLength === 0) return '';
  if (contentType !== null && !TEXT_TYPE.test(contentType.trim())) return null;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body.byteLength > PARSE_MAX_BYTES ? body.subarray(0, PARSE_MAX_BYTES) : body, { stream: body.byteLength > PARSE_MAX_BYTES });
  } catch {
    return null;
  }
  // Without a content type, only what reads as text is shown.
  if (contentType === null && BINARY.test(text)) return null;
  const whole = body.byteLength <= PARSE_MAX_BYTES;
  const form = whole && /x-www-form-urlencoded/i.test(contentType ?? '');
  const shown = (whole ? fromJson(text) : null) ?? (form ? fromForm(text) : fromText(text));
  const clean = shown.replace(JWT_SHAPED, (m) => redacted(m)).replace(CONTROL, '\ufffd');
  return clean.length > BODY_PREVIEW_MAX_CHARS ? `${clean.slice(0, BODY_PREVIEW_MAX_CHARS - 1)}…` : clean;
}

/**
 * A body field is named by whoever wrote the API, so its name is judged by the rule, not a list;
 * hiding a harmless field in a preview costs little.
 */
/** Field names are judged by the one rule of src/inspect/redact.ts, as headers and query parameters are. */
const isSecretName = isCredentialName;

function fromJson(text: string): string | null {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return null;
  try {
    return JSON.stringify(redactJson(JSON.parse(text) as unknown));
  } catch {
    return null;
  }
}

function redactJson(value: unknown, depth = 0): unknown {
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactJson(v, depth + 1));
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, v] of Object.entries(value)) {
    out[name] = isSecretName(name) && v !== null && typeof v !== 'object' ? redacted(String(v)) : redactJson(v, depth + 1);
  }
  return out;
}

function fromForm(text: string): string {
  const form = new URLSearchParams(text);
  return [...form].map(([name, value]) => `${name}=${isSecretName(name) ? redacted(value) : value}`).join('&');
}

function fromText(text: string): string {
  return text.replace(NAMED_VALUE, (whole, quote: string, name: string, sep: string, value: string) =>
    isSecretName(name) ? `${quote}${name}${quote}${sep}${redacted(value.replace(/^"|"$/g, ''))}` : whole,
  );
}
