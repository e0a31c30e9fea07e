import { type RequiredClaim, issuerTenant, renderRequiredClaims, requiredClaimsJudgement, tenantAsGuid, undocumentedSkewLifetime, xml } from './microsoft-rules.js';
import type { ConfigProblem, ProfileSpec } from './profile.js';
import { ACCEPT, type Judgement, type TokenFacts, audiencesOf, clientOf, refuse, show, signatureJudgement, tenantGuidOf, tenantIssuers, undecided, widenedAudiences } from './token.js';
import type { FrontDoorInput } from './types.js';

/**
 * API Management `validate-azure-ad-token` [DOC APIM-AAD = MicrosoftDocs/azure-docs
 * `articles/api-management/validate-azure-ad-token-policy.md`]. Its code is not public.
 */
export interface ApimAzureAdConfig {
  tenantId: string;
  /** null: no `<audiences>` element. */
  audiences: string[] | null;
  clientApplicationIds: string[];
  backendApplicationIds: string[];
  requiredClaims: RequiredClaim[];
  authority: string;
  settingsTenant: string | null;
  tenantGuid: string | null;
}

const DOC = 'DOC APIM-AAD';

/** token-echo's scopes can be a required claim only when app-only tokens are refused anyway (required-claims has no OR across claims). */
export function scopeClaims(scopes: readonly string[], roles: readonly string[]): RequiredClaim[] {
  return scopes.length > 0 && roles.length === 0 ? [{ name: 'scp', match: 'any', separator: ' ', values: [...scopes] }] : [];
}

export function apimAzureAdFromSettings(input: FrontDoorInput): { config: ApimAzureAdConfig } | ConfigProblem {
  const s = input.settings;
  if (s.tenant === null) return { problem: 'no tenant is configured (tenant-id)', setting: 'TOKEN_ECHO_TENANT_ID' };
  // "client-application-ids ... At least one application-id must be specified" [DOC APIM-AAD].
  if (s.clientIds.length === 0) return { problem: 'validate-azure-ad-token requires at least one client application ID', setting: 'TOKEN_ECHO_CLIENT_IDS' };
  return {
    config: {
      tenantId: s.tenant,
      audiences: s.audiences.length > 0 ? [...s.audiences] : null,
      clientApplicationIds: [...s.clientIds],
      backendApplicationIds: [],
      requiredClaims: scopeClaims(s.scopes, s.roles),
      authority: s.authority,
      settingsTenant: s.tenant,
      tenantGuid: tenantGuidOf(input),
    },
  };
}

export function judgeApimAzureAd(c: ApimAzureAdConfig, facts: TokenFacts): Judgement {
  const claims = facts.claims;
  const sig = signatureJudgement(facts, `${DOC} (keys of the tenant-id)`);
  if (sig) return sig;
  // The token must be "provided by the Microsoft Entra service for a specified set of principals in the
  // directory" named by tenant-id [DOC]; both v1 and v2 issuers of that tenant are inferred to pass [INF].
  const guid = tenantAsGuid(c.tenantId, c.settingsTenant, c.tenantGuid);
  if (guid === null) return undecided('tenant', `a token of ${c.tenantId} (its GUID is not known here)`, show(claims['tid']), DOC, '@tenant-id');
  const issuers = tenantIssuers(c.authority, guid);
  if (issuerTenant(claims['iss']) !== guid || (claims['iss'] !== issuers.v2 && claims['iss'] !== issuers.v1)) {
    return refuse('tenant', `an issuer of tenant ${guid}`, show(claims['iss']), `${DOC}; INF issuer forms`, '@tenant-id');
  }
  const life = undocumentedSkewLifetime(facts, DOC);
  if (life) return life;
  if (c.audiences === null) {
    return undecided('aud', 'an <audiences> list (the policy\'s default audience is not documented)', show(claims['aud']), DOC, 'audiences');
  }
  // "a list of acceptable audience claims ... each value is tried until ... one succeeds" [DOC].
  const auds = audiencesOf(claims);
  if (!auds.some((a) => c.audiences?.includes(a))) {
    const strip = (v: string): string => v.replace(/\/$/, '');
    if (auds.some((a) => c.audiences?.some((v) => strip(v) === strip(a)))) {
      return undecided('aud', `${c.audiences.join(' or ')} (whether a trailing slash matters is not documented)`, show(claims['aud']), DOC, 'audiences/audience');
    }
    return refuse('aud', c.audiences.join(' or '), show(claims['aud']), DOC, 'audiences/audience');
  }
  // "client-application-ids: a list of acceptable client application IDs" [DOC]; read from azp/appid [INF].
  const client = clientOf(claims);
  if (client === null || !c.clientApplicationIds.map((x) => x.toLowerCase()).includes(client.toLowerCase())) {
    return refuse('client', `azp/appid one of ${c.clientApplicationIds.join(', ')}`, client === null ? 'no azp or appid' : show(client), `${DOC}; INF claim`, 'client-application-ids/application-id');
  }
  return requiredClaimsJudgement(c.requiredClaims, claims, DOC) ?? ACCEPT;
}

function widenApimAzureAd(c: ApimAzureAdConfig, facts: TokenFacts): ApimAzureAdConfig {
  if (c.audiences === null) return c;
  const audiences = widenedAudiences(c.audiences, facts.claims);
  return audiences.length === c.audiences.length ? c : { ...c, audiences };
}

export function renderApimAzureAd(c: ApimAzureAdConfig): string {
  const lines = [`<validate-azure-ad-token tenant-id="${xml(c.tenantId)}">`];
  lines.push(`    <client-application-ids>`, ...c.clientApplicationIds.map((id) => `        <application-id>${xml(id)}</application-id>`), `    </client-application-ids>`);
  if (c.backendApplicationIds.length > 0) {
    lines.push(`    <backend-application-ids>`, ...c.backendApplicationIds.map((id) => `        <application-id>${xml(id)}</application-id>`), `    </backend-application-ids>`);
  }
  if (c.audiences !== null) lines.push(`    <audiences>`, ...c.audiences.map((a) => `        <audience>${xml(a)}</audience>`), `    </audiences>`);
  lines.push(...renderRequiredClaims(c.requiredClaims, '    '));
  lines.push(`</validate-azure-ad-token>`);
  return `${lines.join('\n')}\n`;
}

export const apimAzureAdProfile: ProfileSpec<ApimAzureAdConfig> = {
  id: 'apim-validate-azure-ad-token',
  name: 'API Management validate-azure-ad-token',
  fromSettings: apimAzureAdFromSettings,
  judge: judgeApimAzureAd,
  widen: widenApimAzureAd,
  render: renderApimAzureAd,
};
