import { MULTI_TENANT, issuerTenant, tenantAsGuid, undocumentedSkewLifetime } from './microsoft-rules.js';
import type { ConfigProblem, ProfileSpec } from './profile.js';
import { ACCEPT, type Judgement, type TokenFacts, apiClientId, audiencesOf, clientOf, refuse, show, signatureJudgement, str, stringList, tenantGuidOf, undecided, v1IssuerBase, versionOf, widenedAudiences } from './token.js';
import type { FrontDoorInput } from './types.js';

/**
 * App Service / Functions authentication v2 ("Easy Auth"), Microsoft provider, as `authsettingsV2`
 * holds it. Its code is not public; every rule is from Microsoft Learn (docs/front-doors.md §2):
 * EA-AAD = MicrosoftDocs/azure-docs `articles/app-service/configure-authentication-provider-aad.md`.
 */
export interface EasyAuthConfig {
  enabled: boolean;
  /** `registration.openIdIssuer`. */
  openIdIssuer: string | null;
  /** `registration.clientId`: "always implicitly considered to be an allowed audience". */
  clientId: string | null;
  allowedAudiences: string[];
  allowedApplications: string[];
  identities: string[];
  jwtAllowedClientApplications: string[];
  jwtAllowedGroups: string[];
  /** App setting WEBSITE_AUTH_AAD_ALLOWED_TENANTS. */
  allowedTenants: string[];
  settingsTenant: string | null;
  tenantGuid: string | null;
}

const P = 'properties.identityProviders.azureActiveDirectory';
const DOC = 'DOC EA-AAD';

export function easyAuthFromSettings(input: FrontDoorInput): { config: EasyAuthConfig } | ConfigProblem {
  const s = input.settings;
  if (s.tenant === null) return { problem: 'no tenant is configured (registration.openIdIssuer names it)', setting: 'TOKEN_ECHO_TENANT_ID' };
  const clientId = apiClientId(s);
  if (clientId === null) return { problem: 'Easy Auth needs the API\'s client ID (registration.clientId): put it, or api://<client ID>, in TOKEN_ECHO_AUDIENCES', setting: 'TOKEN_ECHO_AUDIENCES' };
  return {
    config: {
      enabled: true,
      // "Use <authentication-endpoint>/<tenant-id>/v2.0" [DOC EA-AAD, Issuer URL].
      openIdIssuer: `${s.authority}/${s.tenant}/v2.0`,
      clientId,
      allowedAudiences: s.audiences.filter((a) => a !== clientId),
      allowedApplications: [...s.clientIds],
      identities: [],
      jwtAllowedClientApplications: [],
      jwtAllowedGroups: [],
      allowedTenants: [],
      settingsTenant: s.tenant,
      tenantGuid: tenantGuidOf(input),
    },
  };
}

export function judgeEasyAuth(c: EasyAuthConfig, facts: TokenFacts): Judgement {
  const claims = facts.claims;
  if (!c.enabled) return undecided('config', 'the Microsoft provider enabled', 'enabled: false (Easy Auth does not validate Entra tokens)', DOC, `${P}.enabled`);
  const sig = signatureJudgement(facts, `${DOC} (keys from the openIdIssuer metadata)`);
  if (sig) return sig;
  const iss = issuerJudgement(c, claims);
  if (iss) return iss;
  const aud = audienceJudgement(c, claims);
  if (aud) return aud;
  const life = undocumentedSkewLifetime(facts, DOC);
  if (life) return life;
  const client = clientOf(claims);
  // allowedApplications "evaluates the appid or azp claim of the incoming token, which must be an access token" [DOC EA-AAD].
  if (c.allowedApplications.length > 0 && (client === null || !c.allowedApplications.map((a) => a.toLowerCase()).includes(client.toLowerCase()))) {
    return refuse('client', `appid/azp one of ${c.allowedApplications.join(', ')} (403)`, client === null ? 'no appid or azp' : show(client), DOC, `${P}.validation.defaultAuthorizationPolicy.allowedApplications`);
  }
  const oid = str(claims['oid']);
  // identities "evaluates the oid claim" [DOC EA-AAD].
  if (c.identities.length > 0 && (oid === null || !c.identities.map((a) => a.toLowerCase()).includes(oid.toLowerCase()))) {
    return refuse('principal', `oid one of ${c.identities.join(', ')} (403)`, oid === null ? 'no oid' : show(oid), DOC, `${P}.validation.defaultAuthorizationPolicy.allowedPrincipals.identities`);
  }
  // jwtClaimChecks: "The list of the allowed client applications" / "allowed groups" [DOC ARM JwtClaimChecks]; the claims read are inferred (appid/azp, groups) [INF].
  if (c.jwtAllowedClientApplications.length > 0 && (client === null || !c.jwtAllowedClientApplications.map((a) => a.toLowerCase()).includes(client.toLowerCase()))) {
    return refuse('client', `appid/azp one of ${c.jwtAllowedClientApplications.join(', ')}`, client === null ? 'no appid or azp' : show(client), 'DOC ARM JwtClaimChecks; INF claim', `${P}.validation.jwtClaimChecks.allowedClientApplications`);
  }
  if (c.jwtAllowedGroups.length > 0) {
    const groups = stringList(claims['groups']);
    if (!groups.some((g) => c.jwtAllowedGroups.includes(g))) {
      return undecided('principal', `a group among ${c.jwtAllowedGroups.join(', ')}`, groups.length > 0 ? show(groups) : 'no groups claim (overage or not emitted)', 'DOC ARM JwtClaimChecks; INF claim', `${P}.validation.jwtClaimChecks.allowedGroups`);
    }
  }
  // WEBSITE_AUTH_AAD_ALLOWED_TENANTS: "the incoming token is from one of the specified tenants, as specified by the tid claim" [DOC EA-AAD].
  if (c.allowedTenants.length > 0) {
    const tid = str(claims['tid']);
    if (tid === null || !c.allowedTenants.map((t) => t.toLowerCase()).includes(tid.toLowerCase())) return refuse('tenant', `tid one of ${c.allowedTenants.join(', ')} (403)`, show(claims['tid']), DOC, 'WEBSITE_AUTH_AAD_ALLOWED_TENANTS');
  }
  return ACCEPT;
}

/**
 * The Issuer URL is "used ... to download the appropriate metadata to determine the appropriate token
 * signing keys and token issuer claim value"; "any configuration other than a tenant-specific endpoint
 * will be treated as multi-tenant", where "no validation of the issuer or tenant ID is performed"
 * [DOC EA-AAD]. Whether a v2.0 Issuer URL also admits v1.0 tokens (and the reverse) is not documented
 * [ANEC rakhesh.com: the portal writes https://sts.windows.net/<tenant>/v2.0]: `unknown`.
 */
function issuerJudgement(c: EasyAuthConfig, claims: Record<string, unknown>): Judgement | null {
  const setting = `${P}.registration.openIdIssuer`;
  if (c.openIdIssuer === null) return undecided('iss', 'an openIdIssuer', 'none configured', DOC, setting);
  let url: URL;
  try {
    url = new URL(c.openIdIssuer);
  } catch {
    return undecided('iss', 'an openIdIssuer URL', show(c.openIdIssuer), DOC, setting);
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const configured = (segments[0] ?? '').toLowerCase();
  if (configured === '' || MULTI_TENANT.has(configured)) return null;
  const guid = tenantAsGuid(configured, c.settingsTenant, c.tenantGuid);
  if (guid === null) return undecided('iss', `an issuer of ${configured} (its GUID is not known here)`, show(claims['iss']), DOC, setting);
  const tokenTenant = issuerTenant(claims['iss']);
  if (tokenTenant !== guid) return refuse('iss', `an issuer of tenant ${guid}`, show(claims['iss']), DOC, setting);
  const v2Config = segments[1] === 'v2.0';
  const origin = url.hostname === 'sts.windows.net' ? 'https://login.microsoftonline.com' : url.origin;
  const v1Base = v1IssuerBase(origin);
  const expected = v2Config ? `${origin}/${guid}/v2.0` : v1Base !== null ? `${v1Base}/${guid}/` : null;
  if (expected !== null && claims['iss'] === expected) return null;
  const ver = versionOf(claims);
  if ((v2Config && ver === '1.0') || (!v2Config && ver === '2.0')) {
    return undecided('iss', `${expected ?? 'the metadata issuer'} (a ${v2Config ? 'v1.0' : 'v2.0'} token against a ${v2Config ? 'v2.0' : 'v1.0'} Issuer URL is not documented)`, show(claims['iss']), `${DOC}; ANEC RAKHESH`, setting);
  }
  return refuse('iss', expected ?? 'the metadata issuer', show(claims['iss']), DOC, setting);
}

/**
 * "The configured Application (client) ID is always implicitly considered to be an allowed audience"
 * plus `allowedAudiences` [DOC EA-AAD; DOC ARM SiteAuthSettings.AllowedAudiences]. Compared exactly
 * (CyberDrain/CIPP #368: `api://<id>` allowed, bare-GUID v2 `aud` refused with 401) [ANEC]; whether
 * a trailing slash is significant is not documented: `unknown`.
 */
function audienceJudgement(c: EasyAuthConfig, claims: Record<string, unknown>): Judgement | null {
  const allowed = [...(c.clientId !== null ? [c.clientId] : []), ...c.allowedAudiences];
  const auds = audiencesOf(claims);
  if (auds.some((a) => allowed.includes(a))) return null;
  const setting = `${P}.validation.allowedAudiences`;
  const strip = (v: string): string => v.replace(/\/$/, '');
  if (auds.some((a) => allowed.some((v) => strip(a) === strip(v)))) {
    return undecided('aud', `${allowed.join(' or ')} (whether a trailing slash matters is not documented)`, show(claims['aud']), DOC, setting);
  }
  return refuse('aud', `${allowed.join(' or ')} (401)`, show(claims['aud']), `${DOC}; ANEC CIPP #368`, setting);
}

function widenEasyAuth(c: EasyAuthConfig, facts: TokenFacts): EasyAuthConfig {
  const base = [...(c.clientId !== null ? [c.clientId] : []), ...c.allowedAudiences];
  const widened = widenedAudiences(base, facts.claims);
  if (widened.length === base.length) return c;
  return { ...c, allowedAudiences: [...c.allowedAudiences, ...widened.slice(base.length)] };
}

export function renderEasyAuth(c: EasyAuthConfig): string {
  const policy: Record<string, unknown> = {};
  if (c.allowedApplications.length > 0) policy['allowedApplications'] = c.allowedApplications;
  if (c.identities.length > 0) policy['allowedPrincipals'] = { identities: c.identities };
  const validation: Record<string, unknown> = { allowedAudiences: c.allowedAudiences };
  if (Object.keys(policy).length > 0) validation['defaultAuthorizationPolicy'] = policy;
  if (c.jwtAllowedClientApplications.length > 0 || c.jwtAllowedGroups.length > 0) {
    validation['jwtClaimChecks'] = { allowedClientApplications: c.jwtAllowedClientApplications, allowedGroups: c.jwtAllowedGroups };
  }
  const body = {
    properties: {
      identityProviders: {
        azureActiveDirectory: {
          enabled: c.enabled,
          registration: { clientId: c.clientId, openIdIssuer: c.openIdIssuer },
          validation,
        },
      },
    },
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

export const easyAuthProfile: ProfileSpec<EasyAuthConfig> = {
  id: 'easy-auth',
  name: 'App Service authentication (Easy Auth)',
  fromSettings: easyAuthFromSettings,
  judge: judgeEasyAuth,
  widen: widenEasyAuth,
  render: renderEasyAuth,
};
