import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { type Ingestion, startIngestion } from '../helpers/ingestion.js';
import { type SpawnedHost, runCli, spawnHost } from '../helpers/spawn-host.js';
import { leakCall, leaked } from '../leaks/secrets.js';

/**
 * Issue 11, every leak path end to end: one call carrying each secret the issue names (a raw key in
 * Authorization, secret query parameters and headers, App Service's URL headers, a credential-like
 * name no list knows) through the built host with strict mode, the memory history and the real
 * Application Insights SDK posting to a local ingestion endpoint. None of the secrets may appear in
 * the answer, its headers (WWW-Authenticate included), the host's log, the bytes sent to ingestion,
 * the history, or the CLI's output. (The viewer's DOM: viewer-leaks.test.ts.)
 */
const QUIET_SDK = { APPLICATION_INSIGHTS_NO_STATSBEAT: 'true', APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true', APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true', OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os' };
const KEY = 'leak-test-key';
let ingestion: Ingestion;
let host: SpawnedHost;

beforeAll(async () => {
  ingestion = await startIngestion();
  host = await spawnHost({
    env: {
      ...QUIET_SDK,
      NODE_EXTRA_CA_CERTS: ingestion.certFile,
      APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${randomUUID()};IngestionEndpoint=${ingestion.url};LiveEndpoint=${ingestion.url}`,
      TOKEN_ECHO_STRICT: 'true',
      TOKEN_ECHO_LOG_CLAIMS: 'all',
      TOKEN_ECHO_LOCAL_KEY: KEY,
    },
  });
}, 60_000);
afterAll(async () => {
  await host?.stop();
  await ingestion?.stop();
});

describe('no secret leaves, by any path', () => {
  test('answer, WWW-Authenticate, log line, telemetry on the wire, history', { timeout: 40_000 }, async () => {
    const call = leakCall();
    // A bearer token too: its claims are shown, its signature and the token itself never.
    const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
    const signature = randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '');
    const token = `${b64({ alg: 'RS256', kid: 'k' })}.${b64({ aud: 'api://leak', exp: 4_102_444_800, ver: '2.0' })}.${signature}`;
    call.secrets['bearer token'] = token;
    call.secrets['bearer signature'] = signature;
    const bearer = await fetch(`${host.url}/api/echo/bearer`, { headers: { authorization: `Bearer ${token}` } });
    const bearerId = bearer.headers.get('x-token-echo-report-id') ?? '';
    expect(leaked([...bearer.headers].join('\n') + (await bearer.text()), call.secrets), 'bearer answer').toEqual([]);
    const res = await fetch(`${host.url}/api/echo${call.pathAndQuery}`, { headers: call.headers });
    expect(res.status).toBe(401);
    const reportId = res.headers.get('x-token-echo-report-id') ?? '';
    const answer = [...res.headers].map(([n, v]) => `${n}: ${v}`).join('\n') + (await res.text());
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(leaked(answer, call.secrets), 'answer and its headers').toEqual([]);

    const history = await (await fetch(`${host.url}/api/reports?limit=10`, { headers: { 'x-functions-key': KEY } })).text();
    expect(history).toContain(reportId);
    expect(history).toContain(bearerId);
    expect(leaked(history, call.secrets), 'history').toEqual([]);
    const one = await (await fetch(`${host.url}/api/reports/${reportId}`, { headers: { 'x-functions-key': KEY } })).text();
    expect(leaked(one, call.secrets), 'history entry').toEqual([]);

    await host.waitForOutput(new RegExp(`report ${reportId}`));
    expect(leaked(host.output(), call.secrets), 'log').toEqual([]);

    const deadline = Date.now() + 30_000;
    while (!ingestion.bodies.some((b) => b.includes(reportId)) || !ingestion.bodies.some((b) => b.includes(bearerId))) {
      if (Date.now() > deadline) throw new Error('no telemetry arrived');
      await new Promise((r) => setTimeout(r, 100));
    }
    // Whatever else the SDK sends (dependencies, exceptions) is on the wire too, and checked.
    await new Promise((r) => setTimeout(r, 1000));
    expect(leaked(ingestion.bodies.join('\n'), call.secrets), 'telemetry bytes').toEqual([]);
  });

  test('the CLI: a raw key, a whole Authorization line or a --json report never print it', async () => {
    const call = leakCall();
    const rawKey = call.secrets['authorization'] ?? '';
    for (const [args, input] of [
      [['inspect', '-'], `Authorization: ${rawKey}`],
      [['inspect', '-', '--json'], `Authorization: ${rawKey}`],
      [['inspect', '-'], rawKey],
      [['inspect', `Authorization: ${rawKey}`], ''],
    ] as const) {
      const out = await runCli([...args], {}, input);
      expect(out.code, out.stderr).not.toBe(64);
      expect(leaked(out.stdout + out.stderr, { rawKey }), `${args.join(' ')}`).toEqual([]);
    }
  });
});
