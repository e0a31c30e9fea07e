import { describe, expect, it } from 'vitest';

import { MAX_CONFIG_BYTES } from '../../src/validators/config-input.js';
import { type ConfigInputResult, judgeConfigInput } from '../../src/validators/index.js';
import { API, CONNECTOR, OTHER_CLIENT, TENANT, V1_ISS, input, v1, v2 } from './claims.js';

const CIPP_APP = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';

/** `az webapp auth show` output: the authsettingsV2 ARM resource (shape of the REST reference, SiteAuthSettingsV2). */
function authSettings(aad: Record<string, unknown>): string {
  return JSON.stringify(
    {
      id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-connector/providers/Microsoft.Web/sites/func-orders/config/authsettingsV2',
      location: 'West Europe',
      name: 'authsettingsV2',
      properties: {
        clearInboundClaimsMapping: 'false',
        globalValidation: { redirectToProvider: 'azureactivedirectory', requireAuthentication: true, unauthenticatedClientAction: 'Return401' },
        httpSettings: { forwardProxy: { convention: 'NoProxy' }, requireHttps: true, routes: { apiPrefix: '/.auth' } },
        identityProviders: {
          apple: { enabled: true, login: {}, registration: {} },
          azureActiveDirectory: {
            enabled: true,
            isAutoProvisioned: false,
            login: { disableWWWAuthenticate: false },
            registration: { clientId: API, clientSecretSettingName: 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET', openIdIssuer: `https://sts.windows.net/${TENANT}/v2.0` },
            validation: { allowedAudiences: [`api://${API}`], defaultAuthorizationPolicy: { allowedApplications: [CONNECTOR], allowedPrincipals: {} }, jwtClaimChecks: {} },
            ...aad,
          },
        },
        login: { allowedExternalRedirectUrls: [], preserveUrlFragmentsForLogins: false, routes: {}, tokenStore: { enabled: true, tokenRefreshExtensionHours: 72.0 } },
        platform: { enabled: true, runtimeVersion: '~1' },
      },
      resourceGroup: 'rg-connector',
      type: 'Microsoft.Web/sites/config',
    },
    null,
    2,
  );
}

function ok(r: ConfigInputResult): Extract<ConfigInputResult, { ok: true }> {
  if (!r.ok) throw new Error(`expected a judgement, got: ${r.problems.join('; ')}`);
  return r;
}

function problems(r: ConfigInputResult): string[] {
  if (r.ok) throw new Error(`expected problems, got a ${r.result.verdict} verdict`);
  return r.problems;
}

describe('authsettingsV2 as az webapp auth show prints it', () => {
  it('judges the token against exactly that document', () => {
    const r = ok(judgeConfigInput(authSettings({}), input(v2())));
    expect(r.kind).toBe('authsettingsV2');
    expect(r.result).toMatchObject({ profile: 'easy-auth', verdict: 'accept' });
  });

  it('names the setting to change, and the snippet adds only the bare GUID the v2 token carries (CIPP #368)', () => {
    const doc = authSettings({
      registration: { clientId: CIPP_APP, openIdIssuer: `https://login.microsoftonline.com/${TENANT}/v2.0` },
      validation: { allowedAudiences: [`api://${API}`] },
    });
    const r = ok(judgeConfigInput(doc, input(v2())));
    expect(r.result.verdict).toBe('refuse');
    expect(r.result.firstRefusal).toMatchObject({ rule: 'aud', setting: 'properties.identityProviders.azureActiveDirectory.validation.allowedAudiences', found: JSON.stringify(API) });
    const snippet = JSON.parse(r.result.snippet as string) as { properties: { identityProviders: { azureActiveDirectory: { validation: { allowedAudiences: string[] } } } } };
    expect(snippet.properties.identityProviders.azureActiveDirectory.validation.allowedAudiences).toEqual([`api://${API}`, API]);
  });

  it('applies defaultAuthorizationPolicy.allowedApplications', () => {
    const r = ok(judgeConfigInput(authSettings({}), input(v2({ azp: OTHER_CLIENT }))));
    expect(r.result.firstRefusal).toMatchObject({ rule: 'client', setting: 'properties.identityProviders.azureActiveDirectory.validation.defaultAuthorizationPolicy.allowedApplications' });
    expect(r.result.snippet).toBeNull();
  });

  it('reads the bare properties object too', () => {
    const props = (JSON.parse(authSettings({})) as { properties: unknown }).properties;
    expect(ok(judgeConfigInput(JSON.stringify(props), input(v2()), 'authsettingsV2')).result.verdict).toBe('accept');
  });

  it('malformed variants get a message naming what could not be read', () => {
    expect(problems(judgeConfigInput('{"properties": {"identityProviders": ', input(v2())))[0]).toMatch(/^the JSON could not be read: .* at line 1, column \d+$/);
    expect(problems(judgeConfigInput('[1, 2]', input(v2())))).toEqual(['the configuration is not a JSON object']);
    expect(problems(judgeConfigInput('{"properties": {"identityProviders": {"google": {}}}}', input(v2())))[0]).toContain('properties.identityProviders.azureActiveDirectory was not found');
    expect(problems(judgeConfigInput(authSettings({ validation: { allowedAudiences: `api://${API}` } }), input(v2())))).toEqual([
      'properties.identityProviders.azureActiveDirectory.validation.allowedAudiences should be an array of strings',
    ]);
    expect(problems(judgeConfigInput(authSettings({ registration: { openIdIssuer: `https://login.microsoftonline.com/${TENANT}/v2.0` } }), input(v2())))).toEqual([
      'properties.identityProviders.azureActiveDirectory.registration.clientId is missing',
    ]);
  });
});

const POLICY = `<policies>
    <inbound>
        <base />
        <validate-azure-ad-token tenant-id="${TENANT}" failed-validation-httpcode="401">
            <client-application-ids>
                <application-id>${CONNECTOR}</application-id>
            </client-application-ids>
            <audiences>
                <audience>api://${API}</audience>
            </audiences>
            <required-claims>
                <claim name="scp" match="any" separator=" ">
                    <value>access_as_user</value>
                </claim>
            </required-claims>
        </validate-azure-ad-token>
    </inbound>
    <backend><base /></backend>
</policies>`;

describe('an API Management policy', () => {
  it('judges validate-azure-ad-token as written (the separator kept) and names the element to change', () => {
    expect(ok(judgeConfigInput(POLICY, input(v1({ scp: 'User.Read access_as_user' })))).result.verdict).toBe('accept');
    const r = ok(judgeConfigInput(POLICY, input(v2())));
    expect(r.kind).toBe('apim-policy');
    expect(r.result.firstRefusal).toMatchObject({ rule: 'aud', setting: 'audiences/audience' });
    expect(r.result.snippet).toContain(`<audience>${API}</audience>`);
    expect(ok(judgeConfigInput(POLICY, input(v1({ appid: OTHER_CLIENT })))).result.firstRefusal?.setting).toBe('client-application-ids/application-id');
  });

  it('judges validate-jwt with a v1 openid-config: a v2 token is refused on the issuer list', () => {
    const policy = `<validate-jwt header-name="Authorization" clock-skew="120">
  <openid-config url="https://login.microsoftonline.com/${TENANT}/.well-known/openid-configuration" />
  <audiences><audience>${API}</audience></audiences>
</validate-jwt>`;
    const r = ok(judgeConfigInput(policy, input(v2())));
    expect(r.result).toMatchObject({ profile: 'apim-validate-jwt', verdict: 'refuse', firstRefusal: { rule: 'iss', setting: 'issuers/issuer' } });
    expect(ok(judgeConfigInput(policy, input(v1({ aud: API, iss: V1_ISS })))).result.verdict).toBe('accept');
  });

  it('malformed variants get a message naming what could not be read', () => {
    expect(problems(judgeConfigInput('<validate-azure-ad-token tenant-id="x"><audiences></validate-azure-ad-token>', input(v2())))[0]).toMatch(/^the policy XML could not be read: .*\(line 1, column \d+\)$/);
    expect(problems(judgeConfigInput('<policies><inbound><base /></inbound></policies>', input(v2())))).toEqual(['neither a <validate-azure-ad-token> nor a <validate-jwt> element was found in the policy']);
    expect(problems(judgeConfigInput(POLICY.replace(`tenant-id="${TENANT}"`, 'tenant-id="{{aad-tenant-id}}"'), input(v2())))).toEqual([
      'validate-azure-ad-token/@tenant-id is "{{aad-tenant-id}}", a named value or policy expression APIM resolves at run time: paste the resolved value',
    ]);
    expect(problems(judgeConfigInput(POLICY.replace(/<client-application-ids>[\s\S]*<\/client-application-ids>/, ''), input(v2())))).toEqual([
      'client-application-ids/application-id: at least one is required by validate-azure-ad-token',
    ]);
    expect(problems(judgeConfigInput(POLICY.replace(`<audience>api://${API}</audience>`, ''), input(v2())))).toEqual(['audiences: at least one audience must be specified']);
    expect(problems(judgeConfigInput(POLICY.replace('match="any"', 'match="some"'), input(v2())))).toEqual(['required-claims/claim[1]/@match should be all or any, not "some"']);
  });
});

const APPSETTINGS = `{
  // Written by the ASP.NET Core web API template
  "Logging": { "LogLevel": { "Default": "Information" } },
  "AzureAd": {
    "Instance": "https://login.microsoftonline.com/",
    "TenantId": "${TENANT}",
    "ClientId": "${API}", /* the API's app registration */
    "Audience": "api://${API}/",
  },
  "AllowedHosts": "*",
}`;

describe('an appsettings.json (JSON with comments)', () => {
  it('judges Microsoft.Identity.Web with that AzureAd section (its trailing-slash tolerance included)', () => {
    const r = ok(judgeConfigInput(APPSETTINGS, input(v1())));
    expect(r).toMatchObject({ kind: 'appsettings', result: { profile: 'microsoft-identity-web', verdict: 'accept' } });
    const v2Token = ok(judgeConfigInput(APPSETTINGS, input(v2())));
    expect(v2Token.result.firstRefusal).toMatchObject({ rule: 'aud', setting: 'AzureAd:Audience' });
    expect(v2Token.result.snippet).toContain(`ValidAudiences = new[] { "api://${API}/", "${API}" }`);
  });

  it('reads keys case-insensitively, as .NET configuration does, and defaults TenantId to common', () => {
    const r = ok(judgeConfigInput(`{"azuread": {"clientid": "${API}"}}`, input(v2({ tid: TENANT }))));
    expect(r.result.verdict).toBe('accept');
  });

  it('malformed variants get a message naming what could not be read', () => {
    expect(problems(judgeConfigInput('{"AzureAd": {"ClientId": }', input(v2())))[0]).toMatch(/^the JSON could not be read: ValueExpected at line 1, column \d+$/);
    expect(problems(judgeConfigInput('{"AzureAd": {"TenantId": "x"}}', input(v2()), 'appsettings'))).toEqual(['AzureAd:ClientId is missing']);
    expect(problems(judgeConfigInput('{"Logging": {}}', input(v2()), 'appsettings'))).toEqual(['the AzureAd section was not found (or is not an object)']);
    expect(problems(judgeConfigInput(`{"AzureAd": {"ClientId": "${API}", "Instance": "login.microsoftonline.com"}}`, input(v2())))[0]).toContain('AzureAd:Instance should be an absolute URL');
    expect(problems(judgeConfigInput(`{"AzureAd": {"ClientId": 42}}`, input(v2())))).toEqual(['AzureAd:ClientId should be a string, not number']);
  });
});

describe('any configuration input', () => {
  it('is bounded in bytes and never empty', () => {
    expect(problems(judgeConfigInput('   ', input(v2())))).toEqual(['the configuration is empty']);
    expect(problems(judgeConfigInput(`{"pad": "${'x'.repeat(MAX_CONFIG_BYTES)}"}`, input(v2())))[0]).toMatch(/at most 262144 are read$/);
  });
});
