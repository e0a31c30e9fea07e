import { isGuid } from '../config.js';
import { type Judgement, type TokenFacts, refuse, show, str, stringList, undecided } from './token.js';

/**
 * Rules shared by the validators built on Microsoft.IdentityModel (Microsoft.Identity.Web, and —
 * by inference — the APIM policies and Easy Auth, whose code is not public).
 */

/**
 * IdentityModel lifetime [CODE IMX `Validators.ValidateLifetime`, LogMessages IDX10222/10223/10225]:
 * `exp` required (RequireExpirationTime), expired when exp < now - skew, not yet valid when
 * nbf > now + skew. Default skew 300 s (`TokenValidationParameters.DefaultClockSkew`).
 */
export function imxLifetime(facts: TokenFacts, skew: number, requireExp: boolean, source: string, setting?: string): Judgement | null {
  const { exp, nbf } = facts.claims;
  if (exp === undefined) {
    if (requireExp) return refuse('exp', 'an exp claim (IDX10225)', '(absent)', source, setting);
  } else if (typeof exp !== 'number') {
    return refuse('exp', 'a number', show(exp), source);
  } else if (exp < facts.nowSec - skew) {
    return refuse('exp', `exp >= now - ${skew} s (IDX10223)`, `expired ${facts.nowSec - exp} s ago`, source, setting);
  }
  if (typeof nbf === 'number' && nbf > facts.nowSec + skew) return refuse('nbf', `nbf <= now + ${skew} s (IDX10222)`, `nbf is ${nbf - facts.nowSec} s from now`, source, setting);
  return null;
}

/**
 * Lifetime for a validator whose clock skew is not documented (Easy Auth, validate-azure-ad-token):
 * outside any plausible skew the token is refused; within .NET's 300 s default the verdict is `unknown`.
 */
export function undocumentedSkewLifetime(facts: TokenFacts, source: string): Judgement | null {
  const { exp, nbf } = facts.claims;
  if (typeof exp !== 'number') return undecided('exp', 'an exp claim', show(exp), `${source} (no documented rule for a missing exp)`);
  if (facts.nowSec > exp + 300) return refuse('exp', 'an unexpired token', `expired ${facts.nowSec - exp} s ago`, source);
  if (facts.nowSec > exp) return undecided('exp', 'an unexpired token (the clock skew allowed is not documented)', `expired ${facts.nowSec - exp} s ago`, source);
  if (typeof nbf === 'number' && nbf > facts.nowSec + 300) return refuse('nbf', 'nbf in the past', `nbf is ${nbf - facts.nowSec} s from now`, source);
  if (typeof nbf === 'number' && nbf > facts.nowSec) return undecided('nbf', 'nbf in the past (the clock skew allowed is not documented)', `nbf is ${nbf - facts.nowSec} s from now`, source);
  return null;
}

/**
 * IdentityModel audience comparison [CODE IMX `Validators.AudienceIsValid`]: ordinal equality, and
 * with `IgnoreTrailingSlashWhenValidatingAudience` (default true [CODE IMX TokenValidationParameters])
 * a single trailing slash on either side is not significant.
 */
export function imxAudienceMatch(tokenAud: string, valid: string, ignoreTrailingSlash = true): boolean {
  if (tokenAud === valid) return true;
  if (!ignoreTrailingSlash) return false;
  const strip = (v: string): string => (v.endsWith('/') ? v.slice(0, -1) : v);
  return strip(tokenAud) === strip(valid);
}

export const MULTI_TENANT = new Set(['common', 'organizations', 'consumers']);

/** The tenant an Entra `iss` names: the first path segment (v1 `sts.windows.net/{tid}/`, v2 `{host}/{tid}/v2.0`). */
export function issuerTenant(iss: unknown): string | null {
  const value = str(iss);
  if (value === null) return null;
  try {
    const seg = new URL(value).pathname.split('/').filter(Boolean)[0];
    return seg === undefined ? null : seg.toLowerCase();
  } catch {
    return null;
  }
}

/** A configured tenant (GUID, domain or multi-tenant word) as a GUID, when it can be known. */
export function tenantAsGuid(configured: string, settingsTenant: string | null, tenantGuid: string | null): string | null {
  const t = configured.toLowerCase();
  if (isGuid(t)) return t;
  if (settingsTenant !== null && t === settingsTenant.toLowerCase() && tenantGuid !== null) return tenantGuid;
  return null;
}

/** APIM `required-claims` [DOC APIM-AAD/APIM-JWT "claim attributes"]: `match` all (default) or any, optional `separator`. */
export interface RequiredClaim {
  name: string;
  match: 'all' | 'any';
  separator: string | null;
  values: string[];
}

export function requiredClaimsJudgement(rules: readonly RequiredClaim[], claims: Record<string, unknown>, source: string): Judgement | null {
  for (const rule of rules) {
    const raw = claims[rule.name];
    if (raw === undefined) return refuse('required-claim', `a "${rule.name}" claim`, '(absent)', source, `required-claims/claim[@name='${rule.name}']`);
    if (rule.values.length === 0) continue;
    const found = Array.isArray(raw) ? stringList(raw) : typeof raw === 'string' ? (rule.separator !== null ? raw.split(rule.separator) : [raw]) : [String(raw)];
    const ok = rule.match === 'all' ? rule.values.every((v) => found.includes(v)) : rule.values.some((v) => found.includes(v));
    if (!ok) return refuse('required-claim', `${rule.name} with ${rule.match === 'all' ? 'all' : 'one'} of ${rule.values.join(', ')}`, show(raw), source, `required-claims/claim[@name='${rule.name}']`);
  }
  return null;
}

export function renderRequiredClaims(rules: readonly RequiredClaim[], indent: string): string[] {
  if (rules.length === 0) return [];
  return [
    `${indent}<required-claims>`,
    ...rules.flatMap((r) => [
      `${indent}    <claim name="${xml(r.name)}" match="${r.match}"${r.separator !== null ? ` separator="${xml(r.separator)}"` : ''}>`,
      ...r.values.map((v) => `${indent}        <value>${xml(v)}</value>`),
      `${indent}    </claim>`,
    ]),
    `${indent}</required-claims>`,
  ];
}

export function xml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
