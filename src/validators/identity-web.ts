import type { Settings } from '../config.js';
import { MULTI_TENANT, imxAudienceMatch, imxLifetime, issuerTenant, tenantAsGuid } from './microsoft-rules.js';
import type { ConfigProblem, ProfileSpec } from './profile.js';
import { ACCEPT, type Judgement, type TokenFacts, apiClientId, audiencesOf, intentRefusal, refuse, show, signatureJudgement, tenantGuidOf, tenantIssuers, undecided, versionOf, widenedAudiences } from './token.js';
import type { FrontDoorInput } from './types.js';

/**
 * Microsoft.Identity.Web `AddMicrosoftIdentityWebApi` over ASP.NET Core JwtBearer and
 * Microsoft.IdentityModel (docs/front-doors.md §1). Cannot run here: each rule is cited and tested.
 */
export interface IdentityWebConfig {
  instance: string;
  /** `AzureAd:TenantId`: GUID, domain, or common/organizations. */
  tenantId: string;
  clientId: string;
  /** `AzureAd:Audience` (JwtBearerOptions.Audience → ValidAudience [CODE aspnetcore JwtBearerPostConfigureOptions]). */
  audience: string | null;
  /** `TokenValidationParameters.ValidAudiences` set in code. */
  validAudiences: string[] | null;
  /** `AzureAd:AllowWebApiToBeAuthorizedByACL`. */
  allowAcl: boolean;
  /** The app's own authorization (RequiredScopeOrAppPermission, client allow-list), from the settings; null for a parsed appsettings.json. */
  intent: Settings | null;
  settingsTenant: string | null;
  tenantGuid: string | null;
}

const SRC_AUD = 'CODE MIW Resource/RegisterValidAudience.cs';
const SRC_ISS = 'CODE IMX AadIssuerValidator.cs';

export function identityWebFromSettings(input: FrontDoorInput): { config: IdentityWebConfig } | ConfigProblem {
  const s = input.settings;
  if (s.tenant === null) return { problem: 'no tenant is configured (AzureAd:TenantId)', setting: 'TOKEN_ECHO_TENANT_ID' };
  const clientId = apiClientId(s);
  if (clientId === null) return { problem: 'Microsoft.Identity.Web needs the API\'s client ID (AzureAd:ClientId): put it, or api://<client ID>, in TOKEN_ECHO_AUDIENCES', setting: 'TOKEN_ECHO_AUDIENCES' };
  return {
    config: {
      instance: s.authority,
      tenantId: s.tenant,
      clientId,
      audience: s.audiences.length === 1 ? (s.audiences[0] as string) : null,
      validAudiences: s.audiences.length > 1 ? [...s.audiences] : null,
      allowAcl: false,
      intent: s,
      settingsTenant: s.tenant,
      tenantGuid: tenantGuidOf(input),
    },
  };
}

/**
 * Valid audiences, or 'version-dependent' when Microsoft.Identity.Web's two code paths disagree for
 * this token: RegisterValidAudience (AddMicrosoftIdentityWebApi(IConfiguration…), long-standing)
 * accepts `ClientId` for ver 2.0 and `api://ClientId` for ver 1.0; the MicrosoftIdentityApplicationOptions
 * path accepts both [CODE MIW MicrosoftIdentityWebApiAuthenticationBuilderExtensions.cs
 * ConfigureAudienceValidationFromApplicationOptions].
 */
function validAudiences(c: IdentityWebConfig, claims: Record<string, unknown>): { list: string[]; ambiguous: boolean } {
  if (c.validAudiences !== null) return { list: c.validAudiences, ambiguous: false };
  if (c.audience !== null) return { list: [c.audience], ambiguous: false };
  const both = [c.clientId, `api://${c.clientId}`];
  const ver = versionOf(claims);
  const classic = ver === '2.0' ? [c.clientId] : ver === '1.0' ? [`api://${c.clientId}`] : [];
  const auds = audiencesOf(claims);
  const classicOk = auds.some((a) => classic.some((v) => imxAudienceMatch(a, v)));
  const newOk = auds.some((a) => both.some((v) => imxAudienceMatch(a, v)));
  return { list: classic, ambiguous: classicOk !== newOk };
}

export function judgeIdentityWeb(c: IdentityWebConfig, facts: TokenFacts): Judgement {
  const claims = facts.claims;
  // Signature and signing-key issuer come first in JsonWebTokenHandler [CODE IMX ValidateJWSAsync].
  const sig = signatureJudgement(facts, 'CODE IMX JsonWebTokenHandler.ValidateSignatureAndIssuerSecurityKey');
  if (sig) return sig;
  const life = imxLifetime(facts, 300, true, 'CODE IMX Validators.ValidateLifetime (DefaultClockSkew 300 s)');
  if (life) return life;
  const auds = validAudiences(c, claims);
  if (auds.ambiguous) {
    return undecided('aud', `ClientId or api://ClientId, depending on the Microsoft.Identity.Web version and overload`, show(claims['aud']), `${SRC_AUD}; CODE MIW ConfigureAudienceValidationFromApplicationOptions`, 'AzureAd:Audience');
  }
  if (!audiencesOf(claims).some((a) => auds.list.some((v) => imxAudienceMatch(a, v)))) {
    const expected = auds.list.length > 0 ? auds.list.join(' or ') : 'a token with ver 1.0 or 2.0 (the default audience depends on ver)';
    return refuse('aud', `${expected} (IDX10214)`, show(claims['aud']), c.audience !== null || c.validAudiences !== null ? 'CODE IMX Validators.ValidateAudience' : SRC_AUD, c.validAudiences !== null ? 'TokenValidationParameters.ValidAudiences' : 'AzureAd:Audience');
  }
  const iss = issuerJudgement(c, claims);
  if (iss) return iss;
  if (!c.allowAcl && claims['scp'] === undefined && claims['scope'] === undefined && claims['roles'] === undefined && claims['role'] === undefined) {
    return refuse('scope-or-roles', 'a scp or roles claim (IDW10201)', 'neither', 'CODE MIW ChainOnTokenValidatedEventForClaimsValidation', 'AzureAd:AllowWebApiToBeAuthorizedByACL');
  }
  if (c.intent !== null) return intentRefusal(claims, c.intent, 'token-echo settings (RequiredScopeOrAppPermission and client check in code)') ?? ACCEPT;
  return ACCEPT;
}

/**
 * AadIssuerValidator [CODE IMX]: the tenant from `tid` (else the `iss` path), then `iss` must equal the
 * authority's v2 or v1 metadata issuer (chosen by the token's `iss`) with `{tenantid}` replaced by it;
 * a tenant-specific authority names one tenant, common/organizations any tenant.
 */
function issuerJudgement(c: IdentityWebConfig, claims: Record<string, unknown>): Judgement | null {
  const tid = typeof claims['tid'] === 'string' ? claims['tid'].toLowerCase() : issuerTenant(claims['iss']);
  if (tid === null) return refuse('iss', 'a tid claim or a tenant in iss (IDX40003)', 'none', SRC_ISS);
  const configured = c.tenantId.toLowerCase();
  let tenant: string;
  if (MULTI_TENANT.has(configured)) tenant = tid;
  else {
    const guid = tenantAsGuid(configured, c.settingsTenant, c.tenantGuid);
    if (guid === null) return undecided('iss', `an issuer of ${c.tenantId} (its GUID is not known here)`, show(claims['iss']), SRC_ISS, 'AzureAd:TenantId');
    tenant = guid;
  }
  const issuers = tenantIssuers(c.instance.replace(/\/+$/, ''), tenant);
  const valid = [issuers.v2, ...(issuers.v1 !== null ? [issuers.v1] : [])];
  if (typeof claims['iss'] === 'string' && valid.includes(claims['iss'])) return null;
  return refuse('iss', `${valid.join(' or ')} (IDX40001)`, show(claims['iss']), SRC_ISS, 'AzureAd:TenantId');
}

function widenIdentityWeb(c: IdentityWebConfig, facts: TokenFacts): IdentityWebConfig {
  const current = c.validAudiences ?? (c.audience !== null ? [c.audience] : [c.clientId, `api://${c.clientId}`]);
  const widened = widenedAudiences(current, facts.claims);
  if (widened.length === current.length && (c.validAudiences !== null || c.audience !== null)) return c;
  return { ...c, audience: null, validAudiences: widened };
}

export function renderIdentityWeb(c: IdentityWebConfig): string {
  const azureAd: Record<string, unknown> = { Instance: `${c.instance.replace(/\/+$/, '')}/`, TenantId: c.tenantId, ClientId: c.clientId };
  if (c.audience !== null) azureAd['Audience'] = c.audience;
  if (c.allowAcl) azureAd['AllowWebApiToBeAuthorizedByACL'] = true;
  const lines = [`// appsettings.json`, JSON.stringify({ AzureAd: azureAd }, null, 2), ``, `// Program.cs`];
  if (c.validAudiences !== null) {
    lines.push(
      `builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)`,
      `    .AddMicrosoftIdentityWebApi(`,
      `        jwt => { builder.Configuration.Bind("AzureAd", jwt); jwt.TokenValidationParameters.ValidAudiences = new[] { ${c.validAudiences.map((a) => JSON.stringify(a)).join(', ')} }; },`,
      `        identity => builder.Configuration.Bind("AzureAd", identity));`,
    );
  } else {
    lines.push(`builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddMicrosoftIdentityWebApi(builder.Configuration.GetSection("AzureAd"));`);
  }
  const s = c.intent;
  if (s !== null) {
    lines.push(``, `// On the endpoints (TOKEN_ECHO_SCOPES / TOKEN_ECHO_ROLES):`);
    lines.push(`[RequiredScopeOrAppPermission(new[] { ${s.scopes.map((x) => JSON.stringify(x)).join(', ')} }, new[] { ${s.roles.map((x) => JSON.stringify(x)).join(', ')} })]`);
    if (s.clientIds.length > 0) {
      lines.push(`// TOKEN_ECHO_CLIENT_IDS: allow only these calling apps (azp for v2.0, appid for v1.0 tokens)`);
      lines.push(`// policy.RequireAssertion(ctx => new[] { ${s.clientIds.map((x) => JSON.stringify(x)).join(', ')} }.Contains(ctx.User.FindFirst("azp")?.Value ?? ctx.User.FindFirst("appid")?.Value));`);
    }
  }
  return lines.join('\n') + '\n';
}

export const identityWebProfile: ProfileSpec<IdentityWebConfig> = {
  id: 'microsoft-identity-web',
  name: 'Microsoft.Identity.Web',
  fromSettings: identityWebFromSettings,
  judge: judgeIdentityWeb,
  widen: widenIdentityWeb,
  render: renderIdentityWeb,
};
