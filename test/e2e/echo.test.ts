import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { type DevAuthority, DEMO_API_CLIENT_ID, DEMO_API_URI, DEMO_CONNECTOR_CLIENT_ID, startAuthority } from '../../src/dev/authority.js';
import type { Report } from '../../src/report/report.js';
import { expectSchemaValid } from '../helpers/schema.js';
import { type SpawnedHost, rawRequest, runCli, spawnHost } from '../helpers/spawn-host.js';

interface VersionStatus {
  metadata: { ok: boolean; issuer?: string; problem?: string };
  keys: { ok: boolean; count?: number; problem?: string };
}
interface Health {
  name: string;
  status: string;
  version: string;
  settings: Record<string, unknown>;
  authority: { v1: VersionStatus; v2: VersionStatus };
}

/** The echo and health functions, served by `token-echo serve` and called over HTTP as a connector would. */
let authority: DevAuthority;
let host: SpawnedHost;
const sentTokens: string[] = [];
const answers: string[] = [];

function envFor(a: DevAuthority, extra: Record<string, string> = {}): Record<string, string> {
  return {
    TOKEN_ECHO_TENANT_ID: a.tenant.id,
    TOKEN_ECHO_AUTHORITY: a.url,
    TOKEN_ECHO_AUDIENCES: `${DEMO_API_URI},${DEMO_API_CLIENT_ID}`,
    TOKEN_ECHO_SCOPES: 'access_as_user',
    TOKEN_ECHO_CLIENT_IDS: DEMO_CONNECTOR_CLIENT_ID,
    ...extra,
  };
}

async function mint(options?: Parameters<DevAuthority['mint']>[0]): Promise<string> {
  const token = await authority.mint(options);
  sentTokens.push(token);
  return token;
}

async function echo(path: string, init: RequestInit = {}): Promise<{ res: Response; report: Report; text: string }> {
  const res = await fetch(`${host.url}${path}`, init);
  const text = await res.text();
  answers.push(text);
  const report = JSON.parse(text) as Report;
  expectSchemaValid(report);
  return { res, report, text };
}

beforeAll(async () => {
  authority = await startAuthority();
  host = await spawnHost({ env: envFor(authority) });
});
afterAll(async () => {
  await host.stop();
  await authority.stop();
});

describe('the echo endpoint', () => {
  test('a valid token: 200, the report, and the verdict and report-id headers', async () => {
    const token = await mint();
    const { res, report } = await echo('/api/echo', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(report.verdict).toBe('valid');
    expect(res.headers.get('x-token-echo-verdict')).toBe('valid');
    expect(res.headers.get('x-token-echo-report-id')).toBe(report.id);
    expect(report.request.headers['authorization']).toBe(`Bearer ${report.token?.fingerprint}`);
  });

  test('every method and any path under /api/echo answers', async () => {
    const token = await mint();
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const { res, report } = await echo('/api/echo/anything/else?x=1', { method, headers: { authorization: `Bearer ${token}` }, ...(method === 'GET' || method === 'OPTIONS' ? {} : { body: '{"a":1}' }) });
      expect(res.status, method).toBe(200);
      expect(report.request).toMatchObject({ method, path: '/api/echo/anything/else', query: { x: '1' } });
      if (method !== 'GET' && method !== 'OPTIONS') expect(report.request.bodySize).toBe(7);
    }
  });

  test('connector headers are collected and the caller is recognised', async () => {
    const { report } = await echo('/api/echo', {
      headers: {
        authorization: `Bearer ${await mint()}`,
        'user-agent': 'azure-logic-apps/1.0 (workflow 1234; version 5678) microsoft-flow/1.0',
        'x-ms-workflow-run-id': '08585',
        'x-ms-correlation-id': 'c0ffee',
        'x-ms-client-request-id': 'r-1',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        'x-ms-token-aad-access-token': 'secret-value',
        'x-functions-key': 'fn-key-value',
      },
    });
    expect(report.connector.caller).toBe('power-automate');
    expect(report.connector.headers).toMatchObject({ 'x-ms-workflow-run-id': '08585', 'x-ms-correlation-id': 'c0ffee', 'x-ms-client-request-id': 'r-1' });
    expect(report.connector.headers['x-ms-token-aad-access-token']).toBe('[redacted] (12 chars)');
    expect(report.request.headers['x-functions-key']).toBe('[redacted] (12 chars)');
    const copilot = await echo('/api/echo', { headers: { 'user-agent': 'CopilotStudio PowerFx/1.99.0-local' } });
    expect(copilot.report.connector.caller).toBe('copilot-studio');
  });

  test('strict mode (?strict=true): 401 with an RFC 6750 challenge and the same report', async () => {
    const { res, report } = await echo('/api/echo?strict=true', { headers: { authorization: `Bearer ${await mint({ aud: 'https://apihub.azure.com' })}` } });
    expect(res.status).toBe(401);
    expect(report.reasons[0]?.code).toBe('APIHUB_TOKEN');
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer realm="token-echo", error="invalid_token", error_description="Invalid: the token's aud is 'https:\/\/apihub\.azure\.com'/);
    const none = await echo('/api/echo?strict=true');
    expect(none.res.status).toBe(401);
    expect(none.res.headers.get('www-authenticate')).toBe('Bearer realm="token-echo"');
    const valid = await echo('/api/echo?strict=true', { headers: { authorization: `Bearer ${await mint()}` } });
    expect(valid.res.status).toBe(200);
  });

  test('?strict= reads yes/no as TOKEN_ECHO_STRICT does: 1, yes and TRUE on; 0, no and other text off', async () => {
    for (const on of ['1', 'yes', 'TRUE']) expect((await echo(`/api/echo?strict=${on}`)).res.status, on).toBe(401);
    for (const off of ['0', 'no', 'maybe']) expect((await echo(`/api/echo?strict=${off}`)).res.status, off).toBe(200);
  });

  test('strict mode by setting (TOKEN_ECHO_STRICT=true)', async () => {
    const strict = await spawnHost({ env: envFor(authority, { TOKEN_ECHO_STRICT: 'true' }) });
    try {
      expect((await fetch(`${strict.url}/api/echo`)).status).toBe(401);
      expect((await fetch(`${strict.url}/api/echo`, { headers: { authorization: `Bearer ${await mint()}` } })).status).toBe(200);
    } finally {
      await strict.stop();
    }
  });
});

describe('bad input gets a report with a code, never a 5xx', () => {
  const cases: Array<[string, string, string]> = [
    ['an empty header', '', 'NO_TOKEN'],
    ['Bearer with nothing', 'Bearer', 'NO_TOKEN'],
    ['another scheme', 'Basic dXNlcjpwYXNz', 'NOT_BEARER'],
    ['three dots', 'Bearer ...', 'MALFORMED_TOKEN'],
    ['non-JSON segments', 'Bearer aGVsbG8.d29ybGQ.c2ln', 'MALFORMED_TOKEN'],
    ['a JSON array as claims', `Bearer eyJhbGciOiJSUzI1NiJ9.${Buffer.from('[1,2]').toString('base64url')}.c2ln`, 'MALFORMED_TOKEN'],
    ['padding and spaces', 'Bearer eyJhbGciOiJSUzI1NiJ9==.e30.c2ln', 'MALFORMED_TOKEN'],
    ['a 20 KiB token', `Bearer ${'a'.repeat(20 * 1024)}`, 'TOKEN_TOO_LARGE'],
  ];
  test.each(cases)('%s', async (_label, authorization, code) => {
    const { res, report } = await echo('/api/echo', { headers: authorization === '' ? {} : { authorization } });
    expect(res.status).toBe(200);
    expect(report.reasons.map((r) => r.code)).toContain(code);
  });

  test('binary bytes in the header', async () => {
    const { hostname, port } = new URL(host.url);
    const res = await rawRequest(host.url, ['GET /api/echo HTTP/1.1', `Host: ${hostname}:${port}`, `Authorization: Bearer \u00ff\u00fe\u0080abc.\u00e9.x`]);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/"code": ?"MALFORMED_TOKEN"/);
  });

  test('a 1 MB header gets 431 and the endpoint keeps serving', async () => {
    const { hostname, port } = new URL(host.url);
    const res = await rawRequest(host.url, ['GET /api/echo HTTP/1.1', `Host: ${hostname}:${port}`, `Authorization: Bearer ${'a'.repeat(1024 * 1024)}`]);
    expect(res.status).toBe(431);
    expect((await fetch(`${host.url}/api/echo`)).status).toBe(200);
  });
});

describe('/api/health', () => {
  test('version, effective settings and whether the keys could be fetched', async () => {
    const res = await fetch(`${host.url}/api/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Health;
    expect(body).toMatchObject({ name: 'token-echo', status: 'ok', mode: 'validate' });
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.settings).toMatchObject({ TOKEN_ECHO_TENANT_ID: authority.tenant.id, TOKEN_ECHO_CLOCK_SKEW: 300 });
    expect(body.authority.v2.keys).toEqual({ ok: true, count: authority.tenant.keys.length });
    expect(body.authority.v1.metadata.issuer).toBe(`https://sts.windows.net/${authority.tenant.id}/`);
  });

  test('degraded when the authority is unreachable', async () => {
    const cut = await spawnHost({ env: envFor(authority, { TOKEN_ECHO_AUTHORITY: 'http://127.0.0.1:9', TOKEN_ECHO_FETCH_TIMEOUT: '2' }) });
    try {
      const body = (await (await fetch(`${cut.url}/api/health`)).json()) as Health;
      expect(body.status).toBe('degraded');
      expect(body.authority.v2.metadata.problem).toMatch(/127\.0\.0\.1:9/);
    } finally {
      await cut.stop();
    }
  });
});

describe('misuse fails loudly at start', () => {
  test('a malformed setting stops `serve` with the setting named (exit 78)', async () => {
    const result = await runCli(['serve', '--port', '0'], { TOKEN_ECHO_TENANT_ID: 'not a tenant', TOKEN_ECHO_CLOCK_SKEW: 'soon' });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('TOKEN_ECHO_TENANT_ID="not a tenant" is not valid: expected a tenant GUID');
    expect(result.stderr).toContain('TOKEN_ECHO_CLOCK_SKEW="soon" is not valid');
  });

  test('a bad flag is a usage error (exit 64)', async () => {
    const result = await runCli(['serve', '--port', 'x']);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/--port/);
  });
});

describe('secrets never leave', () => {
  test('no raw token or signature in any answer or log line', async () => {
    const token = await mint();
    await echo('/api/echo', { headers: { authorization: `Bearer ${token}` } });
    const logs = await host.waitForOutput(/token-echo report [0-9a-f-]{36} verdict=valid/);
    for (const t of sentTokens) {
      const signature = t.split('.')[2] as string;
      for (const answer of answers) expect(answer).not.toContain(signature);
      expect(logs).not.toContain(t);
      expect(logs).not.toContain(signature);
    }
    expect(sentTokens.length).toBeGreaterThan(5);
    expect(logs).toMatch(/token-echo report [0-9a-f-]{36} verdict=valid/);
  });
});
