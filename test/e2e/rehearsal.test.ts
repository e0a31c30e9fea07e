import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { type DevAuthority, DEMO_API_CLIENT_ID, DEMO_API_URI, DEMO_CONNECTOR_CLIENT_ID, startAuthority } from '../../src/dev/authority.js';
import { MAX_SIZE_BYTES, PADDING_BUDGET_BYTES, REHEARSAL_STATUSES } from '../../src/handlers/rehearsal.js';
import type { Report } from '../../src/report/report.js';
import { expectSchemaValid } from '../helpers/schema.js';
import { type SpawnedHost, spawnHost } from '../helpers/spawn-host.js';

/** The rehearsal knobs of /api/echo, through `token-echo serve` over HTTP, as a flow or an agent would meet them. */
let authority: DevAuthority;
let host: SpawnedHost;
let token: string;

beforeAll(async () => {
  authority = await startAuthority();
  host = await spawnHost({
    env: {
      TOKEN_ECHO_TENANT_ID: authority.tenant.id,
      TOKEN_ECHO_AUTHORITY: authority.url,
      TOKEN_ECHO_AUDIENCES: `${DEMO_API_URI},${DEMO_API_CLIENT_ID}`,
      TOKEN_ECHO_SCOPES: 'access_as_user',
      TOKEN_ECHO_CLIENT_IDS: DEMO_CONNECTOR_CLIENT_ID,
    },
  });
  token = await authority.mint();
});
afterAll(async () => {
  await host.stop();
  await authority.stop();
});

async function call(query: string, authorization = `Bearer ${token}`): Promise<{ res: Response; text: string }> {
  const res = await fetch(`${host.url}/api/echo/orders${query}`, { headers: { authorization } });
  return { res, text: await res.text() };
}

/** What a report says, without what differs between two calls. */
function contentOf(report: Report): unknown {
  // The summary's time left ticks between two calls ("expires in 59 min"): compared without it.
  return { verdict: report.verdict, summary: report.summary.replace(/expires in [^,.;]+/, 'expires in …'), reasons: report.reasons.map((r) => r.code), checks: report.checks.map((c) => [c.name, c.status]) };
}

describe('off by default', () => {
  test('no knob: 200, the report, no rehearsal header', async () => {
    const { res, text } = await call('');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-token-echo-rehearsal')).toBeNull();
    expectSchemaValid(JSON.parse(text));
  });
});

describe('every status, with the same report', () => {
  test.each(REHEARSAL_STATUSES.map((s) => [s]))('?status=%i', async (status) => {
    const plain = JSON.parse((await call('')).text) as Report;
    const { res, text } = await call(`?status=${status}`);
    expect(res.status).toBe(status);
    const report = JSON.parse(text) as Report;
    expectSchemaValid(report);
    expect(contentOf(report)).toEqual(contentOf(plain));
    expect(res.headers.get('x-token-echo-verdict')).toBe('valid');
    expect(res.headers.get('x-token-echo-rehearsal')).toMatch(new RegExp(`^status=${status}`));
    expect(res.headers.get('retry-after')).toBe(status === 429 || status === 503 ? '10' : null);
    expect(res.headers.get('www-authenticate')).toBe(status === 401 ? 'Bearer realm="token-echo", error="invalid_token", error_description="rehearsal: token-echo was asked to refuse this call"' : null);
  });
});

describe('the WWW-Authenticate variants of RFC 6750 and RFC 9728', () => {
  test.each([
    ['bearer', 401, 'Bearer realm="token-echo"'],
    ['invalid_token', 401, 'Bearer realm="token-echo", error="invalid_token", error_description="rehearsal: token-echo was asked to refuse this call"'],
    ['insufficient_scope', 403, 'Bearer realm="token-echo", error="insufficient_scope", error_description="rehearsal: token-echo was asked to refuse this call", scope="access_as_user"'],
    ['resource_metadata', 401, 'Bearer resource_metadata="http://localhost:PORT/.well-known/oauth-protected-resource/api/echo/orders"'],
  ] as const)('?challenge=%s', async (challenge, status, header) => {
    const { res, text } = await call(`?challenge=${challenge}`);
    expect(res.status).toBe(status);
    expect(res.headers.get('www-authenticate')).toBe(header.replace('http://localhost:PORT', host.url));
    expect((JSON.parse(text) as Report).verdict).toBe('valid');
  });
});

describe('?size= pads the answer; the report is unchanged', () => {
  test.each([
    ['600k', 600 * 1024],
    ['2m', MAX_SIZE_BYTES],
    ['30000', 30000],
  ])('?size=%s: exactly %i bytes of the same JSON document', async (size, bytes) => {
    const { res, text } = await call(`?size=${size}`);
    expect(res.status).toBe(200);
    expect(Buffer.byteLength(text)).toBe(bytes);
    expect(res.headers.get('content-length')).toBe(String(bytes));
    const report = JSON.parse(text) as Report;
    expectSchemaValid(report);
    expect(contentOf(report)).toEqual(contentOf(JSON.parse((await call('')).text) as Report));
  });

  test('a size smaller than the report leaves it as it is', async () => {
    const { res, text } = await call('?size=10');
    expect(res.status).toBe(200);
    expect(text.trimEnd()).toBe(text);
    expectSchemaValid(JSON.parse(text));
  });
});

describe('?delay= answers late', () => {
  test('?delay=1.5 with ?status=503: at least 1.5 s, then the 503', async () => {
    const started = Date.now();
    const { res } = await call('?delay=1.5&status=503');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1450);
    expect(res.status).toBe(503);
    expect(res.headers.get('x-token-echo-rehearsal')).toBe('status=503; delay=1.5s');
  });

  test('?delay=0 answers at once: before a 3 s one sent at the same moment', async () => {
    const finished: string[] = [];
    await Promise.all(['?delay=3', '?delay=0'].map((q) => call(q).then(({ res }) => finished.push(`${q} ${res.status}`))));
    expect(finished).toEqual(['?delay=0 200', '?delay=3 200']);
  });
});

describe('out of range: a clear 400, before any report is made', () => {
  test.each([
    ['?status=418', 'status', /is not a rehearsal status: use one of 401, 403, 429, 500, 502, 503/],
    ['?challenge=insufficient_scope&status=401', 'challenge', /goes with \?status=403/],
    ['?challenge=digest', 'challenge', /not a challenge token-echo can send/],
    ['?delay=121', 'delay', /give seconds from 0 to 120/],
    ['?delay=abc', 'delay', /out of range/],
    ['?size=2097153', 'size', /give bytes from 0 to 2097152 \(2 MiB\)/],
    ['?size=10m', 'size', /out of range/],
  ])('%s', async (query, parameter, message) => {
    const { res, text } = await call(query);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = JSON.parse(text) as { error: string; parameter: string; message: string };
    expect(body).toMatchObject({ error: 'invalid_rehearsal', parameter });
    expect(body.message).toMatch(message);
    expect(res.headers.get('x-token-echo-report-id')).toBeNull();
  });
});

describe('the knobs cannot exhaust the app', () => {
  /** The host process's resident memory, from /proc (Linux). */
  const rss = (): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${host.child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

  test('many concurrent delayed, padded calls: bounded by the padding budget, the rest told to retry, memory bounded', async () => {
    const before = rss();
    const calls = 40;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rss())), 25);
    const results = await Promise.all(Array.from({ length: calls }, () => call('?delay=3&size=2m'))).finally(() => clearInterval(sampler));
    if (process.env['REHEARSAL_RSS_LOG']) console.log(`rss growth at peak: ${((peak - before) / 1024 / 1024).toFixed(1)} MiB`);
    // A guard, not the proof: measured 28-66 MiB with the budget, 76-121 MiB without it (40-80 calls),
    // too close to tell apart on a loaded machine. The proof is the count of answers served below.
    expect(peak - before).toBeLessThan(150 * 1024 * 1024);
    const ok = results.filter((r) => r.res.status === 200);
    const busy = results.filter((r) => r.res.status === 429);
    expect(ok.length + busy.length).toBe(calls);
    expect(ok.length).toBeLessThanOrEqual(PADDING_BUDGET_BYTES / MAX_SIZE_BYTES);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]?.res.headers.get('retry-after')).toBe('10');
    for (const r of ok) expect(Buffer.byteLength(r.text)).toBe(MAX_SIZE_BYTES);
    // Nothing stays held: a padded call is served again at once.
    expect((await call('?size=2m')).res.status).toBe(200);
    // And the process keeps serving plain calls.
    expect((await call('')).res.status).toBe(200);
  }, 60_000);
});
