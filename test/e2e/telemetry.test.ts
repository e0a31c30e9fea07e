import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { type DevAuthority, DEMO_API_CLIENT_ID, DEMO_CONNECTOR_CLIENT_ID, startAuthority } from '../../src/dev/authority.js';
import { type Envelope, type Ingestion, startIngestion } from '../helpers/ingestion.js';
import { ROOT, type SpawnedHost, spawnHost } from '../helpers/spawn-host.js';

/** The real Application Insights SDK, posting to a local HTTPS ingestion endpoint: what goes on the wire. */
let authority: DevAuthority;
let ingestion: Ingestion;
let host: SpawnedHost;
const iKey = randomUUID();

// The SDK's own side channels stay off in tests: statsbeat and live metrics would call Microsoft's endpoints.
const QUIET_SDK = { APPLICATION_INSIGHTS_NO_STATSBEAT: 'true', APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true', APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true', OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os' };

beforeAll(async () => {
  authority = await startAuthority();
  ingestion = await startIngestion();
  host = await spawnHost({
    env: {
      ...QUIET_SDK,
      NODE_EXTRA_CA_CERTS: ingestion.certFile,
      APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${iKey};IngestionEndpoint=${ingestion.url};LiveEndpoint=${ingestion.url}`,
      TOKEN_ECHO_TENANT_ID: authority.tenant.id,
      TOKEN_ECHO_AUTHORITY: authority.url,
      TOKEN_ECHO_AUDIENCES: DEMO_API_CLIENT_ID,
      TOKEN_ECHO_CLIENT_IDS: DEMO_CONNECTOR_CLIENT_ID,
    },
  });
}, 60_000);
afterAll(async () => {
  await host.stop();
  await ingestion.stop();
  await authority.stop();
});

const events = (reportId: string): Envelope[] =>
  ingestion.envelopes().filter((e) => e.data.baseType === 'EventData' && e.data.baseData.name === 'TokenEchoReport' && e.data.baseData.properties?.['reportId'] === reportId);

async function waitFor<T>(get: () => T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for telemetry');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Application Insights', () => {
  test('one TokenEchoReport event per call, with its dimensions, joined to the invocation\'s operation', { timeout: 40_000 }, async () => {
    const token = await authority.mint();
    const traceId = randomUUID().replace(/-/g, '');
    const res = await fetch(`${host.url}/api/echo/orders`, {
      method: 'POST',
      body: '{}',
      headers: {
        authorization: `Bearer ${token}`,
        traceparent: `00-${traceId}-b7ad6b7169203331-01`,
        'x-ms-correlation-id': 'corr-123',
        'x-ms-client-request-id': 'req-456',
        'x-ms-apihub-obo': 'true',
        'user-agent': 'CopilotStudio PowerFx/1.99.0-local',
      },
    });
    expect(res.status).toBe(200);
    const reportId = res.headers.get('x-token-echo-report-id') ?? '';
    const [event] = await waitFor(() => (events(reportId).length > 0 ? events(reportId) : undefined), 30_000);
    // Give a duplicate time to show up, then require exactly one.
    await new Promise((r) => setTimeout(r, 1500));
    expect(events(reportId)).toHaveLength(1);

    expect(event?.iKey).toBe(iKey);
    expect(event?.tags['ai.operation.id']).toBe(traceId);
    const p = event?.data.baseData.properties ?? {};
    expect(p).toMatchObject({
      reportId,
      verdict: 'valid',
      reasonCodes: '',
      aud: DEMO_API_CLIENT_ID,
      iss: `${authority.url}/${authority.tenant.id}/v2.0`,
      tid: authority.tenant.id,
      ver: '2.0',
      scp: 'access_as_user',
      client: DEMO_CONNECTOR_CLIENT_ID,
      kind: 'user',
      oboHeader: 'true',
      caller: 'copilot-studio',
      correlationId: 'corr-123',
      clientRequestId: 'req-456',
      method: 'POST',
      path: '/api/echo/orders',
    });
    expect(p['summary']).toMatch(/^Valid: /);
    expect(p['tokenFingerprint']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(p['oid']).toMatch(/^[0-9a-f-]{36}$/);
    for (const key of ['roles']) expect(p).toHaveProperty(key);
    const m = event?.data.baseData.measurements ?? {};
    expect(m['expiresInSeconds']).toBeGreaterThan(3000);
    expect(m['tokenAgeSeconds']).toBeGreaterThanOrEqual(60);

    // Nothing secret or personal on the wire: no token, no signature, no display name or e-mail.
    const wire = ingestion.bodies.join('\n');
    expect(wire).not.toContain(token);
    expect(wire).not.toContain(token.split('.')[2]);
    expect(wire).not.toContain(token.split('.')[1]);
    expect(wire).not.toContain('Adele Vance');
    expect(wire).not.toContain('adele@contoso.onmicrosoft.com');
  });
});

describe('a telemetry outage', () => {
  test('an unreachable ingestion endpoint neither fails nor slows the call', { timeout: 40_000 }, async () => {
    const { freePort } = await import('../../src/dev/free-port.js');
    const down = await spawnHost({ env: { ...QUIET_SDK, APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${randomUUID()};IngestionEndpoint=https://127.0.0.1:${await freePort()}/` } });
    try {
      for (let i = 0; i < 5; i += 1) {
        const started = Date.now();
        const res = await fetch(`${down.url}/api/echo`);
        expect(res.status).toBe(200);
        expect(Date.now() - started).toBeLessThan(1000);
      }
    } finally {
      await down.stop();
    }
  });
});

describe('the SDK is not loaded without a connection string', () => {
  const loadedModules = (env: Record<string, string>): number =>
    Number(
      execFileSync(process.execPath, ['-e', "require('./dist/src/runtime.js').createRuntime(process.env); console.log(Object.keys(require.cache).filter((k) => k.includes('node_modules/applicationinsights/')).length)"], {
        cwd: ROOT,
        env: { PATH: process.env['PATH'] ?? '', ...QUIET_SDK, ...env },
      })
        .toString()
        .trim(),
    );
  test('off: no applicationinsights module is required', () => {
    expect(loadedModules({})).toBe(0);
  });
  test('on: it is', () => {
    expect(loadedModules({ APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${randomUUID()};IngestionEndpoint=https://127.0.0.1:9/` })).toBeGreaterThan(0);
  });
});
