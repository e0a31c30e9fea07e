import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

import { loadConfig } from '../../src/config.js';
import { challenge, logLine } from '../../src/handlers/echo.js';
import { inspect } from '../../src/inspect/inspect.js';
import { isCredentialName, redactHeader, redactUrl } from '../../src/inspect/redact.js';
import type { Report } from '../../src/report/report.js';
import { telemetryEvent } from '../../src/sinks/telemetry-event.js';
import { leakCall, leaked, unknownCredentialName } from './secrets.js';
import { mintTestJwt } from '../helpers/test-credentials.js';

/**
 * Redaction by rule (issue 11): what a value is decides whether it is shown. Every secret the issue
 * names, and names the rule has never seen, never reach the report, hence no sink; and a report
 * does not depend on a secret value at all, only on its length, whatever that length.
 */
const settings = loadConfig({});
const FIXED = { now: new Date('2026-12-01T00:00:00Z'), id: '00000000-0000-4000-8000-000000000000' };

function reportOf(url: string, headers: Record<string, string>): Promise<Report> {
  return inspect({ method: 'GET', url, headers: Object.entries(headers), bodySize: 0 }, settings, null, FIXED);
}

describe('every secret of the issue', () => {
  test('is absent from the report, the log line, WWW-Authenticate and the telemetry event', async () => {
    const call = leakCall();
    const report = await reportOf(`http://localhost/api/echo${call.pathAndQuery}`, call.headers);
    const sinks = {
      report: JSON.stringify(report),
      challenge: challenge(report),
      logLine: logLine(report),
      telemetryIdentifiers: JSON.stringify(telemetryEvent(report, 'identifiers')),
      telemetryAll: JSON.stringify(telemetryEvent(report, 'all')),
    };
    for (const [sink, text] of Object.entries(sinks)) expect(leaked(text, call.secrets), sink).toEqual([]);
    expect(report.reasons[0]?.code).toBe('NOT_BEARER');
    expect(report.request.query['id']).toBe('42');
  });

  test('a raw key in Authorization is shown by its length only, and never quoted in NOT_BEARER', async () => {
    const report = await reportOf('/api/echo', { authorization: 'sk_live_51HxAbCdEfGh' });
    expect(report.request.headers['authorization']).toBe('[redacted] (20 chars)');
    const reason = report.reasons.find((r) => r.code === 'NOT_BEARER');
    expect(reason?.message).toMatch(/20 chars, not shown/);
    expect(JSON.stringify(report)).not.toContain('sk_live');
    expect(report.summary).not.toContain('sk_live');
  });

  test('a known scheme is named, its credentials are not', async () => {
    const report = await reportOf('/api/echo', { authorization: 'basic dXNlcjpwYXNzd29yZA==' });
    expect(report.request.headers['authorization']).toBe('Basic [redacted] (20 chars)');
    expect(report.reasons[0]?.message).toBe('the Authorization header uses the "Basic" scheme, not Bearer.');
    for (const scheme of ['Digest', 'Negotiate', 'NTLM', 'PoP', 'SharedAccessSignature']) {
      const r = await reportOf('/api/echo', { authorization: `${scheme} c2VjcmV0` });
      expect(r.request.headers['authorization']).toBe(`${scheme} [redacted] (8 chars)`);
    }
  });
});

describe('the rule', () => {
  test.each([
    ['refresh_token', true],
    ['api_key', true],
    ['apiKey', true],
    ['mySig', true],
    ['x-hub-signature-256', true],
    ['subscription-key', true],
    ['client_assertion', true],
    ['passwd', true],
    ['pwd', true],
    ['x-csrf-token', true],
    ['x-ms-client-session-id', false],
    ['x-ms-client-principal-name', false],
    ['x-ms-client-principal-id', false],
    ['x-ms-correlation-id', false],
    ['x-ms-client-request-id', false],
    ['design', false],
    ['id', false],
    ['user-agent', false],
  ])('%s is a credential name: %s', (name, expected) => {
    expect(isCredentialName(name)).toBe(expected);
  });

  test('a JWT or a scheme with credentials is redacted whatever the header is called', async () => {
    const jwt = await mintTestJwt();
    expect(redactHeader('x-original-token-carrier', jwt)).toBe(`[redacted] (${jwt.length} chars)`);
    expect(redactHeader('x-forwarded-client', 'Bearer abc')).toBe('[redacted] (10 chars)');
    expect(redactHeader('x-ms-correlation-id', 'c0ffee')).toBe('c0ffee');
  });

  test('URLs keep their shape, with credential parameters, fragments and user info redacted', () => {
    expect(redactUrl('/api/echo/x?code=abc&id=1')).toBe('/api/echo/x?code=[redacted] (3 chars)&id=1');
    expect(redactUrl('https://u:p@h/cb#access_token=abcd&state=s')).toBe('https://[redacted] (3 chars)@h/cb#access_token=[redacted] (4 chars)&state=s');
    expect(redactHeader('x-ms-trigger-callback-url', 'https://prod.logic.azure.com/workflows/1/triggers/manual/paths/invoke?api-version=2016&sp=%2Fread&sv=1.0&sig=SIGVALUE')).toBe(
      'https://prod.logic.azure.com/workflows/1/triggers/manual/paths/invoke?api-version=2016&sp=%2Fread&sv=1.0&sig=[redacted] (8 chars)',
    );
  });
});

/** Two reports equal but for the values the rule hides: nothing of the secret but its length can be in them. */
const normalized = (r: Report): string => JSON.stringify(r);

describe('non-interference, for values of every length (fast-check)', () => {
  const value = (min: number, max: number): fc.Arbitrary<[string, string]> =>
    fc.integer({ min, max }).chain((n) =>
      fc.tuple(
        fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.~'), minLength: n, maxLength: n }),
        fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.~'), minLength: n, maxLength: n }),
      ),
    );
  const names = fc.oneof(fc.constantFrom('x-apikey', 'x-auth-token', 'apikey', 'x-amz-security-token', 'x-goog-api-key', 'cookie'), fc.constant(null).map(() => unknownCredentialName()));
  const runs = { numRuns: 1000, seed: 11 };

  test('a raw key in Authorization (1 to 300 characters)', async () => {
    await fc.assert(
      fc.asyncProperty(value(1, 300), async ([a, b]) => {
        // A raw key that happens to read "Bearer..." or a known scheme is another case; the rest must not matter.
        fc.pre(!/^(bearer|basic|digest|negotiate|ntlm|pop|dpop|token|apikey|mac|hawk|oauth|gnap|hoba|mutual|vapid|kerberos)$/i.test(a) && !/^(bearer|basic|digest|negotiate|ntlm|pop|dpop|token|apikey|mac|hawk|oauth|gnap|hoba|mutual|vapid|kerberos)$/i.test(b));
        const ra = await reportOf('/api/echo', { authorization: `k${a}` });
        const rb = await reportOf('/api/echo', { authorization: `k${b}` });
        expect(normalized(ra)).toBe(normalized(rb));
      }),
      runs,
    );
  });

  test('a credential header, named or never seen (0 to 300 characters)', async () => {
    await fc.assert(
      fc.asyncProperty(names, value(0, 300), async (name, [a, b]) => {
        const ra = await reportOf('/api/echo', { [name]: a, 'x-ms-correlation-id': 'c' });
        const rb = await reportOf('/api/echo', { [name]: b, 'x-ms-correlation-id': 'c' });
        expect(normalized(ra)).toBe(normalized(rb));
      }),
      runs,
    );
  });

  test('a credential query parameter, in the query and in the URL headers App Service adds (0 to 300 characters)', async () => {
    const queryNames = fc.oneof(fc.constantFrom('code', 'refresh_token', 'api_key', 'apikey', 'password', 'client_assertion', 'subscription-key', 'secret'), names);
    await fc.assert(
      fc.asyncProperty(queryNames, value(0, 300), async (name, [a, b]) => {
        const make = (v: string): Promise<Report> => {
          const q = `?${encodeURIComponent(name)}=${encodeURIComponent(v)}&id=1`;
          return reportOf(`/api/echo${q}`, { 'x-original-url': `/api/echo${q}`, 'x-waws-unencoded-url': `/api/echo?${name}=${v}&id=1`, referer: `https://x.test/p${q}` });
        };
        expect(normalized(await make(a))).toBe(normalized(await make(b)));
      }),
      runs,
    );
  });

  test('a bearer token\'s signature (1 to 400 characters): only the fingerprint changes', async () => {
    const head = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'k' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ aud: 'api://x', exp: 4_102_444_800, ver: '2.0' })).toString('base64url');
    const b64u = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 400 }).chain((n) => fc.tuple(fc.string({ unit: b64u, minLength: n, maxLength: n }), fc.string({ unit: b64u, minLength: n, maxLength: n }))), async ([a, b]) => {
        const ra = await reportOf('/api/echo', { authorization: `Bearer ${head}.${body}.${a}` });
        const rb = await reportOf('/api/echo', { authorization: `Bearer ${head}.${body}.${b}` });
        const strip = (r: Report): string => normalized(r).replaceAll(r.token?.fingerprint ?? '\u0000', 'FP');
        expect(strip(ra)).toBe(strip(rb));
      }),
      runs,
    );
  });
});
