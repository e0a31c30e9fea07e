/**
 * What people paste into `token-echo inspect`, made into the Authorization header a connector would
 * send: a token copied from a browser's network tab, a log or a token response arrives wrapped across
 * lines, quoted, with "Bearer" or a whole "Authorization:" line, or as the token-response JSON itself.
 * Each step taken is named, so the person sees what was changed. Pure: no I/O.
 */
export type PasteResult = { kind: 'authorization'; authorization: string; cleaned: string[] } | { kind: 'empty'; cleaned: string[] } | { kind: 'unusable'; problem: string };

// An HTTP auth-scheme name (RFC 9110 §11.1), short; a JWT's first segment ("eyJ…") is not one.
const SCHEME = /^[A-Za-z][A-Za-z0-9_-]{0,19}$/;
const QUOTES = /^(["'`])([\s\S]*)\1$/;

export function cleanPaste(input: string): PasteResult {
  const cleaned: string[] = [];
  let text = input.trim();

  if (text.startsWith('{')) {
    const fromJson = tokenFromJson(text);
    if (typeof fromJson === 'string') return { kind: 'unusable', problem: fromJson };
    if (fromJson !== null) {
      text = fromJson.token;
      cleaned.push(fromJson.note);
    }
  }

  // Pasted headers: the Authorization line, with the lines a wrapped token continues on (no colon:
  // base64url has none); the other headers are dropped.
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const at = lines.findIndex((l) => /^\s*authorization\s*:/i.test(l));
  if (at >= 0 && lines.length > 1) {
    let end = at + 1;
    while (end < lines.length && !(lines[end] ?? '').includes(':')) end += 1;
    if (end - at < lines.length) cleaned.push('kept only the Authorization line of the pasted headers');
    text = lines.slice(at, end).join('\n').trim();
  }

  text = unquote(text, cleaned);
  if (/^authorization\s*:/i.test(text)) {
    text = text.replace(/^authorization\s*:\s*/i, '');
    cleaned.push('removed "Authorization:"');
    text = unquote(text, cleaned);
  }

  let scheme = 'Bearer';
  const first = /^(\S+)\s+(\S[\s\S]*)$/.exec(text);
  if (first && SCHEME.test(first[1] ?? '') && !(first[1] ?? '').startsWith('eyJ')) {
    scheme = first[1] ?? 'Bearer';
    text = first[2] ?? '';
    if (scheme.toLowerCase() === 'bearer') scheme = 'Bearer';
  } else if (/^bearer$/i.test(text)) {
    text = '';
  }
  if (scheme === 'Bearer') text = unquote(text, cleaned);

  // Two Authorization headers joined by ", " (as the Functions host joins a repeated header) are
  // judged as they are: the core names that mistake (REPEATED_AUTHORIZATION), joining them would hide it.
  if (scheme === 'Bearer' && /,\s*bearer\s/i.test(text)) return { kind: 'authorization', authorization: `Bearer ${text.trim()}`, cleaned };
  const pieces = text.split(/\s+/).filter((p) => p !== '');
  if (pieces.length > 1 && scheme === 'Bearer') cleaned.push(`joined ${pieces.length} pieces split by line breaks or spaces`);
  const credentials = scheme === 'Bearer' ? pieces.join('') : text.trim();
  if (credentials === '') return { kind: 'empty', cleaned };
  return { kind: 'authorization', authorization: `${scheme} ${credentials}`, cleaned };
}

function unquote(text: string, cleaned: string[]): string {
  const m = QUOTES.exec(text.trim());
  if (!m) return text;
  cleaned.push('removed quotes');
  return (m[2] ?? '').trim();
}

/**
 * A token response (RFC 6749 §5.1; Entra's /token answer): its access_token, else its id_token, which
 * is for the client app, not an API (OpenID Connect Core §2). Null: not JSON; a string: JSON without a token.
 */
function tokenFromJson(text: string): { token: string; note: string } | string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const field = (name: string): string | undefined => {
    const v = (value as Record<string, unknown> | null)?.[name];
    return typeof v === 'string' && v.trim() !== '' ? v : undefined;
  };
  const access = field('access_token');
  if (access !== undefined) return { token: access, note: 'took "access_token" from the token response JSON' };
  const id = field('id_token');
  if (id !== undefined) return { token: id, note: 'the JSON has no "access_token": inspecting its "id_token", which is for the signed-in app, not an API' };
  return 'the pasted JSON has no "access_token" (or "id_token"): paste the access token, or the whole token response';
}
