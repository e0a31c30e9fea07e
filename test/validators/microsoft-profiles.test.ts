import { describe, expect, it } from 'vitest';

import { type ApimAzureAdConfig, judgeApimAzureAd } from '../../src/validators/apim-azure-ad-token.js';
import { type ApimJwtConfig, judgeApimJwt } from '../../src/validators/apim-validate-jwt.js';
import { type EasyAuthConfig, easyAuthProfile, judgeEasyAuth } from '../../src/validators/easy-auth.js';
import { type IdentityWebConfig, judgeIdentityWeb } from '../../src/validators/identity-web.js';
import { type ProfileId, disagreementLine, judgeFrontDoors } from '../../src/validators/index.js';
import { judgeWith } from '../../src/validators/profile.js';
import { factsOf } from '../../src/validators/token.js';
import { API, CONNECTOR, OID, OTHER_CLIENT, OTHER_TENANT, TENANT, V1_ISS, V2_ISS, input, secondsAgo, secondsAhead, settingsWith, v1, v2 } from './claims.js';

/**
 * Microsoft.Identity.Web, Easy Auth and the two APIM policies cannot run here: each rule they are
 * modelled with is cited (docs/front-doors.md) and has a test below, named after its source.
 */
const one = (id: ProfileId, i = input(v2())) => judgeFrontDoors(i, [id])[0] as ReturnType<typeof judgeFrontDoors>[number];
const facts = (claims: Record<string, unknown>, extra = {}) => factsOf(input(claims, settingsWith(), extra));

const miw = (o: Partial<IdentityWebConfig> = {}): IdentityWebConfig => ({
  instance: 'https://login.microsoftonline.com',
  tenantId: TENANT,
  clientId: API,
  audience: null,
  validAudiences: null,
  allowAcl: false,
  intent: null,
  settingsTenant: TENANT,
  tenantGuid: null,
  ...o,
});

describe('Microsoft.Identity.Web', () => {
  it('default audience (AzureAd:Audience unset): ver 2.0 → ClientId, ver 1.0 → api://ClientId [CODE MIW RegisterValidAudience.cs]', () => {
    expect(judgeIdentityWeb(miw(), facts(v2())).verdict).toBe('accept');
    expect(judgeIdentityWeb(miw(), facts(v1())).verdict).toBe('accept');
  });

  it('default audience differs between MIW code paths → unknown, naming AzureAd:Audience [CODE MIW ConfigureAudienceValidationFromApplicationOptions]', () => {
    const r = judgeIdentityWeb(miw(), facts(v1({ aud: API })));
    expect(r.verdict).toBe('unknown');
    expect(r.firstRefusal?.setting).toBe('AzureAd:Audience');
    expect(judgeIdentityWeb(miw(), facts(v2({ aud: `api://${API}` }))).verdict).toBe('unknown');
    expect(judgeIdentityWeb(miw(), facts(v2({ aud: 'https://graph.microsoft.com' }))).verdict).toBe('refuse');
  });

  it('a trailing slash on aud is not significant (IgnoreTrailingSlashWhenValidatingAudience = true) [CODE IMX TokenValidationParameters]', () => {
    expect(judgeIdentityWeb(miw({ audience: `api://${API}` }), facts(v1({ aud: `api://${API}/` }))).verdict).toBe('accept');
    expect(judgeIdentityWeb(miw({ audience: `api://${API}/` }), facts(v1({ aud: `api://${API}` }))).verdict).toBe('accept');
    expect(judgeIdentityWeb(miw({ audience: `api://${API}` }), facts(v1({ aud: `API://${API}` }))).verdict).toBe('refuse');
  });

  it('lifetime with the 300 s default skew, exp required [CODE IMX Validators.ValidateLifetime, IDX10223/10225]', () => {
    expect(judgeIdentityWeb(miw(), facts(v2({ exp: secondsAgo(240) }))).verdict).toBe('accept');
    expect(judgeIdentityWeb(miw(), facts(v2({ exp: secondsAgo(360) }))).firstRefusal?.rule).toBe('exp');
    expect(judgeIdentityWeb(miw(), facts(v2({ exp: undefined }))).firstRefusal?.rule).toBe('exp');
    expect(judgeIdentityWeb(miw(), facts(v2({ nbf: secondsAhead(400) }))).firstRefusal?.rule).toBe('nbf');
  });

  it('issuer: v1 and v2 issuers of the tenant; another tenant refused; common accepts any tenant [CODE IMX AadIssuerValidator]', () => {
    expect(judgeIdentityWeb(miw(), facts(v1({ iss: V1_ISS }))).verdict).toBe('accept');
    const other = v2({ iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`, tid: OTHER_TENANT });
    expect(judgeIdentityWeb(miw(), facts(other)).firstRefusal).toMatchObject({ rule: 'iss', setting: 'AzureAd:TenantId' });
    expect(judgeIdentityWeb(miw({ tenantId: 'common' }), facts(other)).verdict).toBe('accept');
    expect(judgeIdentityWeb(miw({ tenantId: 'organizations' }), facts(v2({ iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`, tid: TENANT }))).verdict).toBe('refuse');
  });

  it('neither scp nor roles → IDW10201, unless AllowWebApiToBeAuthorizedByACL [CODE MIW ChainOnTokenValidatedEventForClaimsValidation]', () => {
    const idToken = v2({ scp: undefined, azp: undefined, nonce: 'n' });
    expect(judgeIdentityWeb(miw(), facts(idToken)).firstRefusal).toMatchObject({ rule: 'scope-or-roles', setting: 'AzureAd:AllowWebApiToBeAuthorizedByACL' });
    expect(judgeIdentityWeb(miw({ allowAcl: true }), facts(idToken)).verdict).toBe('accept');
  });

  it('signature first: not verified → refuse, not checked → unknown [CODE IMX JsonWebTokenHandler]', () => {
    expect(judgeIdentityWeb(miw(), facts(v2({ exp: secondsAgo(9999) }), { signatureVerified: false })).firstRefusal?.rule).toBe('signature');
    expect(judgeIdentityWeb(miw(), facts(v2(), { signatureVerified: null })).verdict).toBe('unknown');
  });

  it('from the settings: explicit ValidAudiences in code, the settings\' scopes and clients as RequiredScopeOrAppPermission and a policy', () => {
    const r = one('microsoft-identity-web');
    expect(r.verdict).toBe('accept');
    expect(r.snippetForSettings).toContain(`"ClientId": "${API}"`);
    expect(r.snippetForSettings).toContain(`ValidAudiences = new[] { "api://${API}", "${API}" }`);
    expect(r.snippetForSettings).toContain('RequiredScopeOrAppPermission(new[] { "access_as_user" }');
    expect(one('microsoft-identity-web', input(v2({ scp: 'User.Read' }))).firstRefusal?.rule).toBe('scope');
    expect(one('microsoft-identity-web', input(v2({ azp: OTHER_CLIENT }))).firstRefusal?.rule).toBe('client');
  });

  it('the settings need the API client ID; without it the verdict is unknown and names TOKEN_ECHO_AUDIENCES', () => {
    const r = one('microsoft-identity-web', input(v2(), settingsWith({ TOKEN_ECHO_AUDIENCES: 'https://contoso.example/api' })));
    expect(r).toMatchObject({ verdict: 'unknown', snippet: null, snippetForSettings: null });
    expect(r.firstRefusal).toMatchObject({ rule: 'config', setting: 'TOKEN_ECHO_AUDIENCES' });
  });
});

const easy = (o: Partial<EasyAuthConfig> = {}): EasyAuthConfig => ({
  enabled: true,
  openIdIssuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
  clientId: API,
  allowedAudiences: [],
  allowedApplications: [],
  identities: [],
  jwtAllowedClientApplications: [],
  jwtAllowedGroups: [],
  allowedTenants: [],
  settingsTenant: TENANT,
  tenantGuid: null,
  ...o,
});

describe('App Service authentication (Easy Auth)', () => {
  it('the client ID is always an allowed audience [DOC EA-AAD "Allowed Token Audiences"]', () => {
    expect(judgeEasyAuth(easy(), facts(v2())).verdict).toBe('accept');
  });

  it('allowedAudiences holding only api://<id> refuses the v2 token whose aud is the bare GUID, and the snippet adds the GUID [ANEC CyberDrain/CIPP#368]', () => {
    const clientApp = OTHER_CLIENT;
    const config = easy({ allowedAudiences: [`api://${clientApp}`] });
    const token = v2({ aud: clientApp });
    expect(judgeEasyAuth(config, factsOf(input(token))).firstRefusal).toMatchObject({ rule: 'aud', setting: 'properties.identityProviders.azureActiveDirectory.validation.allowedAudiences' });
    // The Easy Auth app's own registration is another app (CIPP's); the widened snippet adds the bare GUID.
    const r = judgeWith(easyAuthProfile, easy({ clientId: API, allowedAudiences: [`api://${clientApp}`] }), factsOf(input(token)));
    expect(r.verdict).toBe('refuse');
    expect(r.snippet).toContain(`"allowedAudiences": [\n            "api://${clientApp}",\n            "${clientApp}"\n          ]`);
  });

  it('a trailing-slash-only difference is not documented → unknown [DOC EA-AAD]', () => {
    expect(judgeEasyAuth(easy({ allowedAudiences: [`api://${API}`] }), facts(v1({ aud: `api://${API}/` }))).verdict).toBe('unknown');
  });

  it('issuer: tenant-specific Issuer URL refuses another tenant; a multi-tenant one checks no issuer [DOC EA-AAD "Issuer URL"]', () => {
    const other = v2({ iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`, tid: OTHER_TENANT });
    expect(judgeEasyAuth(easy(), facts(other)).firstRefusal).toMatchObject({ rule: 'iss', setting: 'properties.identityProviders.azureActiveDirectory.registration.openIdIssuer' });
    expect(judgeEasyAuth(easy({ openIdIssuer: 'https://login.microsoftonline.com/common/v2.0' }), facts(other)).verdict).toBe('accept');
  });

  it('a v1 token against a v2.0 Issuer URL (and the reverse) is not documented → unknown [ANEC]', () => {
    expect(judgeEasyAuth(easy(), facts(v1())).verdict).toBe('unknown');
    const v1Issuer = easy({ openIdIssuer: `https://sts.windows.net/${TENANT}/`, allowedAudiences: [`api://${API}`] });
    expect(judgeEasyAuth(v1Issuer, facts(v1())).verdict).toBe('accept');
    expect(judgeEasyAuth(v1Issuer, facts(v2())).verdict).toBe('unknown');
    // The portal's own default form, https://sts.windows.net/<tenant>/v2.0, is a v2.0 Issuer URL [ANEC].
    expect(judgeEasyAuth(easy({ openIdIssuer: `https://sts.windows.net/${TENANT}/v2.0` }), facts(v2())).verdict).toBe('accept');
  });

  it('allowedApplications reads appid/azp; identities reads oid; WEBSITE_AUTH_AAD_ALLOWED_TENANTS reads tid (403) [DOC EA-AAD "built-in authorization policy"]', () => {
    expect(judgeEasyAuth(easy({ allowedApplications: [CONNECTOR] }), facts(v2())).verdict).toBe('accept');
    expect(judgeEasyAuth(easy({ allowedApplications: [CONNECTOR] }), facts(v2({ azp: OTHER_CLIENT }))).firstRefusal?.rule).toBe('client');
    expect(judgeEasyAuth(easy({ identities: [OID] }), facts(v2())).verdict).toBe('accept');
    expect(judgeEasyAuth(easy({ identities: [OTHER_CLIENT] }), facts(v2())).firstRefusal?.rule).toBe('principal');
    expect(judgeEasyAuth(easy({ allowedTenants: [OTHER_TENANT] }), facts(v2())).firstRefusal).toMatchObject({ rule: 'tenant', setting: 'WEBSITE_AUTH_AAD_ALLOWED_TENANTS' });
  });

  it('the clock skew is not documented: expired 2 min → unknown, 10 min → refuse', () => {
    expect(judgeEasyAuth(easy(), facts(v2({ exp: secondsAgo(120) }))).verdict).toBe('unknown');
    expect(judgeEasyAuth(easy(), facts(v2({ exp: secondsAgo(600) }))).verdict).toBe('refuse');
  });

  it('roles and scopes are not checked by Easy Auth [DOC EA-AAD "this isn\'t performed by App Service authentication"]', () => {
    expect(one('easy-auth', input(v2({ scp: 'User.Read' }))).verdict).toBe('accept');
  });

  it('a disabled provider decides nothing', () => {
    expect(judgeEasyAuth(easy({ enabled: false }), facts(v2())).verdict).toBe('unknown');
  });
});

const aad = (o: Partial<ApimAzureAdConfig> = {}): ApimAzureAdConfig => ({
  tenantId: TENANT,
  audiences: [API, `api://${API}`],
  clientApplicationIds: [CONNECTOR],
  backendApplicationIds: [],
  requiredClaims: [],
  authority: 'https://login.microsoftonline.com',
  settingsTenant: TENANT,
  tenantGuid: null,
  ...o,
});

describe('API Management validate-azure-ad-token', () => {
  it('the token must come from tenant-id [DOC APIM-AAD]; both issuer versions of it pass [INF]', () => {
    expect(judgeApimAzureAd(aad(), facts(v2())).verdict).toBe('accept');
    expect(judgeApimAzureAd(aad(), facts(v1())).verdict).toBe('accept');
    expect(judgeApimAzureAd(aad(), facts(v2({ iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`, tid: OTHER_TENANT }))).firstRefusal).toMatchObject({ rule: 'tenant', setting: '@tenant-id' });
  });

  it('audiences: exact, any of; no <audiences> → unknown (default not documented) [DOC APIM-AAD]', () => {
    expect(judgeApimAzureAd(aad({ audiences: [`api://${API}`] }), facts(v2())).firstRefusal).toMatchObject({ rule: 'aud', setting: 'audiences/audience' });
    expect(judgeApimAzureAd(aad({ audiences: null }), facts(v2())).verdict).toBe('unknown');
  });

  it('client-application-ids: azp/appid must be listed [DOC APIM-AAD; INF claim]', () => {
    expect(judgeApimAzureAd(aad(), facts(v1({ appid: OTHER_CLIENT }))).firstRefusal).toMatchObject({ rule: 'client', setting: 'client-application-ids/application-id' });
  });

  it('required-claims: match all (default) or any, with a separator [DOC APIM-AAD "claim attributes"]', () => {
    const any = aad({ requiredClaims: [{ name: 'scp', match: 'any', separator: ' ', values: ['access_as_user', 'Other'] }] });
    expect(judgeApimAzureAd(any, facts(v2({ scp: 'User.Read access_as_user' }))).verdict).toBe('accept');
    const all = aad({ requiredClaims: [{ name: 'scp', match: 'all', separator: ' ', values: ['access_as_user', 'Other'] }] });
    expect(judgeApimAzureAd(all, facts(v2({ scp: 'User.Read access_as_user' }))).firstRefusal?.rule).toBe('required-claim');
    const roles = aad({ requiredClaims: [{ name: 'roles', match: 'any', separator: null, values: ['Data.Read'] }] });
    expect(judgeApimAzureAd(roles, facts(v2({ roles: ['Data.Read'] }))).verdict).toBe('accept');
    expect(judgeApimAzureAd(roles, facts(v2())).firstRefusal?.found).toBe('(absent)');
  });

  it('from the settings: scp as a required claim only when app-only tokens are refused anyway; no client IDs → unknown naming TOKEN_ECHO_CLIENT_IDS', () => {
    expect(one('apim-validate-azure-ad-token').snippetForSettings).toContain('<claim name="scp" match="any" separator=" ">');
    expect(one('apim-validate-azure-ad-token', input(v2(), settingsWith({ TOKEN_ECHO_ROLES: 'Data.Read' }))).snippetForSettings).not.toContain('required-claims');
    expect(one('apim-validate-azure-ad-token', input(v2(), settingsWith({ TOKEN_ECHO_CLIENT_IDS: '' }))).firstRefusal?.setting).toBe('TOKEN_ECHO_CLIENT_IDS');
  });
});

const jwt = (o: Partial<ApimJwtConfig> = {}): ApimJwtConfig => ({
  openidConfigUrls: [`https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration`],
  issuers: [],
  audiences: [API],
  clockSkew: 0,
  requireExpirationTime: true,
  requiredClaims: [],
  settingsTenant: TENANT,
  tenantGuid: null,
  ...o,
});

describe('API Management validate-jwt', () => {
  it('v1 openid-config yields only the v1 issuer: a v2 token is refused ("IDX10205") [ANEC azure-docs#12552; DOC APIM-JWT openid-config]', () => {
    const v1Config = jwt({ openidConfigUrls: [`https://login.microsoftonline.com/${TENANT}/.well-known/openid-configuration`] });
    expect(judgeApimJwt(v1Config, facts(v2())).firstRefusal).toMatchObject({ rule: 'iss', setting: 'issuers/issuer' });
    expect(judgeApimJwt(v1Config, facts(v1({ aud: API }))).verdict).toBe('accept');
    expect(judgeApimJwt(jwt({ issuers: [V1_ISS] }), facts(v1({ aud: API }))).verdict).toBe('accept');
    expect(judgeApimJwt(jwt(), facts(v1({ aud: API }))).verdict).toBe('refuse');
  });

  it('clock-skew defaults to 0 s; require-expiration-time defaults to true [DOC APIM-JWT attributes]', () => {
    expect(judgeApimJwt(jwt(), facts(v2({ exp: secondsAgo(10) }))).firstRefusal?.rule).toBe('exp');
    expect(judgeApimJwt(jwt({ clockSkew: 60 }), facts(v2({ exp: secondsAgo(10) }))).verdict).toBe('accept');
    expect(judgeApimJwt(jwt(), facts(v2({ exp: undefined }))).firstRefusal?.rule).toBe('exp');
    expect(judgeApimJwt(jwt({ requireExpirationTime: false }), facts(v2({ exp: undefined }))).verdict).toBe('accept');
  });

  it('a multi-tenant openid-config issuer is a template that is not judged here → unknown', () => {
    const org = jwt({ openidConfigUrls: ['https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration'] });
    expect(judgeApimJwt(org, facts(v2())).verdict).toBe('unknown');
    expect(judgeApimJwt(org, facts(v2({ iss: V2_ISS })))).toMatchObject({ verdict: 'unknown' });
    expect(judgeApimJwt(jwt({ ...org, issuers: [V2_ISS] }), facts(v2())).verdict).toBe('accept');
  });

  it('from the settings: v2 openid-config plus the v1 issuer, the settings\' clock skew', () => {
    const r = one('apim-validate-jwt', input(v1()));
    expect(r.verdict).toBe('accept');
    expect(r.snippetForSettings).toContain(`<issuer>${V1_ISS}</issuer>`);
    expect(r.snippetForSettings).toContain('clock-skew="300"');
  });
});

describe('disagreement between front doors', () => {
  it('a trailing slash: Microsoft.Identity.Web accepts, jose refuses, and the summary line says so', () => {
    const results = judgeFrontDoors(input(v1({ aud: `api://${API}/` })), ['microsoft-identity-web', 'jose']);
    expect(results.map((r) => r.verdict)).toEqual(['accept', 'refuse']);
    expect(disagreementLine(results)).toBe(`Microsoft.Identity.Web accepts; jose jwtVerify + createRemoteJWKSet would refuse: aud (expected api://${API} or ${API}, found "api://${API}/")`);
    expect(results[1]?.snippet).toContain(`audience: ["api://${API}","${API}","api://${API}/"]`);
    expect(disagreementLine(judgeFrontDoors(input(v2())))).toBeNull();
  });

  it('no profile ever suggests accepting anything: an expired or foreign token gets no snippet', () => {
    for (const claims of [v2({ exp: secondsAgo(7200) }), v2({ aud: 'https://graph.microsoft.com' }), v2({ iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`, tid: OTHER_TENANT })]) {
      for (const r of judgeFrontDoors(input(claims))) {
        expect(r.verdict, r.profile).not.toBe('accept');
        expect(r.snippet, r.profile).toBeNull();
      }
    }
  });
});

describe('more Easy Auth and APIM rules', () => {
  it('jwtClaimChecks.allowedClientApplications reads appid/azp; allowedGroups without a listed group is unknown (overage) [DOC ARM JwtClaimChecks; INF claims]', () => {
    expect(judgeEasyAuth(easy({ jwtAllowedClientApplications: [CONNECTOR] }), facts(v2())).verdict).toBe('accept');
    expect(judgeEasyAuth(easy({ jwtAllowedClientApplications: [OTHER_CLIENT] }), facts(v2())).firstRefusal).toMatchObject({ rule: 'client', setting: 'properties.identityProviders.azureActiveDirectory.validation.jwtClaimChecks.allowedClientApplications' });
    expect(judgeEasyAuth(easy({ jwtAllowedGroups: ['g1'] }), facts(v2({ groups: ['g1', 'g2'] }))).verdict).toBe('accept');
    expect(judgeEasyAuth(easy({ jwtAllowedGroups: ['g1'] }), facts(v2())).verdict).toBe('unknown');
  });

  it('an ID token whose aud is allowed passes Easy Auth, but not allowedApplications ("must be an access token") [DOC EA-AAD]', () => {
    const idToken = v2({ scp: undefined, azp: undefined, nonce: 'n' });
    expect(judgeEasyAuth(easy(), facts(idToken)).verdict).toBe('accept');
    expect(judgeEasyAuth(easy({ allowedApplications: [CONNECTOR] }), facts(idToken)).firstRefusal?.rule).toBe('client');
  });

  it('validate-azure-ad-token: skew not documented (2 min → unknown, 10 min → refuse); trailing slash → unknown', () => {
    expect(judgeApimAzureAd(aad(), facts(v2({ exp: secondsAgo(120) }))).verdict).toBe('unknown');
    expect(judgeApimAzureAd(aad(), facts(v2({ exp: secondsAgo(600) }))).verdict).toBe('refuse');
    expect(judgeApimAzureAd(aad({ audiences: [`api://${API}`] }), facts(v1({ aud: `api://${API}/` }))).verdict).toBe('unknown');
  });
});

describe('the snippets token-echo prints, pasted back as the maker\'s own configuration', () => {
  it('Easy Auth and both APIM snippets are read back and accept the token they were written for', async () => {
    const { judgeConfigInput } = await import('../../src/validators/index.js');
    const tokens = [v2(), v1(), v1({ aud: API }), v2({ aud: `api://${API}` }), v2({ scp: 'User.Read access_as_user' })];
    let checked = 0;
    for (const claims of tokens) {
      for (const r of judgeFrontDoors(input(claims), ['easy-auth', 'apim-validate-azure-ad-token', 'apim-validate-jwt'])) {
        if (r.snippet === null) continue;
        const back = judgeConfigInput(r.snippet, input(claims));
        expect(back.ok && back.result.verdict, `${r.profile}: ${back.ok ? '' : back.problems.join('; ')}`).toBe('accept');
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(12);
  });
});
