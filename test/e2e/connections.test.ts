import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import type { Connection, Timeline } from '../../src/connections/timeline.js';
import { DEMO_API_CLIENT_ID, DEMO_API_URI, DEMO_CONNECTOR_CLIENT_ID, type DevAuthority, startAuthority } from '../../src/dev/authority.js';
import { type Azurite, startAzurite } from '../helpers/azurite.js';
import { type SpawnedHost, spawnHost } from '../helpers/spawn-host.js';

/**
 * GET /api/connections over HTTP, with the memory history and the table history on Azurite, after a
 * scripted sequence of calls as a connector makes them: a connection that refreshes its token, one
 * that reuses an expired token, an audience change (a stale connection still sending the old Resource
 * URL), and a token whose audience is its own client (AADSTS90009 on refresh).
 */
const KEY = 'connections-test-key';
const REGION = 'https://msmanaged-na.azure-apim.net/apim';
const client2 = '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e';
let azurite: Azurite;
let authority: DevAuthority;
beforeAll(async () => {
  [azurite, authority] = await Promise.all([startAzurite(), startAuthority()]);
});
afterAll(async () => {
  await Promise.all([azurite.stop(), authority.stop()]);
});

describe.each(['memory', 'table'] as const)('%s history: the connection timeline', (kind) => {
  let host: SpawnedHost;
  let timeline: Timeline & { history: string };
  const fingerprints: Record<string, string> = {};
  beforeAll(async () => {
    host = await spawnHost({
      env: {
        TOKEN_ECHO_LOCAL_KEY: KEY,
        TOKEN_ECHO_HISTORY: kind,
        TOKEN_ECHO_TENANT_ID: authority.tenant.id,
        TOKEN_ECHO_AUTHORITY: authority.url,
        TOKEN_ECHO_AUDIENCES: `${DEMO_API_URI},${DEMO_API_CLIENT_ID}`,
        ...(kind === 'table' ? { AzureWebJobsStorage: azurite.connectionString, TOKEN_ECHO_HISTORY_TABLE: `conn${Date.now()}` } : {}),
      },
    });
    const send = async (token: string, referrer?: string): Promise<void> => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'user-agent': 'azure-logic-apps/1.0 (workflow 1f0e; version 08584) microsoft-flow/1.0' };
      if (referrer !== undefined) headers['x-ms-apim-referrer'] = `${REGION}/${referrer}/invoke?api-version=2016-06-01&code=secret-looking`;
      const res = await fetch(`${host.url}/api/echo`, { headers });
      const body = (await res.json()) as { token: { fingerprint: string } };
      fingerprints[token] = body.token.fingerprint;
    };
    // A connection that refreshes: an old token near its end, then a new one.
    const old = await authority.mint({ issuedAt: -3000, notBefore: -3000, expiresIn: 600 });
    const fresh = await authority.mint();
    await send(old, 'shared_contoso-5fapi/conn-refresh');
    await send(fresh, 'shared_contoso-5fapi/conn-refresh');
    await send(fresh, 'shared_contoso-5fapi/conn-refresh');
    // A connection that keeps sending a token that expired an hour ago.
    const expired = await authority.mint({ issuedAt: -7200, notBefore: -7200, expiresIn: -3600 });
    await send(expired, 'shared_contoso-5fapi/conn-expired');
    await send(expired, 'shared_contoso-5fapi/conn-expired');
    // No connection reference: grouped by the token. The Resource URL was edited from DEMO_API_URI to the
    // client ID; the old connection keeps sending the old audience after the new one started.
    await send(await authority.mint({ version: '1.0', aud: DEMO_API_URI, client: client2 }));
    await send(await authority.mint({ aud: DEMO_API_CLIENT_ID, client: client2 }));
    await send(await authority.mint({ version: '1.0', aud: DEMO_API_URI, client: client2 }));
    // The connector app is the API app: aud api://<its own client ID>.
    await send(await authority.mint({ version: '1.0', aud: `api://${DEMO_API_CLIENT_ID}`, client: DEMO_API_CLIENT_ID }));
    const res = await fetch(`${host.url}/api/connections`, { headers: { 'x-functions-key': KEY } });
    expect(res.status).toBe(200);
    timeline = (await res.json()) as Timeline & { history: string };
  });
  afterAll(() => host.stop());

  const byKey = (key: string): Connection => {
    const found = timeline.connections.find((c) => c.key === key);
    if (!found) throw new Error(`no connection ${key} in ${timeline.connections.map((c) => c.key).join(', ')}`);
    return found;
  };
  const codes = (c: Connection): string[] => c.findings.map((f) => f.code);

  test('calls are grouped by the gateway\'s connection reference, else by user, app and audience', () => {
    expect(timeline.history).toBe(kind);
    expect(timeline.reportsRead).toBe(9);
    expect(timeline.connections).toHaveLength(5);
    const refresh = byKey('apim:shared_contoso-5fapi/conn-refresh');
    expect(refresh).toMatchObject({ groupedBy: 'x-ms-apim-referrer', connector: 'shared_contoso-5fapi', connection: 'conn-refresh', calls: 3, caller: 'power-automate' });
    expect(refresh.user).toBe('4c0d9f1e-7b2a-4e3c-9d8f-1a2b3c4d5e6f');
    expect(refresh.client).toBe(DEMO_CONNECTOR_CLIENT_ID);
    // Newest activity first.
    expect(timeline.connections[0]?.key).toBe(`token:4c0d9f1e-7b2a-4e3c-9d8f-1a2b3c4d5e6f|${DEMO_API_CLIENT_ID}|api://${DEMO_API_CLIENT_ID}`);
  });

  test('refresh: two tokens over time, with fingerprints, iat, exp and verdicts; no finding', () => {
    const refresh = byKey('apim:shared_contoso-5fapi/conn-refresh');
    expect(refresh.tokens).toHaveLength(2);
    const [first, second] = refresh.tokens;
    expect(first?.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Date.parse(first?.iat ?? '')).toBeLessThan(Date.parse(second?.iat ?? ''));
    expect(first).toMatchObject({ calls: 1, verdicts: { valid: 1 }, callsAfterExpiry: 0 });
    expect(second).toMatchObject({ calls: 2, verdicts: { valid: 2 } });
    expect(refresh.findings).toEqual([]);
  });

  test('expired reuse: EXPIRED_TOKEN_REUSED and NO_NEW_TOKEN', () => {
    const expired = byKey('apim:shared_contoso-5fapi/conn-expired');
    expect(expired.tokens).toHaveLength(1);
    expect(expired.tokens[0]).toMatchObject({ calls: 2, callsAfterExpiry: 2, verdicts: { invalid: 2 } });
    expect(codes(expired)).toEqual(['EXPIRED_TOKEN_REUSED', 'NO_NEW_TOKEN']);
    expect(expired.findings[0]?.message).toMatch(/^2 calls carried a token after it expired/);
    expect(expired.findings[1]?.message).toMatch(/^No new token for 2 h/);
    expect(expired.findings[0]?.fix).toMatch(/sign in again/);
  });

  test('audience change: the older connection, still used after the new audience started, is stale', () => {
    const stale = timeline.connections.find((c) => c.groupedBy === 'token' && c.client === client2 && c.audiences[0] === DEMO_API_URI);
    const current = timeline.connections.find((c) => c.groupedBy === 'token' && c.client === client2 && c.audiences[0] === DEMO_API_CLIENT_ID);
    expect(stale?.calls).toBe(2);
    expect(stale && codes(stale)).toEqual(['AUDIENCE_CHANGED']);
    expect(stale?.findings[0]?.message).toMatch(/a stale connection made before the Resource URL was edited/);
    expect(current && codes(current)).toEqual([]);
  });

  test('self token: SELF_TOKEN (AADSTS90009 on refresh)', () => {
    const self = timeline.connections[0] as Connection;
    expect(codes(self)).toContain('SELF_TOKEN');
    expect(self.findings.find((f) => f.code === 'SELF_TOKEN')?.message).toMatch(/AADSTS90009/);
  });

  test('nothing secret in the timeline; the key is required; bad filters are named', async () => {
    const text = JSON.stringify(timeline);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/);
    expect(text).not.toContain('secret-looking');
    expect((await fetch(`${host.url}/api/connections`)).status).toBe(401);
    const bad = await fetch(`${host.url}/api/connections?limit=0`, { headers: { 'x-functions-key': KEY } });
    expect(bad.status).toBe(400);
    const few = (await (await fetch(`${host.url}/api/connections?limit=2`, { headers: { 'x-functions-key': KEY } })).json()) as Timeline;
    expect(few.reportsRead).toBe(2);
  });
});
