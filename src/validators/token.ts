import { type Settings, isGuid } from '../config.js';
import type { FrontDoorInput, Refusal, RuleId, Verdict } from './types.js';

/** The token as every profile reads it (decoded, untrusted; the signature verdict comes from the core). */
export interface TokenFacts {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signatureVerified: boolean | null;
  /** Seconds since the epoch, whole (every validator here compares whole seconds). */
  nowSec: number;
}

export interface Judgement {
  verdict: Verdict;
  firstRefusal?: Refusal;
}

export const ACCEPT: Judgement = Object.freeze({ verdict: 'accept' });

export function refuse(rule: RuleId, expected: string, found: string, source: string, setting?: string): Judgement {
  return { verdict: 'refuse', firstRefusal: { rule, expected, found, source, ...(setting !== undefined ? { setting } : {}) } };
}

export function undecided(rule: RuleId, expected: string, found: string, source: string, setting?: string): Judgement {
  return { verdict: 'unknown', firstRefusal: { rule, expected, found, source, ...(setting !== undefined ? { setting } : {}) } };
}

export function factsOf(input: FrontDoorInput): TokenFacts {
  return { header: input.header, claims: input.claims, signatureVerified: input.signatureVerified, nowSec: Math.floor(input.now.getTime() / 1000) };
}

export function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Shown values are short: a claim value is at most 120 characters in a finding. */
export function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export function audiencesOf(claims: Record<string, unknown>): string[] {
  const aud = claims['aud'];
  if (typeof aud === 'string') return [aud];
  return stringList(aud);
}

export function versionOf(claims: Record<string, unknown>): '1.0' | '2.0' | null {
  const ver = claims['ver'];
  return ver === '1.0' || ver === '2.0' ? ver : null;
}

/** The calling app: `azp` (v2) or `appid` (v1) [DOC ATC]. */
export function clientOf(claims: Record<string, unknown>): string | null {
  return str(claims['azp']) ?? str(claims['appid']);
}

export function scopesOf(claims: Record<string, unknown>): string[] | null {
  const scp = claims['scp'];
  return typeof scp === 'string' ? scp.split(' ').filter((s) => s !== '') : null;
}

/** The client-ID GUID an audience names: the GUID itself, or `api://<GUID>` (with or without a trailing slash). */
export function guidOf(aud: string): string | null {
  const v = aud.trim();
  if (isGuid(v)) return v.toLowerCase();
  const m = /^api:\/\/([0-9a-f-]{36})\/?$/i.exec(v);
  return m?.[1] !== undefined && isGuid(m[1]) ? m[1].toLowerCase() : null;
}

/** The API's client ID the settings name: the first GUID among TOKEN_ECHO_AUDIENCES. */
export function apiClientId(settings: Settings): string | null {
  for (const a of settings.audiences) {
    const g = guidOf(a);
    if (g !== null) return g;
  }
  return null;
}

/**
 * Forms of the same audience the settings mean without spelling out: the API's client ID and its
 * `api://<client ID>` App ID URI (v2 tokens always carry the client ID, v1 tokens the App ID URI or
 * the client ID, as requested [DOC ATC aud]), and a value with or without a trailing slash (v1 `aud`
 * "can be emitted ... with or without a trailing slash" [DOC OPT]).
 */
export function sameApi(tokenAud: string, configured: string): boolean {
  if (tokenAud === configured) return true;
  if (tokenAud.replace(/\/$/, '') === configured.replace(/\/$/, '')) return true;
  const a = guidOf(tokenAud);
  return a !== null && a === guidOf(configured);
}

/** The configured audiences plus the token's audiences that name the same API as one of them. */
export function widenedAudiences(configured: readonly string[], claims: Record<string, unknown>): string[] {
  const out = [...configured];
  for (const aud of audiencesOf(claims)) {
    if (!out.includes(aud) && configured.some((c) => sameApi(aud, c))) out.push(aud);
  }
  return out;
}

/** The tenant GUID the settings trust, or null when only a domain is known. */
export function tenantGuidOf(input: Pick<FrontDoorInput, 'settings' | 'tenantGuid'>): string | null {
  const t = input.settings.tenant;
  if (t !== null && isGuid(t)) return t.toLowerCase();
  return input.tenantGuid !== undefined && isGuid(input.tenantGuid) ? input.tenantGuid.toLowerCase() : null;
}

/**
 * The host of v1.0 issuers for an authority: `https://sts.windows.net/{tid}/` for the public cloud
 * [DOC AT, v1 metadata issuer]; US Government shares it and China uses sts.chinacloudapi.cn [ANEC,
 * reference §2.2]. The loopback stand-in authority (src/dev) mints public-cloud v1 issuers.
 */
export function v1IssuerBase(authority: string): string | null {
  let host: string;
  try {
    host = new URL(authority).hostname;
  } catch {
    return null;
  }
  if (host === 'login.microsoftonline.com' || host === 'login.microsoftonline.us' || host === '127.0.0.1' || host === 'localhost') return 'https://sts.windows.net';
  if (host === 'login.partner.microsoftonline.cn' || host === 'login.chinacloudapi.cn') return 'https://sts.chinacloudapi.cn';
  return null;
}

/** The issuers of one tenant: v2 `{authority}/{tid}/v2.0` and v1 `https://sts.windows.net/{tid}/` [DOC AT]. */
export function tenantIssuers(authority: string, tid: string): { v2: string; v1: string | null } {
  const v1 = v1IssuerBase(authority);
  return { v2: `${authority}/${tid}/v2.0`, v1: v1 === null ? null : `${v1}/${tid}/` };
}

/**
 * token-echo's authorization intent (TOKEN_ECHO_SCOPES / _ROLES / _CLIENT_IDS, src/config.ts): a user
 * token (with `scp`) needs one of the scopes (any, when none is set); a token without `scp` needs one
 * of the roles (none set: refused); the calling app must be listed (none set: any). An ID token has
 * neither `scp` nor `roles` and is refused here. Node libraries check none of this themselves, so
 * their snippets carry the same check as code ([CODE] jose/jsonwebtoken verify only what their options name).
 */
export function intentRefusal(claims: Record<string, unknown>, settings: Settings, source: string): Judgement | null {
  const scopes = scopesOf(claims);
  const roles = stringList(claims['roles']);
  if (scopes !== null) {
    if (settings.scopes.length > 0 && !scopes.some((s) => settings.scopes.includes(s))) {
      return refuse('scope', `scp with one of ${settings.scopes.join(', ')}`, show(claims['scp']), source);
    }
  } else if (!roles.some((r) => settings.roles.includes(r))) {
    const expected = settings.roles.length > 0 ? `scp, or roles with one of ${settings.roles.join(', ')}` : 'scp (TOKEN_ECHO_ROLES is empty: app-only tokens are refused)';
    return refuse('scope-or-roles', expected, roles.length > 0 ? `no scp, roles ${show(roles)}` : 'neither scp nor roles', source);
  }
  if (settings.clientIds.length > 0) {
    const client = clientOf(claims);
    if (client === null || !settings.clientIds.includes(client.toLowerCase())) {
      return refuse('client', `azp/appid one of ${settings.clientIds.join(', ')}`, client === null ? 'no azp or appid' : show(client), source);
    }
  }
  return null;
}

/** The intent check above, as JavaScript a snippet runs on the verified payload `p`. */
export function intentCode(settings: Settings, indent: string): string {
  const lines = [
    `// What TOKEN_ECHO_SCOPES / _ROLES / _CLIENT_IDS ask for, checked in code:`,
    `const scopes = typeof p.scp === 'string' ? p.scp.split(' ').filter(Boolean) : null;`,
    `const roles = Array.isArray(p.roles) ? p.roles : [];`,
    scopesCheck(settings),
    `else if (!roles.some((r) => ${JSON.stringify(settings.roles)}.includes(r))) throw new Error('no accepted scope or role');`,
  ];
  if (settings.clientIds.length > 0) {
    lines.push(`if (!${JSON.stringify(settings.clientIds)}.includes(String(p.azp ?? p.appid ?? '').toLowerCase())) throw new Error('calling app not allowed');`);
  }
  return lines.map((l) => indent + l).join('\n');
}

function scopesCheck(settings: Settings): string {
  if (settings.scopes.length === 0) return `if (scopes !== null) { /* any delegated scope */ }`;
  return `if (scopes !== null) { if (!scopes.some((s) => ${JSON.stringify(settings.scopes)}.includes(s))) throw new Error('required scope missing'); }`;
}

/** RS256 is the only algorithm Entra metadata advertises (`id_token_signing_alg_values_supported`) [DOC SIG]. */
export function algJudgement(header: Record<string, unknown>, allowed: readonly string[], source: string, setting?: string): Judgement | null {
  const alg = header['alg'];
  if (typeof alg === 'string' && allowed.includes(alg)) return null;
  return refuse('alg', allowed.join(' or '), show(alg), source, setting);
}

export function signatureJudgement(facts: TokenFacts, source: string): Judgement | null {
  if (facts.signatureVerified === true) return null;
  if (facts.signatureVerified === null) return undecided('signature', 'a signature by a key of the tenant', 'not checked (the tenant keys were not available)', source);
  return refuse('signature', 'a signature by a key of the tenant', 'the signature does not verify with the tenant keys', source);
}
