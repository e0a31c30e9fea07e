import { CompactEncrypt, generateSecret } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { type DevAuthority, DEMO_API_CLIENT_ID, DEMO_API_URI, DEMO_CONNECTOR_CLIENT_ID, startAuthority } from '../../src/dev/authority.js';
import { REASONS, REASON_CODES } from '../../src/report/reasons.js';
import type { Report } from '../../src/report/report.js';
import { expectSchemaValid } from '../helpers/schema.js';
import { runCli } from '../helpers/spawn-host.js';

/** `token-echo inspect`, run as a user runs it: the built command in a child process. */
let authority: DevAuthority;
let env: Record<string, string>;

beforeAll(async () => {
  authority = await startAuthority();
  await authority.addTenant('fabrikam.onmicrosoft.com');
  env = {
    TOKEN_ECHO_TENANT_ID: authority.tenant.id,
    TOKEN_ECHO_AUTHORITY: authority.url,
    TOKEN_ECHO_AUDIENCES: `${DEMO_API_URI},${DEMO_API_CLIENT_ID}`,
    TOKEN_ECHO_SCOPES: 'access_as_user',
    TOKEN_ECHO_CLIENT_IDS: DEMO_CONNECTOR_CLIENT_ID,
  };
});
afterAll(() => authority.stop());

interface Case {
  input: (a: DevAuthority) => Promise<string>;
  env?: Record<string, string>;
  exit: number;
  /** What `inspect` does instead of reporting the code: a pasted token has no call around it. */
  notForPaste?: 'usage error' | 'left out';
  /** A finding about the HTTP request itself, which a pasted token cannot carry. */
  httpOnly?: true;
}

const claimsOf = (t: string): Record<string, unknown> => JSON.parse(Buffer.from(t.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;
const enc = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** An input that produces each code as the first (or, for notes, any) reason. */
const CASES: Record<(typeof REASON_CODES)[number], Case> = {
  // Nothing pasted is a mistake in the command line, not a call without a token.
  NO_TOKEN: { input: async () => '', exit: 64, notForPaste: 'usage error' },
  REPEATED_AUTHORIZATION: { input: async (a) => `Bearer ${await a.mint()}, Bearer ${await a.mint()}`, exit: 1 },
  NOT_BEARER: { input: async () => 'Authorization: Basic dXNlcjpwYXNz', exit: 1 },
  TOKEN_TOO_LARGE: { input: async () => 'a'.repeat(17 * 1024), exit: 1 },
  ENCRYPTED_TOKEN: {
    input: async () => new CompactEncrypt(new TextEncoder().encode('{}')).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(await generateSecret('A256GCM')),
    exit: 1,
  },
  MALFORMED_TOKEN: { input: async () => 'abc.def', exit: 1 },
  ALG_NOT_ALLOWED: { input: async (a) => `${enc({ alg: 'none' })}.${enc(claimsOf(await a.mint()))}.`, exit: 1 },
  APIHUB_TOKEN: { input: (a) => a.mint({ aud: 'https://apihub.azure.com' }), exit: 1 },
  GRAPH_TOKEN: { input: (a) => a.mint({ aud: 'https://graph.microsoft.com' }), exit: 1 },
  ID_TOKEN: { input: (a) => a.mintIdToken(DEMO_CONNECTOR_CLIENT_ID), exit: 1 },
  TENANT_MISMATCH: { input: (a) => a.mint({ tenant: a.tenants[1]?.id ?? '' }), exit: 1 },
  ISSUER_MISMATCH: { input: (a) => a.mint({ claims: { iss: `${a.url}/${a.tenant.id}/v2.0/` } }), exit: 1 },
  AUDIENCE_MISMATCH: { input: (a) => a.mint({ aud: 'api://someone-else' }), exit: 1 },
  NBF_AFTER_EXP: { input: (a) => a.mint({ issuedAt: -60, notBefore: 1800, expiresIn: 600 }), exit: 1 },
  EXPIRED: { input: (a) => a.mint({ issuedAt: -7200, notBefore: -7200, expiresIn: -3600 }), exit: 1 },
  NOT_YET_VALID: { input: (a) => a.mint({ issuedAt: 3600, notBefore: 3600, expiresIn: 7200 }), exit: 1 },
  APP_SPECIFIC_KEY: { input: async (a) => a.mint({ key: await a.addAppKey(DEMO_API_CLIENT_ID) }), exit: 1 },
  KEY_NOT_FOUND: { input: async (a) => a.mint({ key: await a.strayKey() }), exit: 1 },
  SIGNATURE_INVALID: { input: async (a) => `${(await a.mint()).split('.').slice(0, 2).join('.')}.${(await a.mint({ scp: 'x' })).split('.')[2]}`, exit: 1 },
  APP_ONLY_TOKEN: { input: (a) => a.mint({ scp: null, roles: ['Echo.Read.All'] }), exit: 1 },
  SCOPE_MISSING: { input: (a) => a.mint({ scp: 'Files.Read' }), exit: 1 },
  CLIENT_NOT_ALLOWED: { input: (a) => a.mint({ client: '00000000-1111-2222-3333-444444444444' }), exit: 1 },
  KID_UNMATCHED: { input: (a) => a.mint({ header: { kid: 'not-a-key-of-the-tenant' } }), exit: 0 },
  AUDIENCE_TRAILING_SLASH: { input: (a) => a.mint({ version: '1.0', aud: `${DEMO_API_URI}/` }), exit: 0 },
  VERSION_MISMATCH: { input: (a) => a.mint({ claims: { iss: `https://sts.windows.net/${a.tenant.id}/` } }), exit: 0 },
  REPEATED_QUERY_PARAMETER: { input: (a) => a.mint(), exit: 0, httpOnly: true },
  KEYS_UNAVAILABLE: { input: (a) => a.mint(), env: { TOKEN_ECHO_AUTHORITY: 'http://127.0.0.1:9', TOKEN_ECHO_FETCH_TIMEOUT: '2' }, exit: 2 },
  NOT_CONFIGURED: { input: (a) => a.mint(), env: { TOKEN_ECHO_TENANT_ID: '' }, exit: 2 },
  // About the connector's call: left out for a pasted token.
  OBO_HEADER_ABSENT: { input: (a) => a.mint(), exit: 0, notForPaste: 'left out' },
  // Caller headers of the connector runtime: a pasted token has none.
  CALLER_NOT_TOKEN_USER: { input: (a) => a.mint(), exit: 0, httpOnly: true },
  CALLER_TENANT_MISMATCH: { input: (a) => a.mint(), exit: 0, httpOnly: true },
  CALLER_APP_NOT_TOKEN_CLIENT: { input: (a) => a.mint(), exit: 0, httpOnly: true },
};

describe('inspect produces every reason code, with its exit code, never printing the token', () => {
  test.each(REASON_CODES.filter((code) => CASES[code].httpOnly !== true))('%s', async (code) => {
    const c = CASES[code];
    const token = await c.input(authority);
    const runEnv = { ...env, ...c.env };
    const json = await runCli(['inspect', '-', '--json'], runEnv, token);
    expect(json.code, json.stderr).toBe(c.exit);
    if (c.notForPaste === 'usage error') {
      expect(json.stderr.split('\n')[0]).toBe('token-echo: no token in the standard input: paste an access token, an "Authorization: Bearer …" line or a token response');
      return;
    }
    const report = JSON.parse(json.stdout) as Report;
    expectSchemaValid(report);
    const codes = report.reasons.map((r) => r.code);
    if (c.notForPaste === 'left out') expect(codes).not.toContain(code);
    else if (REASONS[code].severity !== 'error') expect(codes).toContain(code);
    else expect(codes[0]).toBe(code);
    const text = await runCli(['inspect', '-'], runEnv, token);
    expect(text.code).toBe(c.exit);
    if (c.notForPaste === 'left out') expect(text.stdout).not.toContain(code);
    else expect(text.stdout).toContain(code);
    for (const out of [json.stdout, json.stderr, text.stdout, text.stderr]) {
      if (token.length > 20) expect(out).not.toContain(token);
      const signature = token.split('.')[2];
      if (signature && signature.length > 20) expect(out).not.toContain(signature);
    }
  });
});

describe('inspect, as a person uses it', () => {
  test('the text report: verdict line, checks with expected/found, reasons with fixes, claims with descriptions and readable times', async () => {
    const result = await runCli(['inspect', '-'], env, await authority.mint({ aud: 'https://apihub.azure.com' }));
    expect(result.stdout).toMatch(/^INVALID {2}Invalid: the token's aud is "https:\/\/apihub\.azure\.com"/);
    expect(result.stdout).toMatch(/audience\s+FAIL\n\s+expected: api:\/\/.* or .*\n\s+found: {4}https:\/\/apihub\.azure\.com/);
    expect(result.stdout).toMatch(/APIHUB_TOKEN \(error\): .*\n\s+fix: On the connector's Security tab/);
    expect(result.stdout).toMatch(/exp: \d{4}-\d{2}-\d{2}T[\d:.]+Z \(expires in (59 min|1 h)\)/);
    expect(result.stdout).toMatch(/Audience: the API this token is for/);
    // Not a terminal: no colour codes.
    expect(result.stdout).not.toContain('\u001b[');
  });

  test('the token as an argument, "Bearer …", or a whole Authorization line', async () => {
    const token = await authority.mint();
    for (const args of [['inspect', token], ['inspect', `Bearer ${token}`], ['inspect', 'Authorization:', 'Bearer', token]]) {
      const result = await runCli([...args, '--json'], env);
      expect(result.code, args.join(' ').slice(0, 40)).toBe(0);
      expect((JSON.parse(result.stdout) as Report).verdict).toBe('valid');
    }
    const line = await runCli(['inspect', '-', '--json'], env, `Authorization: Bearer ${token}\n`);
    expect((JSON.parse(line.stdout) as Report).verdict).toBe('valid');
  });

  test('what people paste is tidied, the tidying named on stderr, the report as for the clean token', async () => {
    const token = await authority.mint();
    const wrapped = token.match(/.{1,60}/g)?.join('\n') ?? token;
    for (const [input, note] of [
      [`"${token}"`, /removed quotes/],
      [`Authorization: Bearer ${wrapped}\n`, /removed "Authorization:"; joined \d+ pieces/],
      [JSON.stringify({ token_type: 'Bearer', access_token: token }), /took "access_token"/],
    ] as const) {
      const result = await runCli(['inspect', '-', '--json'], env, input);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/^token-echo: tidied the input: /);
      expect(result.stderr).toMatch(note);
      expect((JSON.parse(result.stdout) as Report).verdict).toBe('valid');
      expect(result.stderr + result.stdout).not.toContain(token.split('.')[2]);
    }
    const id = await runCli(['inspect', '-'], env, JSON.stringify({ id_token: await authority.mintIdToken(DEMO_CONNECTOR_CLIENT_ID) }));
    expect(id.stderr).toMatch(/inspecting its "id_token"/);
    expect(id.stdout).toContain('ID_TOKEN');
  });

  test('a pasted token gets no connector-only notice, and its advice is about the token', async () => {
    const valid = await runCli(['inspect', '-', '--json'], env, await authority.mint());
    expect((JSON.parse(valid.stdout) as Report).reasons).toEqual([]);
    const wrapped = await runCli(['inspect', '-'], env, `'${await authority.mint()}'\n`);
    expect(wrapped.code).toBe(0);
    expect(wrapped.stdout).not.toMatch(/OBO_HEADER_ABSENT|Security tab/);
  });

  test.each([['', 'standard input'], ['  \n\n', 'standard input'], ['Bearer', 'standard input']])('empty input %j is a usage error (64), not NO_TOKEN', async (input) => {
    const result = await runCli(['inspect', '-'], env, input);
    expect(result.code).toBe(64);
    expect(result.stderr.split('\n')[0]).toMatch(/^token-echo: no token in the standard input/);
    expect(result.stdout).toBe('');
  });

  test('the help shows how to paste on macOS, Windows and Linux', async () => {
    const help = await runCli(['inspect', '--help']);
    for (const command of ['pbpaste | token-echo inspect -', 'Get-Clipboard | token-echo inspect -', 'xclip -o -selection clipboard | token-echo inspect -', 'wl-paste']) expect(help.stdout).toContain(command);
  });

  test('flags override the environment', async () => {
    const token = await authority.mint({ version: '1.0', aud: DEMO_API_URI });
    const result = await runCli(['inspect', '-', '--json', '--audience', DEMO_API_CLIENT_ID], env, token);
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as Report).reasons[0]?.code).toBe('AUDIENCE_MISMATCH');
    const noTenant = await runCli(['inspect', '-', '--json', '--tenant', authority.tenant.domain, '--authority', authority.url, '--audience', DEMO_API_URI, '--client-id', DEMO_CONNECTOR_CLIENT_ID, '--scope', 'access_as_user'], {}, token);
    expect(noTenant.code).toBe(0);
  });

  test('usage errors exit 64 with a one-line message and the usage', async () => {
    for (const args of [['inspect'], ['inspect', '--bogus', 'x'], ['inspect', 'x', '--tenant', 'not a tenant']]) {
      const result = await runCli(args, env);
      expect(result.code, args.join(' ')).toBe(64);
      expect(result.stderr.split('\n')[0]).toMatch(/^token-echo: /);
      expect(result.stderr).toContain('Usage: token-echo inspect');
    }
  });

  test('a malformed setting in the environment exits 78 naming it', async () => {
    const result = await runCli(['inspect', 'x'], { ...env, TOKEN_ECHO_CLOCK_SKEW: 'later' });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('TOKEN_ECHO_CLOCK_SKEW="later"');
  });
});

describe('hostile text in a token', () => {
  test('control characters and markup in header and claims cannot drive the terminal', async () => {
    const token = await authority.mint({ header: { kid: 'k\u001b[2J<script>alert(1)</script>' }, claims: { name: 'Adele\u001b]0;pwned\u0007 <b>Vance</b>', note: 'line1\nline2\r' } });
    const result = await runCli(['inspect', '-'], env, token);
    // eslint-disable-next-line no-control-regex
    expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(result.stdout).toContain('Adele\\u001b]0;pwned\\u0007 <b>Vance</b>');
    expect(result.stdout).toContain('line1\\u000aline2\\u000d');
  });
});
