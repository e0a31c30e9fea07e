import { humanDuration, show } from './format.js';
import type { Reason, TokenInfo, Verdict } from './report.js';

/** One plain-language line a person can act on, fit for a chat message or a flow's compose action. */
export function summarize(verdict: Verdict, reasons: readonly Reason[], token: TokenInfo | null): string {
  const errors = reasons.filter((r) => r.severity === 'error');
  const first = errors[0];
  if (verdict === 'no_token' || verdict === 'invalid') {
    if (!first) return 'Invalid token.';
    const more = errors.length > 1 ? ` (+${errors.length - 1} more finding${errors.length > 2 ? 's' : ''})` : '';
    return `${verdict === 'no_token' ? 'No token' : 'Invalid'}: ${first.message}${more}`;
  }
  const who = describeToken(token);
  if (verdict === 'valid') {
    // Accepted as Microsoft.Identity.Web accepts it, but some validators would not: the line says so.
    let warnings: string[] | undefined;
    for (const r of reasons) if (r.severity === 'warning') (warnings ??= []).push(r.code);
    return warnings === undefined ? `Valid: ${who}.` : `Valid: ${who}; warning${warnings.length > 1 ? 's' : ''}: ${warnings.join(', ')}.`;
  }
  const why = reasons.find((r) => r.code === 'KEYS_UNAVAILABLE')
    ? 'the tenant\'s keys could not be fetched, so the signature was not checked'
    : 'no tenant is configured, so the signature was not checked';
  return `Unverified: ${why}; ${who}.`;
}

/** What a token is, without its time left: the same on every call with that token (claims are frozen and shared then). */
const described = new WeakMap<object, string>();

function describeToken(token: TokenInfo | null): string {
  if (!token?.claims) return 'no claims';
  const c = token.claims;
  let what = described.get(c);
  if (what === undefined) {
    const parts = [`v${token.version ?? '?'} ${token.kind ?? 'unknown-kind'} token for ${show(c['aud'], 80)}`];
    if (token.client) parts.push(`from client ${token.client}`);
    if (typeof c['scp'] === 'string') parts.push(`scp ${show(c['scp'], 80)}`);
    if (Array.isArray(c['roles'])) parts.push(`roles ${show(c['roles'], 80)}`);
    what = parts.join(', ');
    if (Object.isFrozen(c)) described.set(c, what);
  }
  if (token.expiresIn === null) return what;
  return `${what}, ${token.expiresIn >= 0 ? `expires in ${humanDuration(token.expiresIn)}` : `expired ${humanDuration(token.expiresIn)} ago`}`;
}
