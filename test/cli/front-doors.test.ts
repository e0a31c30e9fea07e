import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { type DevAuthority, DEMO_API_CLIENT_ID, DEMO_API_URI, DEMO_CONNECTOR_CLIENT_ID, startAuthority } from '../../src/dev/authority.js';
import type { Report } from '../../src/report/report.js';
import { expectSchemaValid } from '../helpers/schema.js';
import { runCli } from '../helpers/spawn-host.js';

/** `token-echo inspect --validators` and `--config <file>`, run as a user runs them: the built command in a child process. */
let authority: DevAuthority;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  authority = await startAuthority();
  env = {
    TOKEN_ECHO_TENANT_ID: authority.tenant.id,
    TOKEN_ECHO_AUTHORITY: authority.url,
    TOKEN_ECHO_AUDIENCES: `${DEMO_API_URI},${DEMO_API_CLIENT_ID}`,
    TOKEN_ECHO_SCOPES: 'access_as_user',
    TOKEN_ECHO_CLIENT_IDS: DEMO_CONNECTOR_CLIENT_ID,
  };
  dir = mkdtempSync(path.join(tmpdir(), 'token-echo-config-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await authority.stop();
});

function file(name: string, text: string): string {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
}

/** The app registration Easy Auth signs users in with, other than the API's (as in CIPP #368). */
const EASY_AUTH_APP = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';

/** `az webapp auth show` output, cut to what Easy Auth validates with (the REST reference's SiteAuthSettingsV2 shape). */
function authSettings(allowedAudiences: string[]): string {
  return JSON.stringify(
    {
      name: 'authsettingsV2',
      type: 'Microsoft.Web/sites/config',
      properties: {
        globalValidation: { requireAuthentication: true, unauthenticatedClientAction: 'Return401' },
        identityProviders: {
          azureActiveDirectory: {
            enabled: true,
            registration: { clientId: EASY_AUTH_APP, openIdIssuer: `${authority.url}/${authority.tenant.id}/v2.0` },
            validation: { allowedAudiences, defaultAuthorizationPolicy: { allowedApplications: [DEMO_CONNECTOR_CLIENT_ID] } },
          },
        },
      },
    },
    null,
    2,
  );
}

const tokenParts = (token: string): string[] => [token, ...token.split('.').filter((p) => p.length > 20)];

describe('token-echo inspect --validators', () => {
  test('prints each front door\'s verdict, its first refusal and the configuration that accepts the token; never the token', async () => {
    // A v1 aud with a trailing slash: Microsoft.Identity.Web ignores it; jose compares exactly.
    const token = await authority.mint({ version: '1.0', aud: `${DEMO_API_URI}/` });
    const result = await runCli(['inspect', '-', '--validators'], env, token);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^VALID {2}Valid: .*Front doors disagree: Microsoft\.Identity\.Web/);
    expect(result.stdout).toContain('Front doors (would each validator accept this token?');
    expect(result.stdout).toMatch(/Microsoft\.Identity\.Web +accepts\n/);
    expect(result.stdout).toMatch(/jose jwtVerify \+ createRemoteJWKSet +REFUSES\n +aud: expected .*; found "api:\/\/.*\/"\n +change: audience +source: /);
    // The fix, pasteable: jose's audience list with the token's own form added.
    expect(result.stdout).toContain(`audience: ["${DEMO_API_URI}","${DEMO_API_CLIENT_ID}","${DEMO_API_URI}/"]`);
    for (const part of tokenParts(token)) expect(result.stdout + result.stderr).not.toContain(part);
  });

  test('--json carries the section, schema-valid, with or without --validators', async () => {
    const result = await runCli(['inspect', '-', '--json'], env, await authority.mint());
    const report = JSON.parse(result.stdout) as Report;
    expectSchemaValid(report);
    expect(report.validators).toHaveLength(8);
  });
});

describe('token-echo inspect --config <file>', () => {
  test('an authsettingsV2 that lists only api://<id> refuses a v2 token for the GUID, names the setting and gives the fixed list', async () => {
    const token = await authority.mint({ aud: DEMO_API_CLIENT_ID });
    const config = file('auth.json', authSettings([DEMO_API_URI]));
    const result = await runCli(['inspect', '-', '--config', config], env, token);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Your configuration \(.*auth\.json, authsettingsV2\): App Service authentication .* REFUSES this token\n {2}aud: /);
    expect(result.stdout).toContain('change: properties.identityProviders.azureActiveDirectory.validation.allowedAudiences');
    expect(result.stdout).toMatch(/the same configuration, changed to accept it:\n[\s\S]*"allowedAudiences": \[[\s\S]*"8d2b4f60-1a3c-4e5f-8b7a-9c0d1e2f3a4b"/);
    for (const part of tokenParts(token)) expect(result.stdout + result.stderr).not.toContain(part);

    const fixed = await runCli(['inspect', '-', '--config', file('auth-fixed.json', authSettings([DEMO_API_URI, DEMO_API_CLIENT_ID]))], env, token);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/authsettingsV2\): App Service authentication .* accepts this token/);
  });

  test('an appsettings.json and an APIM policy are judged as written; --json gives the report and the judgement', async () => {
    const token = await authority.mint({ aud: DEMO_API_CLIENT_ID });
    const appsettings = file(
      'appsettings.json',
      `{\n  // as dotnet new webapi writes it\n  "AzureAd": { "Instance": "${authority.url}/", "TenantId": "${authority.tenant.id}", "ClientId": "${DEMO_API_CLIENT_ID}", "Audience": "${DEMO_API_URI}" },\n}\n`,
    );
    const result = await runCli(['inspect', '-', '--config', appsettings, '--json'], env, token);
    const out = JSON.parse(result.stdout) as { report: Report; config: { kind: string; profile: string; verdict: string } };
    expectSchemaValid(out.report);
    expect(out.config).toMatchObject({ kind: 'appsettings', profile: 'microsoft-identity-web' });
    expect(result.code).toBe(out.config.verdict === 'accept' ? 0 : out.config.verdict === 'refuse' ? 1 : 2);

    const policy = file(
      'policy.xml',
      `<inbound><validate-azure-ad-token tenant-id="${authority.tenant.id}"><audiences><audience>api://someone-else</audience></audiences><client-application-ids><application-id>${DEMO_CONNECTOR_CLIENT_ID}</application-id></client-application-ids></validate-azure-ad-token></inbound>`,
    );
    const apim = await runCli(['inspect', '-', '--config', policy], env, token);
    expect(apim.code).toBe(1);
    expect(apim.stdout).toMatch(/policy\.xml, apim-policy\): .*validate-azure-ad-token.* REFUSES this token\n {2}aud: /);
  });

  test('a missing file, malformed JSON and malformed XML exit 64 naming what could not be read', async () => {
    const token = await authority.mint();
    const missing = await runCli(['inspect', '-', '--config', path.join(dir, 'nope.json')], env, token);
    expect(missing.code).toBe(64);
    expect(missing.stderr.split('\n')[0]).toMatch(/^token-echo: --config ".*nope\.json" could not be read: no such file$/);

    const json = await runCli(['inspect', '-', '--config', file('broken.json', '{ "properties": { "identityProviders": ')], env, token);
    expect(json.code).toBe(64);
    expect(json.stderr.split('\n')[0]).toMatch(/^token-echo: --config ".*broken\.json" could not be read: the JSON could not be read: .* at line 1, column \d+$/);

    const xml = await runCli(['inspect', '-', '--config', file('broken.xml', '<validate-jwt header-name="Authorization"><audiences>')], env, token);
    expect(xml.code).toBe(64);
    expect(xml.stderr.split('\n')[0]).toMatch(/^token-echo: --config ".*broken\.xml" \(read as apim-policy\) could not be read: /);
    for (const r of [missing, json, xml]) expect(r.stdout).toBe('');
  });
});
