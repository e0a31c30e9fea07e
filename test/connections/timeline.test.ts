import { describe, expect, test } from 'vitest';

import { CONNECTION_FINDINGS, MAX_CONNECTIONS, MAX_TOKENS_PER_CONNECTION, apimConnection, buildTimeline, isSelfAudience } from '../../src/connections/timeline.js';
import type { Report } from '../../src/report/report.js';

/** The grouping module alone: bounds, the connection reference, the self-audience rule. (The scripted sequences run through the HTTP API in test/e2e/connections.test.ts.) */
function report(i: number, o: { referrer?: string; oid?: string; aud?: string; fingerprint?: string } = {}): Report {
  const at = Date.UTC(2026, 0, 1) + i * 1000;
  return {
    reportVersion: 1,
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    receivedAt: new Date(at).toISOString(),
    verdict: 'valid',
    summary: '',
    checks: [],
    reasons: [],
    token: {
      header: {},
      claims: { oid: o.oid ?? 'u1', aud: o.aud ?? 'api://x', azp: 'c1' },
      times: { iat: { epoch: at / 1000 - 60, iso: '' }, exp: { epoch: at / 1000 + 3600, iso: '' } },
      expiresIn: 3600,
      version: '2.0',
      kind: 'user',
      client: 'c1',
      fingerprint: o.fingerprint ?? `sha256:${String(i).padStart(64, '0')}`,
      claimDescriptions: {},
    },
    connector: { oboHeader: null, caller: 'unknown', headers: {} },
    request: { method: 'GET', path: '/api/echo', query: {}, headers: o.referrer ? { 'x-ms-apim-referrer': o.referrer } : {}, bodySize: 0, contentType: null },
  };
}

describe('buildTimeline', () => {
  test('bounded: at most MAX_TOKENS_PER_CONNECTION tokens (the newest) and MAX_CONNECTIONS connections (the most recent)', () => {
    const many = Array.from({ length: 300 }, (_, i) => report(i, { referrer: 'https://x.azure-apim.net/apim/c/conn1/x' }));
    const one = buildTimeline(many).connections[0];
    expect(one?.tokens).toHaveLength(MAX_TOKENS_PER_CONNECTION);
    expect(one?.tokensLeftOut).toBe(300 - MAX_TOKENS_PER_CONNECTION);
    expect(one?.tokens.at(-1)?.fingerprint).toBe(`sha256:${'299'.padStart(64, '0')}`);
    const spread = buildTimeline(Array.from({ length: 500 }, (_, i) => report(i, { oid: `u${i}` })));
    expect(spread.connections).toHaveLength(MAX_CONNECTIONS);
    expect(spread.connections[0]?.user).toBe('u499');
    expect(spread.connectionsLeftOut).toBe(500 - MAX_CONNECTIONS);
  });

  test('reads the connection from X-MS-APIM-Referrer, and nothing from junk', () => {
    expect(apimConnection('https://msmanaged-na.azure-apim.net/apim/shared_x/4b2c%2D1/invoke?code=[redacted] (3 chars)')).toEqual({ connector: 'shared_x', connection: '4b2c-1' });
    expect(apimConnection('https://example.com/other')).toBeNull();
    expect(apimConnection(undefined)).toBeNull();
    expect(apimConnection('/apim/%E0%A4%A/x')).toEqual({ connector: '%E0%A4%A', connection: 'x' });
  });

  test('a call without a token or reference is counted, not grouped', () => {
    const noToken = { ...report(1), token: null };
    expect(buildTimeline([noToken])).toMatchObject({ reportsRead: 1, ungrouped: 1, connections: [] });
  });

  test('self audience: the client ID or api://<client ID>; every finding has a severity, meaning and fix', () => {
    expect(isSelfAudience('api://ABC/', 'abc')).toBe(true);
    expect(isSelfAudience('abc', 'abc')).toBe(true);
    expect(isSelfAudience('api://other', 'abc')).toBe(false);
    for (const def of Object.values(CONNECTION_FINDINGS)) {
      expect(def.meaning.length).toBeGreaterThan(20);
      expect(def.fix.length).toBeGreaterThan(20);
    }
  });
});
