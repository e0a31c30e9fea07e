import { show } from '../report/format.js';
import { type RequestInfo, reason } from '../report/report.js';
import type { Authorization } from './authorization.js';
import type { Findings } from './findings.js';
import { bodyPreview } from './body-preview.js';
import { isCredentialName, redactQueryValue, shownHeaders } from './redact.js';
import type { RequestFacts } from './request-facts.js';

/**
 * The request as the report shows it (secrets redacted). A query parameter given twice is said: the
 * Functions host hands the app one value joined by a comma (`?strict=false&strict=true` reads "false,true"),
 * so a switch such as `strict` is then neither true nor false.
 */
export function requestInfo(facts: RequestFacts, headers: ReadonlyMap<string, string>, auth: Authorization, f: Findings, strictSetting: boolean): RequestInfo {
  let url: URL;
  try {
    url = new URL(facts.url, 'http://localhost');
  } catch {
    url = new URL('http://localhost/');
  }
  // Redacted by the rules of src/inspect/redact.ts (name and value), once, here.
  const query: Record<string, string> = Object.create(null) as Record<string, string>;
  let repeated: string[] | undefined;
  for (const [name, value] of url.searchParams) {
    const shown = redactQueryValue(name, value);
    if (query[name] === undefined) query[name] = shown;
    else {
      query[name] = `${query[name]}, ${shown}`;
      repeated ??= [];
      if (!repeated.includes(name)) repeated.push(name);
    }
  }
  if (repeated !== undefined) {
    // A credential's name is said without its values; other values as the query shows them.
    const listed = repeated.map((n) => (isCredentialName(n) ? show(n) : `${show(n)} (${show(url.searchParams.getAll(n).map((v) => redactQueryValue(n, v)))})`)).join(', ');
    const strict = !repeated.some((n) => n.toLowerCase() === 'strict')
      ? ''
      : strictSetting
        ? ' Strict mode is on anyway (TOKEN_ECHO_STRICT).'
        : ' `strict` then reads neither "true" nor "false": strict mode stays off for this call.';
    f.add(reason('REPEATED_QUERY_PARAMETER', `the query string repeats ${listed}: the Azure Functions host joins repeated parameters with a comma, so the app reads one value such as "false,true".${strict}`));
  }
  const info: RequestInfo = {
    method: facts.method.toUpperCase(),
    path: url.pathname,
    query,
    headers: shownHeaders(headers, auth),
    bodySize: facts.bodySize,
    contentType: headers.get('content-type') ?? null,
  };
  if (facts.body !== undefined && facts.body !== null && facts.body.byteLength > 0) info.bodyPreview = bodyPreview(facts.body, info.contentType);
  return info;
}
