import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { base64url, compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Settings, loadConfig } from '../../src/config.js';
import { type DevAuthority, type DevTenant, DEMO_API_CLIENT_ID, DEMO_API_URI, DEMO_CONNECTOR_CLIENT_ID, startAuthority } from '../../src/dev/authority.js';
import { type ProfileId, type ProfileResult, judgeFrontDoors } from '../../src/validators/index.js';
import { type TlsFront, startTlsFront } from './tls-front.js';

/**
 * Differential test: for each token of the table, token-echo's predicted verdict for the Node
 * profiles equals what the real library decides when configured with the snippet token-echo generated
 * from the same settings; and with the snippet generated for THIS token (when there is one), the
 * library accepts it. The snippets run in a plain Node process (snippet-runner.mjs) against the local
 * stand-in authority over HTTP (and HTTPS for passport-azure-ad).
 */
const NODE_PROFILES: ProfileId[] = ['jose', 'jsonwebtoken', 'express-jwt', 'passport-azure-ad'];
const OTHER_API = '0b7f6a52-93c1-4f0e-8a2d-5e6f7a8b9c0d';
const OTHER_CLIENT = '77e1d0c2-4b5a-4c3d-9e8f-0a1b2c3d4e5f';
const CUSTOM_URI = 'https://contoso.example/api';

let authority: DevAuthority;
let other: DevTenant;
let front: TlsFront;
const settings: Record<string, Settings> = {};

beforeAll(async () => {
  authority = await startAuthority();
  other = await authority.addTenant('fabrikam.onmicrosoft.com');
  front = await startTlsFront(authority.url);
  const base = {
    TOKEN_ECHO_TENANT_ID: authority.tenant.id,
    TOKEN_ECHO_AUTHORITY: authority.url,
    TOKEN_ECHO_AUDIENCES: `${DEMO_API_URI},${DEMO_API_CLIENT_ID}`,
    TOKEN_ECHO_SCOPES: 'access_as_user',
    TOKEN_ECHO_CLIENT_IDS: DEMO_CONNECTOR_CLIENT_ID,
  };
  settings['both'] = loadConfig(base);
  settings['uriOnly'] = loadConfig({ ...base, TOKEN_ECHO_AUDIENCES: DEMO_API_URI });
  settings['guidOnly'] = loadConfig({ ...base, TOKEN_ECHO_AUDIENCES: DEMO_API_CLIENT_ID });
  settings['rolesNoSkew'] = loadConfig({ ...base, TOKEN_ECHO_ROLES: 'Data.Read', TOKEN_ECHO_CLIENT_IDS: '', TOKEN_ECHO_CLOCK_SKEW: '0' });
  settings['custom'] = loadConfig({ ...base, TOKEN_ECHO_AUDIENCES: `${CUSTOM_URI},${DEMO_API_CLIENT_ID}` });
  settings['domain'] = loadConfig({ ...base, TOKEN_ECHO_TENANT_ID: authority.tenant.domain });
  settings['anyScope'] = loadConfig({ ...base, TOKEN_ECHO_SCOPES: '', TOKEN_ECHO_CLIENT_IDS: '' });
});

afterAll(async () => {
  await front?.close();
  await authority?.stop();
  rmSync(join(process.cwd(), 'node_modules/.cache/token-echo-snippets'), { recursive: true, force: true });
});

interface Case {
  name: string;
  settings: string;
  token: () => Promise<string>;
}

const now = (): number => Math.floor(Date.now() / 1000);

function tamper(token: string): string {
  const [h, p, s] = token.split('.');
  const claims = JSON.parse(new TextDecoder().decode(base64url.decode(p ?? ''))) as Record<string, unknown>;
  claims['name'] = 'Mallory';
  return `${h}.${base64url.encode(JSON.stringify(claims))}.${s}`;
}

const CASES: Case[] = [
  { name: 'v2, aud = client ID', settings: 'both', token: () => authority.mint() },
  { name: 'v1, aud = api:// URI', settings: 'both', token: () => authority.mint({ version: '1.0' }) },
  { name: 'v1, aud = client ID', settings: 'both', token: () => authority.mint({ version: '1.0', aud: DEMO_API_CLIENT_ID }) },
  { name: 'v2, aud = api:// URI', settings: 'both', token: () => authority.mint({ aud: DEMO_API_URI }) },
  { name: 'v2 GUID aud, only api:// configured', settings: 'uriOnly', token: () => authority.mint() },
  { name: 'v1 api:// aud, only api:// configured', settings: 'uriOnly', token: () => authority.mint({ version: '1.0' }) },
  { name: 'v1 GUID aud, only api:// configured', settings: 'uriOnly', token: () => authority.mint({ version: '1.0', aud: DEMO_API_CLIENT_ID }) },
  { name: 'v2 GUID aud, only GUID configured', settings: 'guidOnly', token: () => authority.mint() },
  { name: 'v1 api:// aud, only GUID configured', settings: 'guidOnly', token: () => authority.mint({ version: '1.0' }) },
  { name: 'v1, aud api:// with trailing slash', settings: 'both', token: () => authority.mint({ version: '1.0', aud: `${DEMO_API_URI}/` }) },
  { name: 'v1, custom App ID URI with trailing slash', settings: 'custom', token: () => authority.mint({ version: '1.0', aud: `${CUSTOM_URI}/` }) },
  { name: 'v1, custom App ID URI', settings: 'custom', token: () => authority.mint({ version: '1.0', aud: CUSTOM_URI }) },
  { name: 'other tenant (its own keys), v2', settings: 'both', token: () => authority.mint({ tenant: other.id }) },
  { name: 'other tenant (its own keys), v1', settings: 'both', token: () => authority.mint({ tenant: other.id, version: '1.0' }) },
  { name: 'other tenant iss/tid, our tenant key', settings: 'both', token: () => authority.mint({ claims: { iss: `${authority.url}/${other.id}/v2.0`, tid: other.id } }) },
  { name: 'v2 issuer with a trailing slash', settings: 'both', token: () => authority.mint({ claims: { iss: `${authority.url}/${authority.tenant.id}/v2.0/` } }) },
  { name: 'v1 token carrying the v2 issuer', settings: 'both', token: () => authority.mint({ version: '1.0', claims: { iss: `${authority.url}/${authority.tenant.id}/v2.0` } }) },
  { name: 'expired an hour ago', settings: 'both', token: () => authority.mint({ expiresIn: -3600, issuedAt: -7200, notBefore: -7200 }) },
  { name: 'expired beyond the 300 s skew', settings: 'both', token: () => authority.mint({ expiresIn: -360, issuedAt: -4000, notBefore: -4000 }) },
  { name: 'expired within the 300 s skew', settings: 'both', token: () => authority.mint({ expiresIn: -180, issuedAt: -4000, notBefore: -4000 }) },
  { name: 'expired 60 s ago, skew 0', settings: 'rolesNoSkew', token: () => authority.mint({ expiresIn: -60, issuedAt: -4000, notBefore: -4000 }) },
  { name: 'valid, skew 0', settings: 'rolesNoSkew', token: () => authority.mint() },
  { name: 'nbf beyond the 300 s skew', settings: 'both', token: () => authority.mint({ notBefore: 600 }) },
  { name: 'nbf within the 300 s skew', settings: 'both', token: () => authority.mint({ notBefore: 200 }) },
  { name: 'nbf 120 s ahead, skew 0', settings: 'rolesNoSkew', token: () => authority.mint({ notBefore: 120 }) },
  { name: 'app-only with a role, no roles configured', settings: 'both', token: () => authority.mint({ scp: null, roles: ['Data.Read'] }) },
  { name: 'app-only with the configured role', settings: 'rolesNoSkew', token: () => authority.mint({ scp: null, roles: ['Data.Read'] }) },
  { name: 'app-only with another role', settings: 'rolesNoSkew', token: () => authority.mint({ scp: null, roles: ['Data.Write'] }) },
  { name: 'app-only v1 with the configured role', settings: 'rolesNoSkew', token: () => authority.mint({ version: '1.0', scp: null, roles: ['Data.Read'] }) },
  { name: 'missing scope (User.Read only)', settings: 'both', token: () => authority.mint({ scp: 'User.Read' }) },
  { name: 'scope among others', settings: 'both', token: () => authority.mint({ scp: 'User.Read access_as_user' }) },
  { name: 'empty scp', settings: 'both', token: () => authority.mint({ scp: '' }) },
  { name: 'any scope allowed, User.Read', settings: 'anyScope', token: () => authority.mint({ scp: 'User.Read' }) },
  { name: 'wrong client (azp)', settings: 'both', token: () => authority.mint({ client: OTHER_CLIENT }) },
  { name: 'wrong client (appid, v1)', settings: 'both', token: () => authority.mint({ version: '1.0', client: OTHER_CLIENT }) },
  { name: 'other client, no client list', settings: 'rolesNoSkew', token: () => authority.mint({ client: OTHER_CLIENT }) },
  { name: 'ID token for the API app', settings: 'both', token: () => authority.mintIdToken(DEMO_API_CLIENT_ID) },
  { name: 'ID token for the connector app', settings: 'both', token: () => authority.mintIdToken(DEMO_CONNECTOR_CLIENT_ID) },
  { name: 'Graph token', settings: 'both', token: () => authority.mint({ aud: 'https://graph.microsoft.com', scp: 'User.Read' }) },
  { name: 'another API of the tenant', settings: 'both', token: () => authority.mint({ aud: OTHER_API }) },
  { name: 'two audiences (client ID and URI)', settings: 'both', token: () => authority.mint({ aud: [DEMO_API_CLIENT_ID, DEMO_API_URI] }) },
  { name: 'signed by a key published nowhere', settings: 'both', token: async () => authority.mint({ key: await authority.strayKey() }) },
  { name: 'payload altered after signing', settings: 'both', token: async () => tamper(await authority.mint()) },
  { name: 'no kid in the header (v2)', settings: 'both', token: () => authority.mint({ header: { kid: undefined } }) },
  { name: 'no exp', settings: 'both', token: () => authority.mint({ claims: { exp: undefined } }) },
  { name: 'exp as a string', settings: 'both', token: () => authority.mint({ claims: { exp: String(now() + 3600) } }) },
  { name: 'no aud', settings: 'both', token: () => authority.mint({ claims: { aud: undefined } }) },
  { name: 'tenant configured by domain, v2', settings: 'domain', token: () => authority.mint() },
  { name: 'tenant configured by domain, v1', settings: 'domain', token: () => authority.mint({ version: '1.0' }) },
  { name: 'user token with scp and roles', settings: 'both', token: () => authority.mint({ roles: ['Data.Read'] }) },
];

async function signatureVerified(token: string): Promise<boolean> {
  const keys = createLocalJWKSet({ keys: authority.tenant.keys.map((k) => k.publicJwk) });
  try {
    await compactVerify(token, keys);
    return true;
  } catch {
    return false;
  }
}

interface Job {
  id: string;
  library: ProfileId;
  snippet: string;
  token: string;
  expected: 'accept' | 'refuse';
  kind: 'settings' | 'this-token';
  caseName: string;
  refusal: string;
}

function runSnippets(jobs: Job[]): Promise<Array<{ id: string; verdict: string; detail: string }>> {
  return new Promise((resolve, reject) => {
    // SNIPPET_NODE: another Node binary (e.g. Node 22 from `npx -p node@22`) runs the snippets.
    const child = spawn(process.env['SNIPPET_NODE'] ?? process.execPath, [join(process.cwd(), 'test/validators/snippet-runner.mjs')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(out) as Array<{ id: string; verdict: string; detail: string }>);
      } catch {
        reject(new Error(`the snippet runner answered no JSON: ${err.slice(0, 2000)}`));
      }
    });
    child.stdin.end(
      JSON.stringify({
        dir: join(process.cwd(), 'node_modules/.cache/token-echo-snippets'),
        caPem: front.caPem,
        passportOrigin: { from: authority.url, to: front.url },
        jobs: jobs.map(({ id, library, snippet, token }) => ({ id, library, snippet, token })),
      }),
    );
  });
}

/** The rule a jose error code (with its claim) or a jsonwebtoken / snippet message stands for. */
function ruleOf(detail: string): string {
  const table: Array<[RegExp, string]> = [
    [/^ERR_JWT_CLAIM_VALIDATION_FAILED:(\w+)$/, '$1'],
    [/^ERR_JWT_EXPIRED/, 'exp'],
    [/^ERR_JOSE_ALG_NOT_ALLOWED|invalid algorithm/, 'alg'],
    [/^ERR_JWKS_NO_MATCHING_KEY|^ERR_JWKS_MULTIPLE_MATCHING_KEYS|^ERR_JWS_SIGNATURE_VERIFICATION_FAILED|Unable to find a signing key|No KID specified|invalid signature/, 'signature'],
    [/jwt audience invalid/, 'aud'],
    [/jwt issuer invalid/, 'iss'],
    [/jwt expired|invalid exp value|the token has no exp/, 'exp'],
    [/jwt not active/, 'nbf'],
    [/required scope missing/, 'scope'],
    [/no accepted scope or role/, 'scope-or-roles'],
    [/calling app not allowed/, 'client'],
  ];
  for (const [re, rule] of table) {
    const m = re.exec(detail);
    if (m) return rule === '$1' ? (m[1] ?? '') : rule;
  }
  return `unmapped (${detail})`;
}

describe('front-door profiles against the real Node libraries', () => {
  it('predicts jose, jsonwebtoken + jwks-rsa, express-jwt and passport-azure-ad on every token, and the snippet for each token makes the library accept it', async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    const jobs: Job[] = [];
    const predictions: Array<{ caseName: string; results: ProfileResult[] }> = [];
    for (const [i, c] of CASES.entries()) {
      const token = await c.token();
      const s = settings[c.settings] as Settings;
      const results = judgeFrontDoors(
        {
          header: decodeProtectedHeader(token) as Record<string, unknown>,
          claims: decodeJwt(token) as Record<string, unknown>,
          settings: s,
          signatureVerified: await signatureVerified(token),
          now: new Date(),
          ...(c.settings === 'domain' ? { tenantGuid: authority.tenant.id } : {}),
        },
        NODE_PROFILES,
      );
      predictions.push({ caseName: c.name, results });
      for (const r of results) {
        // A Node profile always decides: its options are explicit.
        expect(r.verdict, `${c.name} / ${r.profile}`).not.toBe('unknown');
        const refusal = r.firstRefusal ? `${r.firstRefusal.rule}: ${r.firstRefusal.found}` : '';
        jobs.push({ id: `${i}/${r.profile}/settings`, library: r.profile, snippet: r.snippetForSettings as string, token, expected: r.verdict as 'accept' | 'refuse', kind: 'settings', caseName: c.name, refusal });
        if (r.snippet !== null) jobs.push({ id: `${i}/${r.profile}/token`, library: r.profile, snippet: r.snippet, token, expected: 'accept', kind: 'this-token', caseName: c.name, refusal });
      }
    }
    const actual = new Map((await runSnippets(jobs)).map((a) => [a.id, a]));
    const mismatches = jobs
      .filter((j) => actual.get(j.id)?.verdict !== j.expected)
      .map((j) => `${j.caseName} / ${j.library} (${j.kind}): predicted ${j.expected}${j.refusal ? ` [${j.refusal}]` : ''}, library ${actual.get(j.id)?.verdict ?? 'no answer'} (${actual.get(j.id)?.detail ?? ''})`);
    const settingsJobs = jobs.filter((j) => j.kind === 'settings');
    // Where the library names why it refused (jose's error code and claim, jsonwebtoken's message),
    // the predicted first refusal names the same rule.
    const ruleMismatches = settingsJobs
      .filter((j) => (j.library === 'jose' || j.library === 'jsonwebtoken') && j.expected === 'refuse')
      .filter((j) => ruleOf(actual.get(j.id)?.detail ?? '') !== j.refusal.split(':')[0])
      .map((j) => `${j.caseName} / ${j.library}: predicted ${j.refusal}, library ${actual.get(j.id)?.detail ?? ''}`);
    expect(ruleMismatches).toEqual([]);
    const summary = NODE_PROFILES.map((p) => {
      const mine = settingsJobs.filter((j) => j.library === p);
      const agree = mine.filter((j) => actual.get(j.id)?.verdict === j.expected).length;
      const accepted = mine.filter((j) => j.expected === 'accept').length;
      const fixed = jobs.filter((j) => j.library === p && j.kind === 'this-token');
      return `${p}: ${agree}/${mine.length} agree (${accepted} accepted, ${mine.length - accepted} refused); this-token snippets accepted ${fixed.filter((j) => actual.get(j.id)?.verdict === 'accept').length}/${fixed.length}`;
    });
    console.log(`differential: ${CASES.length} tokens × ${NODE_PROFILES.length} libraries\n  ${summary.join('\n  ')}`);
    expect(mismatches).toEqual([]);
    // The table exercises both outcomes for every library, and libraries that really differ.
    for (const p of NODE_PROFILES) {
      const mine = settingsJobs.filter((j) => j.library === p);
      expect(mine.some((j) => j.expected === 'accept') && mine.some((j) => j.expected === 'refuse')).toBe(true);
    }
    const twoAud = predictions.find((x) => x.caseName === 'two audiences (client ID and URI)')?.results;
    expect(twoAud?.find((r) => r.profile === 'jose')?.verdict).toBe('accept');
    expect(twoAud?.find((r) => r.profile === 'passport-azure-ad')?.verdict).toBe('refuse');
  }, 180_000);
});
