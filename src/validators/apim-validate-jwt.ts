import { scopeClaims } from './apim-azure-ad-token.js';
import { MULTI_TENANT, type RequiredClaim, imxLifetime, renderRequiredClaims, requiredClaimsJudgement, tenantAsGuid, xml } from './microsoft-rules.js';
import type { ConfigProblem, ProfileSpec } from './profile.js';
import { ACCEPT, type Judgement, type TokenFacts, audiencesOf, refuse, show, signatureJudgement, tenantGuidOf, tenantIssuers, undecided, v1IssuerBase, widenedAudiences } from './token.js';
import type { FrontDoorInput } from './types.js';

/**
 * API Management `validate-jwt` with `<openid-config>` [DOC APIM-JWT = MicrosoftDocs/azure-docs
 * `articles/api-management/validate-jwt-policy.md`]: keys and issuer from each OpenID configuration,
 * plus `<issuers>`; `<audiences>`; `clock-skew` default 0 s; `require-expiration-time` default true;
 * `required-claims`. A v1 metadata URL yields the v1 issuer only, so a v2 token is refused "IDX10205 …
 * ValidIssuers: 'https://sts.windows.net/…/'" [ANEC MicrosoftDocs/azure-docs#12552].
 */
export interface ApimJwtConfig {
  openidConfigUrls: string[];
  issuers: string[];
  /** null: no `<audiences>` element. */
  audiences: string[] | null;
  clockSkew: number;
  requireExpirationTime: boolean;
  requiredClaims: RequiredClaim[];
  settingsTenant: string | null;
  tenantGuid: string | null;
}

const DOC = 'DOC APIM-JWT';

export function apimJwtFromSettings(input: FrontDoorInput): { config: ApimJwtConfig } | ConfigProblem {
  const s = input.settings;
  if (s.tenant === null) return { problem: 'no tenant is configured (openid-config url)', setting: 'TOKEN_ECHO_TENANT_ID' };
  const tid = tenantGuidOf(input);
  if (tid === null) return { problem: `the tenant GUID behind ${s.tenant} is not known yet (issuers name the GUID)`, setting: 'TOKEN_ECHO_TENANT_ID' };
  const issuers = tenantIssuers(s.authority, tid);
  return {
    config: {
      openidConfigUrls: [`${s.authority}/${s.tenant}/v2.0/.well-known/openid-configuration`],
      // The v2 metadata names only the v2 issuer; the v1 issuer is listed so v1 tokens of the tenant pass too.
      issuers: issuers.v1 !== null ? [issuers.v1] : [],
      audiences: s.audiences.length > 0 ? [...s.audiences] : null,
      clockSkew: s.clockSkewSeconds,
      requireExpirationTime: true,
      requiredClaims: scopeClaims(s.scopes, s.roles),
      settingsTenant: s.tenant,
      tenantGuid: tid,
    },
  };
}

/** The issuer an Entra metadata URL yields: v2 `{host}/{tenant}/v2.0`, v1 `https://sts.windows.net/{tenant}/`; null for a multi-tenant template or an unknown tenant. */
export function metadataIssuer(url: string, settingsTenant: string | null, tenantGuid: string | null): string | null | 'template' {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const segs = u.pathname.split('/').filter(Boolean);
  const tenant = (segs[0] ?? '').toLowerCase();
  if (MULTI_TENANT.has(tenant)) return 'template';
  const guid = tenantAsGuid(tenant, settingsTenant, tenantGuid);
  if (guid === null) return null;
  if (segs[1] === 'v2.0') return tenantIssuers(u.origin, guid).v2;
  const v1 = v1IssuerBase(u.origin);
  return v1 === null ? null : `${v1}/${guid}/`;
}

export function judgeApimJwt(c: ApimJwtConfig, facts: TokenFacts): Judgement {
  const claims = facts.claims;
  if (c.openidConfigUrls.length === 0) return undecided('signature', 'an <openid-config> (keys given otherwise are not judged here)', 'none', DOC, 'openid-config');
  const sig = signatureJudgement(facts, `${DOC} (keys from openid-config)`);
  if (sig) return sig;
  // Lifetime, audience, issuer: the IdentityModel order [CODE IMX ValidateTokenPayloadAsync]; the policy runs on .NET [INF].
  const life = imxLifetime(facts, c.clockSkew, c.requireExpirationTime, `${DOC} clock-skew default 0`, '@clock-skew');
  if (life) return life;
  if (c.audiences === null) return undecided('aud', 'an <audiences> list', show(claims['aud']), DOC, 'audiences');
  const auds = audiencesOf(claims);
  if (!auds.some((a) => c.audiences?.includes(a))) {
    const strip = (v: string): string => v.replace(/\/$/, '');
    if (auds.some((a) => c.audiences?.some((v) => strip(v) === strip(a)))) {
      return undecided('aud', `${c.audiences.join(' or ')} (whether a trailing slash matters is not documented)`, show(claims['aud']), DOC, 'audiences/audience');
    }
    return refuse('aud', c.audiences.join(' or '), show(claims['aud']), DOC, 'audiences/audience');
  }
  const fromMetadata = c.openidConfigUrls.map((u) => metadataIssuer(u, c.settingsTenant, c.tenantGuid));
  const valid = [...c.issuers, ...fromMetadata.filter((i): i is string => typeof i === 'string' && i !== 'template')];
  if (typeof claims['iss'] !== 'string' || !valid.includes(claims['iss'])) {
    if (fromMetadata.some((i) => i === 'template' || i === null)) {
      return undecided('iss', `${valid.join(' or ') || 'the metadata issuer'} (a multi-tenant or unresolved openid-config issuer is not judged here)`, show(claims['iss']), DOC, 'issuers/issuer');
    }
    return refuse('iss', `${valid.join(' or ')} (IDX10205)`, show(claims['iss']), `${DOC}; ANEC AZD12552`, 'issuers/issuer');
  }
  return requiredClaimsJudgement(c.requiredClaims, claims, DOC) ?? ACCEPT;
}

function widenApimJwt(c: ApimJwtConfig, facts: TokenFacts): ApimJwtConfig {
  if (c.audiences === null) return c;
  const audiences = widenedAudiences(c.audiences, facts.claims);
  return audiences.length === c.audiences.length ? c : { ...c, audiences };
}

export function renderApimJwt(c: ApimJwtConfig): string {
  const lines = [`<validate-jwt header-name="Authorization" require-scheme="Bearer" failed-validation-httpcode="401" clock-skew="${c.clockSkew}" require-expiration-time="${c.requireExpirationTime}">`];
  lines.push(...c.openidConfigUrls.map((u) => `    <openid-config url="${xml(u)}" />`));
  if (c.audiences !== null) lines.push(`    <audiences>`, ...c.audiences.map((a) => `        <audience>${xml(a)}</audience>`), `    </audiences>`);
  if (c.issuers.length > 0) lines.push(`    <issuers>`, ...c.issuers.map((i) => `        <issuer>${xml(i)}</issuer>`), `    </issuers>`);
  lines.push(...renderRequiredClaims(c.requiredClaims, '    '));
  lines.push(`</validate-jwt>`);
  return `${lines.join('\n')}\n`;
}

export const apimValidateJwtProfile: ProfileSpec<ApimJwtConfig> = {
  id: 'apim-validate-jwt',
  name: 'API Management validate-jwt',
  fromSettings: apimJwtFromSettings,
  judge: judgeApimJwt,
  widen: widenApimJwt,
  render: renderApimJwt,
};
