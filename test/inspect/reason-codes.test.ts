import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { type Settings, loadConfig } from '../../src/config.js';
import { type DevAuthority, startAuthority } from '../../src/dev/authority.js';
import type { EntraKeyStore } from '../../src/entra/key-store.js';
import { REASON_CODES, REASONS, type ReasonCode } from '../../src/report/reasons.js';
import type { Report } from '../../src/report/report.js';
import { serializeReport } from '../../src/report/serialize.js';
import { DEMO_API_CLIENT_ID, DEMO_API_URI, DEMO_CONNECTOR_CLIENT_ID, call, check, codes, keyStoreFor, settingsFor } from '../helpers/world.js';
import { expectSchemaValid } from '../helpers/schema.js';

/**
 * One test per reason code, each against the local Entra stand-in over real HTTP: the code, the
 * check's expected/found, and the verdict. The last test checks that every code of the catalog
 * was produced here.
 */
let authority: DevAuthority;
let settings: Settings;
let keys: EntraKeyStore;
const produced = new Set<ReasonCode>();

beforeAll(async () => {
  authority = await startAuthority();
  settings = settingsFor(authority);
  keys = keyStoreFor(settings);
});
afterAll(() => authority.stop());

async function run(o: Parameters<typeof call>[2], s: Settings = settings, k: EntraKeyStore | null = keys): Promise<Report> {
  const report = await call(s, k, o);
  expectSchemaValid(report);
  // The answer's serializer writes exactly what JSON.stringify writes, for every kind of report.
  expect(serializeReport(report)).toBe(JSON.stringify(report));
  expect(serializeReport(report)).toBe(JSON.stringify(report));
  for (const r of report.reasons) produced.add(r.code);
  return report;
}

describe('a correct call', () => {
  test('a v2.0 on-behalf-of token is valid', async () => {
    const report = await run({ token: await authority.mint() });
    expect(report.verdict).toBe('valid');
    expect(report.reasons.filter((r) => r.severity !== 'info')).toEqual([]);
    expect(report.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
    expect(report.token?.version).toBe('2.0');
    expect(report.token?.kind).toBe('user');
    expect(report.token?.client).toBe(DEMO_CONNECTOR_CLIENT_ID);
    expect(report.summary).toMatch(/^Valid: v2\.0 user token/);
  });

  test('a v1.0 token with an api:// audience is valid against v1 metadata', async () => {
    const report = await run({ token: await authority.mint({ version: '1.0' }) });
    expect(report.verdict).toBe('valid');
    expect(check(report, 'issuer')).toMatchObject({ status: 'pass', expected: `https://sts.windows.net/${authority.tenant.id}/` });
    expect(report.token?.client).toBe(DEMO_CONNECTOR_CLIENT_ID);
  });

  test('a domain tenant is resolved through its metadata', async () => {
    const s = settingsFor(authority, { TOKEN_ECHO_TENANT_ID: authority.tenant.domain });
    const report = await run({ token: await authority.mint() }, s, keyStoreFor(s));
    expect(report.verdict).toBe('valid');
    expect(check(report, 'tenant')).toMatchObject({ status: 'pass', expected: authority.tenant.id });
  });
});

describe('one reason code each', () => {
  test('NO_TOKEN', async () => {
    const report = await run({});
    expect(codes(report)).toContain('NO_TOKEN');
    expect(check(report, 'format')).toMatchObject({ status: 'fail', found: 'no Authorization header' });
    expect(report.verdict).toBe('no_token');
    expect(report.token).toBeNull();
    const empty = await run({ authorization: 'Bearer   ' });
    expect(codes(empty)).toContain('NO_TOKEN');
    expect(check(empty, 'format').found).toBe('Bearer with nothing after it');
  });

  test('NOT_BEARER', async () => {
    const report = await run({ authorization: 'Basic dXNlcjpwYXNzd29yZA==' });
    expect(codes(report)[0]).toBe('NOT_BEARER');
    expect(check(report, 'format')).toMatchObject({ status: 'fail', expected: 'Authorization: Bearer <JWT> (RFC 6750)' });
    expect(check(report, 'format').found).toMatch(/^Basic \[redacted\]/);
    expect(report.verdict).toBe('invalid');
  });

  test('MALFORMED_TOKEN', async () => {
    const report = await run({ authorization: 'Bearer not-a-jwt' });
    expect(codes(report)[0]).toBe('MALFORMED_TOKEN');
    expect(check(report, 'format')).toMatchObject({ status: 'fail', found: 'a JWT has three parts separated by dots; this value has 1' });
    expect(report.verdict).toBe('invalid');
  });

  test('TOKEN_TOO_LARGE', async () => {
    const big = await authority.mint({ claims: { pad: 'x'.repeat(20 * 1024) } });
    const report = await run({ token: big });
    expect(codes(report)[0]).toBe('TOKEN_TOO_LARGE');
    expect(check(report, 'format')).toMatchObject({ status: 'fail', expected: 'at most 16384 bytes', found: `${big.length} bytes` });
    expect(report.token?.claims).toBeNull();
    expect(report.verdict).toBe('invalid');
  });

  test('ENCRYPTED_TOKEN', async () => {
    const { CompactEncrypt, generateSecret } = await import('jose');
    const jwe = await new CompactEncrypt(new TextEncoder().encode('{"aud":"x"}')).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(await generateSecret('A256GCM'));
    const report = await run({ token: jwe });
    expect(codes(report)[0]).toBe('ENCRYPTED_TOKEN');
    expect(check(report, 'format').found).toMatch(/five parts/);
    expect(report.token?.header).toEqual({ alg: 'dir', enc: 'A256GCM' });
    expect(report.verdict).toBe('invalid');
  });

  test('ALG_NOT_ALLOWED: alg none, refused before any key is used', async () => {
    const valid = await authority.mint();
    const [, payload] = valid.split('.');
    const header = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'none' })).toString('base64url');
    authority.resetCounts();
    const fresh = keyStoreFor(settings);
    const report = await run({ token: `${header}.${payload}.` }, settings, fresh);
    expect(codes(report)[0]).toBe('ALG_NOT_ALLOWED');
    expect(check(report, 'algorithm')).toMatchObject({ status: 'fail', expected: 'RS256', found: '"none"' });
    expect(check(report, 'signature').status).toBe('skip');
    expect(authority.requests.keys).toBe(0);
    expect(report.verdict).toBe('invalid');
  });

  test('APIHUB_TOKEN (with AUDIENCE_MISMATCH beside it)', async () => {
    const report = await run({ token: await authority.mint({ aud: 'https://apihub.azure.com', scp: 'user_impersonation' }) });
    expect(codes(report)[0]).toBe('APIHUB_TOKEN');
    expect(check(report, 'audience')).toMatchObject({ status: 'fail', expected: `${DEMO_API_URI} or ${DEMO_API_CLIENT_ID}`, found: 'https://apihub.azure.com' });
    expect(report.summary).toMatch(/first-hop token for the connector runtime/);
    expect(report.verdict).toBe('invalid');
    for (const aud of ['https://service.flow.microsoft.com/', 'https://management.core.windows.net/']) {
      expect(codes(await run({ token: await authority.mint({ aud }) }))).toContain('APIHUB_TOKEN');
    }
  });

  test('GRAPH_TOKEN, by audience and by header nonce', async () => {
    const report = await run({ token: await authority.mint({ aud: '00000003-0000-0000-c000-000000000000', scp: 'User.Read' }) });
    expect(codes(report)[0]).toBe('GRAPH_TOKEN');
    expect(check(report, 'audience')).toMatchObject({ status: 'fail', found: '00000003-0000-0000-c000-000000000000' });
    expect(report.verdict).toBe('invalid');
    const nonce = await run({ token: await authority.mint({ header: { nonce: 'abc123' } }) });
    expect(codes(nonce)).toContain('GRAPH_TOKEN');
    expect(nonce.verdict).toBe('invalid');
    expect(codes(await run({ token: await authority.mint({ aud: 'https://graph.microsoft.com/' }) }))[0]).toBe('GRAPH_TOKEN');
  });

  test('ID_TOKEN', async () => {
    const report = await run({ token: await authority.mintIdToken(DEMO_CONNECTOR_CLIENT_ID) });
    expect(codes(report)[0]).toBe('ID_TOKEN');
    expect(check(report, 'scope')).toMatchObject({ status: 'fail', found: 'no scp' });
    expect(report.verdict).toBe('invalid');
  });

  test('TENANT_MISMATCH: another tenant\'s token, signed with the keys Entra shares between tenants', async () => {
    const other = await authority.addTenant('fabrikam.onmicrosoft.com');
    const report = await run({ token: await authority.mint({ tenant: other.id }) });
    expect(codes(report)).toEqual(expect.arrayContaining(['TENANT_MISMATCH', 'ISSUER_MISMATCH']));
    expect(codes(report)).not.toContain('KEY_NOT_FOUND');
    expect(check(report, 'signature').status).toBe('pass');
    expect(codes(report)[0]).toBe('TENANT_MISMATCH');
    expect(check(report, 'tenant')).toMatchObject({ status: 'fail', expected: authority.tenant.id, found: other.id });
    expect(report.verdict).toBe('invalid');
  });

  test('TENANT_MISMATCH: tid disagrees with iss', async () => {
    const report = await run({ token: await authority.mint({ claims: { tid: '11111111-2222-3333-4444-555555555555' } }) });
    expect(codes(report)).toContain('TENANT_MISMATCH');
    expect(check(report, 'tenant')).toMatchObject({ status: 'fail', found: '11111111-2222-3333-4444-555555555555' });
  });

  test('ISSUER_MISMATCH: a v2 issuer with a trailing slash (compared exactly, IDX40001)', async () => {
    const iss = `${authority.url}/${authority.tenant.id}/v2.0/`;
    const report = await run({ token: await authority.mint({ claims: { iss } }) });
    expect(codes(report)[0]).toBe('ISSUER_MISMATCH');
    expect(check(report, 'issuer')).toMatchObject({ status: 'fail', expected: `${authority.url}/${authority.tenant.id}/v2.0`, found: iss });
    expect(report.reasons[0]?.message).toMatch(/trailing slash/);
    expect(report.verdict).toBe('invalid');
  });

  test('VERSION_MISMATCH: a v1 issuer on a token whose ver is 2.0 is validated with v1 metadata (AadIssuerValidator)', async () => {
    const report = await run({ token: await authority.mint({ version: '2.0', claims: { iss: `https://sts.windows.net/${authority.tenant.id}/` } }) });
    expect(codes(report)).toContain('VERSION_MISMATCH');
    expect(report.reasons.find((r) => r.code === 'VERSION_MISMATCH')?.severity).toBe('warning');
    expect(check(report, 'issuer')).toMatchObject({ status: 'pass', expected: `https://sts.windows.net/${authority.tenant.id}/` });
    expect(report.verdict).toBe('valid');
  });

  test('AUDIENCE_TRAILING_SLASH: accepted as IgnoreTrailingSlashWhenValidatingAudience does, with a warning', async () => {
    const report = await run({ token: await authority.mint({ version: '1.0', aud: `${DEMO_API_URI}/` }) });
    expect(report.verdict).toBe('valid');
    expect(codes(report)).toContain('AUDIENCE_TRAILING_SLASH');
    expect(report.reasons.find((r) => r.code === 'AUDIENCE_TRAILING_SLASH')?.message).toMatch(/jose, jsonwebtoken, API Management validate-jwt/);
    expect(check(report, 'audience')).toMatchObject({ status: 'pass', detail: 'matched ignoring one trailing slash, as Microsoft.IdentityModel does' });
  });

  test('NBF_AFTER_EXP: checked before expiry (IDX10224)', async () => {
    const report = await run({ token: await authority.mint({ issuedAt: -7200, notBefore: -1800, expiresIn: -3600 }) });
    expect(codes(report)[0]).toBe('NBF_AFTER_EXP');
    expect(codes(report)).not.toContain('EXPIRED');
    expect(check(report, 'lifetime')).toMatchObject({ status: 'fail', expected: 'nbf <= exp' });
    expect(report.reasons[0]?.message).toMatch(/IDX10224/);
  });

  test('KID_UNMATCHED: an unknown kid whose signature verifies with a tenant key (TryAllIssuerSigningKeys)', async () => {
    const report = await run({ token: await authority.mint({ header: { kid: 'rolled-away' } }) });
    expect(report.verdict).toBe('valid');
    expect(codes(report)).toContain('KID_UNMATCHED');
    expect(report.reasons.find((r) => r.code === 'KID_UNMATCHED')?.message).toContain(`key "${authority.tenant.keys[0]?.kid ?? ''}"`);
  });

  test('REPEATED_AUTHORIZATION: two Authorization headers joined by the host', async () => {
    const [a, b] = [await authority.mint(), await authority.mint()];
    const report = await run({ authorization: `Bearer ${a}, Bearer ${b}` });
    expect(codes(report)[0]).toBe('REPEATED_AUTHORIZATION');
    expect(codes(report)).not.toContain('ENCRYPTED_TOKEN');
    expect(check(report, 'format')).toMatchObject({ status: 'fail', found: '2 values joined by ", ": Bearer, Bearer' });
    expect(report.verdict).toBe('invalid');
  });

  test('REPEATED_QUERY_PARAMETER: ?strict=false&strict=true', async () => {
    const report = await run({ token: await authority.mint(), url: '/api/echo?strict=false&strict=true' });
    expect(codes(report)).toContain('REPEATED_QUERY_PARAMETER');
    expect(report.reasons.find((r) => r.code === 'REPEATED_QUERY_PARAMETER')?.message).toMatch(/"strict" \(\["false","true"\]\).*strict mode stays off/);
    expect(report.verdict).toBe('valid');
  });

  test('AUDIENCE_MISMATCH, naming the api:// vs client-ID near miss', async () => {
    const s = settingsFor(authority, { TOKEN_ECHO_AUDIENCES: DEMO_API_CLIENT_ID });
    const report = await run({ token: await authority.mint({ version: '1.0', aud: DEMO_API_URI }) }, s, keyStoreFor(s));
    expect(codes(report)[0]).toBe('AUDIENCE_MISMATCH');
    expect(check(report, 'audience')).toMatchObject({ status: 'fail', expected: DEMO_API_CLIENT_ID, found: DEMO_API_URI });
    expect(report.reasons[0]?.message).toMatch(/App ID URI/);
    expect(report.reasons[0]?.fix).toMatch(/TOKEN_ECHO_AUDIENCES/);
    expect(report.verdict).toBe('invalid');
  });

  test('AUDIENCE_MISMATCH near misses: trailing slash and case', async () => {
    const s = settingsFor(authority, { TOKEN_ECHO_AUDIENCES: 'api://contoso-api' });
    const k = keyStoreFor(s);
    const slash = await run({ token: await authority.mint({ version: '1.0', aud: 'api://contoso-api/' }) }, s, k);
    expect(slash.reasons[0]?.message).toMatch(/trailing slash/);
    const caseMiss = await run({ token: await authority.mint({ version: '1.0', aud: 'API://Contoso-API' }) }, s, k);
    expect(caseMiss.reasons[0]?.message).toMatch(/letter case/);
  });

  test('AUDIENCE_MISMATCH for a Microsoft service says which one (microsoft-apps.ts), and names a well-known calling app', async () => {
    const AZURE_CLI = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
    const dataverse = await run({ token: await authority.mint({ version: '1.0', aud: 'https://contoso.crm4.dynamics.com/' }) });
    expect(codes(dataverse)[0]).toBe('AUDIENCE_MISMATCH');
    expect(dataverse.reasons[0]?.message).toMatch(/it is a Dataverse token for org contoso/);
    expect(dataverse.reasons[0]?.fix).toMatch(/Resource URL/);
    expect(dataverse.verdict).toBe('invalid');
    for (const [aud, name] of [
      ['https://api.powerplatform.com', 'Power Platform API'],
      ['https://service.flow.microsoft.com/', 'Power Automate (flow service)'],
      ['https://vault.azure.net', 'Azure Key Vault'],
      ['https://storage.azure.com/', 'Azure Storage'],
    ] as const) {
      const report = await run({ token: await authority.mint({ version: '1.0', aud }) });
      expect(report.reasons.find((r) => r.code === 'AUDIENCE_MISMATCH')?.message, aud).toMatch(new RegExp(`it is an? ${name.replace(/[()]/g, '\\$&')} token`));
    }
    const arm = await run({ token: await authority.mint({ version: '1.0', aud: 'https://management.azure.com/', client: AZURE_CLI }) });
    expect(arm.reasons[0]?.message).toMatch(/it is an Azure Resource Manager token .* The calling app is Microsoft Azure CLI/);
    // Same verdict as without the dictionary: only the words change.
    expect(arm.verdict).toBe('invalid');
    // The maker's own API: no Microsoft service named.
    const own = await run({ token: await authority.mint({ version: '1.0', aud: 'api://someone-else' }) });
    expect(own.reasons[0]?.message).not.toMatch(/it is a /);
  });

  test('TENANT_MISMATCH explains the "common" Tenant ID and a guest\'s home tenant (idp)', async () => {
    const home = await authority.addTenant('northwind.onmicrosoft.com');
    const report = await run({ token: await authority.mint({ tenant: home.id, claims: { idp: `https://sts.windows.net/${home.id}/` } }) });
    const r = report.reasons.find((x) => x.code === 'TENANT_MISMATCH');
    expect(r?.message).toMatch(/Tenant ID is probably "common"/);
    expect(r?.message).not.toMatch(/shows the user is a guest/);
    const guest = await run({ token: await authority.mint({ tenant: home.id, claims: { idp: 'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/' } }) });
    expect(guest.reasons.find((x) => x.code === 'TENANT_MISMATCH')?.message).toMatch(/guest whose home is tenant 72f988bf-86f1-41af-91ab-2d7cd011db47/);
  });

  test('EXPIRED', async () => {
    const report = await run({ token: await authority.mint({ issuedAt: -7200, notBefore: -7200, expiresIn: -3600 }) });
    expect(codes(report)[0]).toBe('EXPIRED');
    const lifetime = check(report, 'lifetime');
    expect(lifetime.status).toBe('fail');
    expect(lifetime.expected).toMatch(/exp >= now - 300 s/);
    expect(lifetime.found).toMatch(/^exp \d{4}-/);
    expect(report.verdict).toBe('invalid');
  });

  test('EXPIRED honours the clock skew', async () => {
    const token = await authority.mint({ issuedAt: -3600, notBefore: -3600, expiresIn: -120 });
    expect((await run({ token })).verdict).toBe('valid');
    const strictSkew = loadConfig({ ...envOf(settings), TOKEN_ECHO_CLOCK_SKEW: '60' });
    expect(codes(await run({ token }, strictSkew))).toContain('EXPIRED');
  });

  test('NOT_YET_VALID', async () => {
    const report = await run({ token: await authority.mint({ notBefore: 3600, issuedAt: 3600, expiresIn: 7200 }) });
    expect(codes(report)[0]).toBe('NOT_YET_VALID');
    expect(check(report, 'lifetime')).toMatchObject({ status: 'fail' });
    expect(check(report, 'lifetime').found).toMatch(/^nbf /);
    expect(report.verdict).toBe('invalid');
  });

  test('KEY_NOT_FOUND', async () => {
    const stray = await authority.strayKey();
    const report = await run({ token: await authority.mint({ key: stray }) });
    expect(codes(report)[0]).toBe('KEY_NOT_FOUND');
    expect(check(report, 'signature')).toMatchObject({ status: 'fail', found: `kid "${stray.kid}"` });
    expect(check(report, 'signature').expected).toMatch(/discovery\/v2\.0\/keys$/);
    expect(report.verdict).toBe('invalid');
  });

  test('APP_SPECIFIC_KEY', async () => {
    const appKey = await authority.addAppKey(DEMO_API_CLIENT_ID);
    // A fresh instance: the shared store already spent its one early refresh of the app set (5-minute rule).
    const report = await run({ token: await authority.mint({ key: appKey }) }, settings, keyStoreFor(settings));
    expect(codes(report)[0]).toBe('APP_SPECIFIC_KEY');
    expect(check(report, 'signature')).toMatchObject({ status: 'fail', found: `kid "${appKey.kid}", in the key set for appid ${DEMO_API_CLIENT_ID}` });
    expect(report.reasons[0]?.message).toMatch(/signature verifies with it/);
    expect(report.verdict).toBe('invalid');
  });

  test('SIGNATURE_INVALID', async () => {
    const token = await authority.mint();
    const [h, p] = token.split('.');
    const other = await authority.mint({ scp: 'something_else' });
    const report = await run({ token: `${h}.${p}.${other.split('.')[2]}` });
    expect(codes(report)[0]).toBe('SIGNATURE_INVALID');
    expect(check(report, 'signature')).toMatchObject({ status: 'fail', found: 'a signature that does not verify' });
    expect(report.verdict).toBe('invalid');
  });

  test('SCOPE_MISSING', async () => {
    const report = await run({ token: await authority.mint({ scp: 'Files.Read' }) });
    expect(codes(report)[0]).toBe('SCOPE_MISSING');
    expect(check(report, 'scope')).toMatchObject({ status: 'fail', expected: 'scp with one of access_as_user', found: 'scp "Files.Read"' });
    expect(report.verdict).toBe('invalid');
  });

  test('APP_ONLY_TOKEN, and accepted when its role is configured', async () => {
    const token = await authority.mint({ scp: null, roles: ['Echo.Read.All'] });
    const report = await run({ token });
    expect(codes(report)[0]).toBe('APP_ONLY_TOKEN');
    expect(check(report, 'scope')).toMatchObject({ status: 'fail', found: 'no scp, roles ["Echo.Read.All"]' });
    expect(report.token?.kind).toBe('app');
    expect(report.verdict).toBe('invalid');
    const withRoles = loadConfig({ ...envOf(settings), TOKEN_ECHO_ROLES: 'Echo.Read.All' });
    expect((await run({ token }, withRoles)).verdict).toBe('valid');
  });

  test('CLIENT_NOT_ALLOWED', async () => {
    const report = await run({ token: await authority.mint({ client: '00000000-1111-2222-3333-444444444444' }) });
    expect(codes(report)[0]).toBe('CLIENT_NOT_ALLOWED');
    expect(check(report, 'client')).toMatchObject({ status: 'fail', expected: DEMO_CONNECTOR_CLIENT_ID, found: '00000000-1111-2222-3333-444444444444' });
    expect(report.verdict).toBe('invalid');
    const portal = await run({ token: await authority.mint({ client: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c' }) });
    expect(portal.reasons[0]?.message).toMatch(/\(Azure Portal: /);
  });

  test('KEYS_UNAVAILABLE: verdict unverified', async () => {
    const down = loadConfig({ ...envOf(settings), TOKEN_ECHO_AUTHORITY: 'http://127.0.0.1:9', TOKEN_ECHO_FETCH_TIMEOUT: '2' });
    const report = await run({ token: await authority.mint() }, down, keyStoreFor(down));
    expect(codes(report)[0]).toBe('KEYS_UNAVAILABLE');
    expect(check(report, 'signature')).toMatchObject({ status: 'skip' });
    expect(check(report, 'signature').detail).toMatch(/127\.0\.0\.1:9/);
    expect(report.verdict).toBe('unverified');
    expect(report.summary).toMatch(/^Unverified: the tenant's keys could not be fetched/);
  });

  test('NOT_CONFIGURED: decode only, verdict unverified', async () => {
    const none = loadConfig({});
    const report = await run({ token: await authority.mint() }, none, null);
    expect(codes(report)).toContain('NOT_CONFIGURED');
    expect(REASONS.NOT_CONFIGURED.severity).toBe('info');
    expect(check(report, 'signature')).toMatchObject({ status: 'skip', detail: 'TOKEN_ECHO_TENANT_ID is not set' });
    expect(report.verdict).toBe('unverified');
  });

  test('OBO_HEADER_ABSENT, and the header shown when sent', async () => {
    const token = await authority.mint();
    const without = await run({ token });
    expect(codes(without)).toContain('OBO_HEADER_ABSENT');
    expect(without.connector.oboHeader).toBeNull();
    const withHeader = await run({ token, headers: { 'x-ms-apihub-obo': 'true' } });
    expect(codes(withHeader)).not.toContain('OBO_HEADER_ABSENT');
    expect(withHeader.connector.oboHeader).toBe('true');
  });
});

/**
 * The connector runtime's caller headers against the token, with the header sets seen at backends
 * (shared/reference/power-platform-connectors.md §2.2): Copilot Studio with OAuth (object ID, principal
 * ID and name, tenant, app, agent), Copilot Studio without OAuth (no principal name), Power Automate
 * (none of them), and App Service Easy Auth on (its base64 JSON principal) or off.
 */
describe('caller headers against the token', () => {
  const OID = '4c0d9f1e-7b2a-4e3c-9d8f-1a2b3c4d5e6f';
  const COPILOT_APP = '9d8f559b-5984-46a4-902a-ad4271e83efa';
  const copilotStudio = (o: { oid?: string; tenant?: string; app?: string; name?: string | null } = {}): Record<string, string> => ({
    'user-agent': 'CopilotStudio PowerFx/1.99.0-local',
    'x-ms-client-object-id': o.oid ?? OID,
    'x-ms-client-principal-id': o.oid ?? OID,
    ...(o.name === null ? {} : { 'x-ms-client-principal-name': o.name ?? 'adele@contoso.onmicrosoft.com' }),
    'x-ms-client-tenant-id': o.tenant ?? authority.tenant.id,
    'x-ms-client-app-id': o.app ?? DEMO_CONNECTOR_CLIENT_ID,
    'x-ms-entra-agent-name': 'cr123_helpdesk',
    'x-ms-entra-agent-id': '0f1e2d3c-4b5a-4678-9abc-def012345678',
    'x-ms-apihub-obo': 'true',
  });
  const easyAuthPrincipal = (oid: string): string =>
    Buffer.from(JSON.stringify({ auth_typ: 'aad', claims: [{ typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: oid }], name_typ: 'name', role_typ: 'roles' })).toString('base64');
  const callerCodes = (report: Report): string[] => codes(report).filter((c) => c.startsWith('CALLER_'));

  test('headers that agree with the token, or no caller headers at all (Power Automate), say nothing', async () => {
    const token = await authority.mint();
    for (const headers of [
      copilotStudio(),
      copilotStudio({ name: null }),
      { 'user-agent': 'azure-logic-apps/1.0 (workflow 1f0e; version 08584) microsoft-flow/1.0', 'x-ms-workflow-run-id': '08584', 'x-ms-apihub-obo': 'true' },
    ]) {
      const report = await run({ token, headers });
      expect(callerCodes(report)).toEqual([]);
      expect(report.verdict).toBe('valid');
    }
    // Without OAuth there is no token: nothing to compare the headers with.
    const noAuth = await run({ headers: copilotStudio({ name: null }) });
    expect(callerCodes(noAuth)).toEqual([]);
  });

  test('CALLER_NOT_TOKEN_USER: the maker\'s connection used by another user; a warning, the token stays valid', async () => {
    const colleague = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
    const report = await run({ token: await authority.mint(), headers: copilotStudio({ oid: colleague, name: 'megan@contoso.onmicrosoft.com' }) });
    expect(callerCodes(report)).toEqual(['CALLER_NOT_TOKEN_USER']);
    const r = report.reasons.find((x) => x.code === 'CALLER_NOT_TOKEN_USER');
    expect(r?.severity).toBe('warning');
    expect(r?.message).toContain(`"${colleague}"`);
    expect(r?.message).toContain(`"${OID}"`);
    expect(r?.message).toMatch(/hints from the connector runtime, not proof/);
    expect(r?.message).toMatch(/someone else's connection/);
    expect(r?.fix).toMatch(/End user credentials/);
    expect(report.verdict).toBe('valid');
    // Only the principal name came (no object ID): compared with upn / preferred_username.
    const byName = await run({ token: await authority.mint({ version: '1.0' }), headers: { 'x-ms-client-principal-name': 'megan@contoso.onmicrosoft.com' } });
    expect(callerCodes(byName)).toEqual(['CALLER_NOT_TOKEN_USER']);
    // Names compared without regard to case.
    const sameName = await run({ token: await authority.mint(), headers: { 'x-ms-client-principal-name': 'ADELE@contoso.onmicrosoft.com' } });
    expect(callerCodes(sameName)).toEqual([]);
  });

  test('Easy Auth on (its JSON principal present) or off: the message says who set the principal headers, never the principal itself', async () => {
    const other = '11111111-2222-4333-8444-555555555555';
    const principal = easyAuthPrincipal(other);
    const on = await run({ token: await authority.mint(), headers: { 'x-ms-client-principal': principal, 'x-ms-client-principal-id': other, 'x-ms-client-principal-idp': 'aad' } });
    const onReason = on.reasons.find((x) => x.code === 'CALLER_NOT_TOKEN_USER');
    expect(onReason?.message).toMatch(/^x-ms-client-principal-id says .*set by App Service Easy Auth/);
    expect(JSON.stringify(on)).not.toContain(principal);
    expect(on.request.headers['x-ms-client-principal']).toMatch(/^\[redacted\]/);
    // Easy Auth's principal ID wins over a contradicting x-ms-client-object-id.
    const both = await run({ token: await authority.mint(), headers: { 'x-ms-client-principal': easyAuthPrincipal(OID), 'x-ms-client-principal-id': OID, 'x-ms-client-object-id': other } });
    expect(callerCodes(both)).toEqual([]);
    // Easy Auth off: a principal header without the JSON principal came from the caller.
    const off = await run({ token: await authority.mint(), headers: { 'x-ms-client-principal-id': other } });
    expect(off.reasons.find((x) => x.code === 'CALLER_NOT_TOKEN_USER')?.message).toMatch(/hints from the connector runtime, not proof/);
    const junk = await run({ token: await authority.mint(), headers: { 'x-ms-client-principal': 'not-base64-json!', 'x-ms-client-principal-id': other } });
    expect(junk.reasons.find((x) => x.code === 'CALLER_NOT_TOKEN_USER')?.message).not.toMatch(/Easy Auth/);
  });

  test('CALLER_TENANT_MISMATCH: the caller\'s Power Platform tenant is not the token\'s; the object IDs are then not compared', async () => {
    const home = '22222222-3333-4444-8555-666666666666';
    const report = await run({ token: await authority.mint(), headers: copilotStudio({ tenant: home, oid: '33333333-4444-4555-8666-777777777777' }) });
    expect(callerCodes(report)).toEqual(['CALLER_TENANT_MISMATCH']);
    const r = report.reasons.find((x) => x.code === 'CALLER_TENANT_MISMATCH');
    expect(r?.severity).toBe('warning');
    expect(r?.message).toContain(home);
    expect(r?.fix).toMatch(/Tenant ID .* instead of "common"/);
    expect(report.verdict).toBe('valid');
  });

  test('CALLER_APP_NOT_TOKEN_CLIENT: a note naming a well-known first-party app', async () => {
    const report = await run({ token: await authority.mint(), headers: copilotStudio({ app: COPILOT_APP }) });
    expect(callerCodes(report)).toEqual(['CALLER_APP_NOT_TOKEN_CLIENT']);
    const r = report.reasons.find((x) => x.code === 'CALLER_APP_NOT_TOKEN_CLIENT');
    expect(r?.severity).toBe('info');
    expect(r?.message).toContain('Power Virtual Agents Service (Microsoft Copilot Studio)');
    expect(report.verdict).toBe('valid');
  });
});

test('every reason code of the catalog is produced by this suite', () => {
  expect([...produced].sort()).toEqual([...REASON_CODES].sort());
});

function envOf(s: Settings): Record<string, string> {
  return {
    TOKEN_ECHO_TENANT_ID: s.tenant ?? '',
    TOKEN_ECHO_AUTHORITY: s.authority,
    TOKEN_ECHO_AUDIENCES: s.audiences.join(','),
    TOKEN_ECHO_SCOPES: s.scopes.join(','),
    TOKEN_ECHO_CLIENT_IDS: s.clientIds.join(','),
  };
}
