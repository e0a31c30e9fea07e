import { randomBytes } from 'node:crypto';

import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';

import { MAX_INPUT_CHARS, explainError } from '../../src/explain/aadsts.js';
import { CATALOGUE, ERROR_CODES_REFERENCE } from '../../src/explain/catalog.js';
import { makeTestClientSecret, mintTestJwt } from '../helpers/test-credentials.js';
import { IDS, PER_CONNECTOR_REDIRECT, SAMPLES, flowActionOutput, signInPage, tokenEndpointBody } from './messages.js';

const REQUIRED = [50011, 65001, 500011, 7000218, 70021, 90009, 9010010, 50020, 50076, 50079, 53003, 700016, 7000215, 65004, 90094];
/** Codes the error-code reference does not list; their entries cite the page for their situation instead. */
const NOT_ON_REFERENCE_PAGE = new Set([70021, 9010010]);

describe('the catalogue', () => {
  test('has every code the connector symptoms need, and a sample message for each', () => {
    for (const code of REQUIRED) expect(CATALOGUE.has(code), `AADSTS${code}`).toBe(true);
    expect(SAMPLES.map((s) => s.code).sort()).toEqual([...CATALOGUE.keys()].sort());
  });

  test.each([...CATALOGUE.values()].map((e) => [e.code, e] as const))('AADSTS%i cites Microsoft sources and says cause and fix', (code, entry) => {
    expect(entry.sources.length).toBeGreaterThanOrEqual(2);
    for (const s of entry.sources) expect(s).toMatch(/^https:\/\/(learn\.microsoft\.com\/|github\.com\/microsoft\/)/);
    if (!NOT_ON_REFERENCE_PAGE.has(code)) expect(entry.sources[0]).toBe(ERROR_CODES_REFERENCE);
    expect(entry.name).toMatch(/^[A-Z][A-Za-z_]+$/);
    for (const text of [entry.title, entry.cause, entry.fix]) expect(text.length).toBeGreaterThan(20);
  });
});

describe.each([
  ['the sign-in page', (s: (typeof SAMPLES)[number]) => signInPage(s.sentence), '2026-12-05T07:01:02.345Z'],
  ['the token endpoint JSON error', tokenEndpointBody, '2026-12-05 07:01:02Z'],
  ['a flow action output', (s: (typeof SAMPLES)[number]) => flowActionOutput(s.sentence), '2026-12-05 07:01:02Z'],
])('messages copied from %s', (_where, shape, timestamp) => {
  test.each(SAMPLES.map((s) => [s.code, s] as const))('AADSTS%i is recognised, with everything it names', (code, sample) => {
    const e = explainError(shape(sample));
    expect(e.status).toBe('recognised');
    expect(e.code).toBe(code);
    expect(e.entry?.code).toBe(code);
    expect(e.summary).toMatch(new RegExp(`^AADSTS${code} \\(${e.entry?.name}\\): `));
    expect(e.extracted.message).toBe(sample.sentence);
    expect(e.extracted).toMatchObject({ traceId: IDS.trace, correlationId: IDS.correlation, timestamp, ...sample.expect });
    for (const key of ['appId', 'redirectUri', 'resource', 'tenant'] as const) {
      if (sample.expect[key] === undefined) expect(e.extracted[key], key).toBeUndefined();
    }
  });
});

describe('the explanation speaks about this very message', () => {
  const sample = (code: number) => SAMPLES.find((s) => s.code === code)!;

  test('50011 names the per-connector redirect URL and the connector it belongs to', () => {
    const e = explainError(signInPage(sample(50011).sentence));
    expect(e.notes.join('\n')).toContain(`${PER_CONNECTOR_REDIRECT} is the per-connector redirect URL of connector "contoso-20echo-5f1a2b3c4d5e6f7a8b"`);
  });

  test('50011 with the global redirect URL says the connector still sends it', () => {
    const e = explainError(sample(50011).sentence.replace(PER_CONNECTOR_REDIRECT, 'https://global.consent.azure-apim.net/redirect'));
    expect(e.notes[0]).toMatch(/is the global redirect URL/);
  });

  test('50011 in its older wording (no URI named) does not take the app ID for a redirect URI', () => {
    const e = explainError(`AADSTS50011: The reply URL specified in the request does not match the reply URLs configured for the application: '${IDS.app}'. More details: not specified`);
    expect(e.extracted.redirectUri).toBeUndefined();
    expect(e.extracted.appId).toBe(IDS.app);
    expect(e.notes[0]).toMatch(/did not name the redirect URI/);
  });

  test('65001 naming Azure API Connections says which first-party app that is', () => {
    const e = explainError(sample(65001).sentence.replace(IDS.app, 'fe053c5f-3692-4f14-aef2-ee34fc081cae'));
    expect(e.client?.name).toBe('Azure API Connections');
    expect(e.notes.join('\n')).toMatch(/fe053c5f-3692-4f14-aef2-ee34fc081cae is Azure API Connections, a Microsoft first-party app/);
  });

  test('a Microsoft resource is named (Dataverse with its org, the flow service)', () => {
    const dataverse = explainError("AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access 'https://contoso.crm4.dynamics.com'.");
    expect(dataverse.audience).toMatchObject({ name: 'Dataverse', organisation: 'contoso' });
    expect(explainError(sample(50079).sentence).audience?.name).toBe('Power Automate (flow service)');
  });

  test('90009 points at the same app on both ends', () => {
    const e = explainError(`AADSTS90009: Application '${IDS.app}'(Contoso Echo) is requesting a token for itself. This scenario is supported only if resource is specified using the GUID based App Identifier. resource=api%3A%2F%2F${IDS.app}`);
    expect(e.extracted.resource).toBe(`api://${IDS.app}`);
    expect(e.notes[0]).toContain('the same app on both ends');
  });

  test('several codes: the first is explained, the others are listed', () => {
    const e = explainError(`${sample(7000215).sentence} Inner: AADSTS7000222: The provided client secret keys are expired.`);
    expect(e.code).toBe(7000215);
    expect(e.extracted.codes).toEqual([7000215, 7000222]);
  });
});

describe('codes outside the catalogue, and text without one', () => {
  test('an unknown code gets an honest answer with what was extracted', () => {
    const e = explainError(tokenEndpointBody({ code: 700082, error: 'invalid_grant', sentence: 'AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2026-06-01T00:00:00Z and was inactive for 90.00:00:00.', expect: {} }));
    expect(e.status).toBe('not_in_catalogue');
    expect(e.code).toBe(700082);
    expect(e.entry).toBeNull();
    expect(e.summary).toMatch(/AADSTS700082 is not in token-echo's catalogue; look it up at https:\/\/learn\.microsoft\.com\/entra\/identity-platform\/reference-error-codes/);
    expect(e.extracted).toMatchObject({ traceId: IDS.trace, correlationId: IDS.correlation, error: 'invalid_grant' });
  });

  test.each([
    ['empty', ''],
    ['blank', ' \n\t '],
    ['prose', 'The connector does not work for my colleague, please help'],
    ['a number that is not an AADSTS code', 'Error 50011 happened'],
    ['HTML without a code', '<!DOCTYPE html><html><head><title>Sign in</title><script>var x = "AADSTS";</script></head><body><p>Sorry &amp; goodbye</p></body></html>'],
  ])('%s: no code, a clear message', (_what, text) => {
    const e = explainError(text);
    expect(e.status).toBe('no_code');
    expect(e.code).toBeNull();
    expect(e.summary).toMatch(/^No AADSTS code found\. Paste the whole error text/);
  });

  test('binary input is survived', () => {
    for (let i = 0; i < 50; i++) expect(explainError(randomBytes(4096).toString('latin1')).status).toBe('no_code');
    const e = explainError(`\u0000\u001b[31m${SAMPLES[0]!.sentence}\u009b2J\u0007`);
    expect(e.code).toBe(50011);
    expect(JSON.stringify(e)).not.toMatch(/\\u001b|\\u009b|\\u0007/);
  });

  test('a token pasted by mistake: told to use inspect, and the token is not repeated', () => {
    const token = `eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.${Buffer.from(JSON.stringify({ aud: 'api://x', sub: 'y' })).toString('base64url')}.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl`;
    const e = explainError(`Bearer ${token}`);
    expect(e.status).toBe('no_code');
    expect(e.summary).toMatch(/looks like a token.*token-echo inspect -/);
    expect(JSON.stringify(e)).not.toContain(token.split('.')[2]);
  });

  test('the sign-in page as HTML source: tags and entities undone', () => {
    const html = `<html><body><div id="error"><span>AADSTS50011: The redirect URI &#39;${PER_CONNECTOR_REDIRECT}&#39; specified in the request does not match the redirect URIs configured for the application &#39;${IDS.app}&#39;.</span><div>Request Id: ${IDS.trace}</div><div>Correlation Id: ${IDS.correlation}</div></div></body></html>`;
    const e = explainError(html);
    expect(e.extracted).toMatchObject({ redirectUri: PER_CONNECTOR_REDIRECT, appId: IDS.app, traceId: IDS.trace, correlationId: IDS.correlation });
  });

  test('huge input: only the first part is read, and that is said', () => {
    const filler = 'x'.repeat(MAX_INPUT_CHARS);
    const early = explainError(`${SAMPLES[1]!.sentence}\n${filler}`);
    expect(early).toMatchObject({ status: 'recognised', code: 65001, truncated: true });
    const late = explainError(`${filler}\n${SAMPLES[1]!.sentence}`);
    expect(late).toMatchObject({ status: 'no_code', truncated: true });
    const started = performance.now();
    explainError(`AADSTS${'9'.repeat(10)} ${"redirect URI '".repeat(20_000)} ${'&#39;'.repeat(20_000)} <${'a'.repeat(100_000)}`);
    // A pathological paste is still answered in well under a second on a loaded machine.
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('nothing secret comes back', () => {
  const secret = makeTestClientSecret();
  // Minted before the tests run; each text below is a function of it.
  let token = '';
  beforeAll(async () => {
    token = await mintTestJwt();
  });
  const code = '0.AXoAv4j5cvGGr0GRqy180BHbR1xKmYpNXn5Mg1Lzrxw-Zp4CAAA.AgABAAIAAAAmoFfGtYxvRrNriQdPKIZ-AgDs_wUA9P-long-code';
  test.each([
    ['a token request body', () => `client_id=${IDS.app}&client_secret=${encodeURIComponent(secret)}&code=${code}&redirect_uri=${encodeURIComponent(PER_CONNECTOR_REDIRECT)}&grant_type=authorization_code\n${SAMPLES[0]!.sentence} client_secret=${secret}`],
    ['a flow output with the request headers', (t: string) => `{"headers":{"Authorization":"Bearer ${t}","x-functions-key":"k3yk3yk3yk3yk3yk3y"},"body":"${SAMPLES[6]!.sentence} refresh_token=${code} resource=https://contoso.crm.dynamics.com&access_token=${t}"}`],
    ['a redirect response URL', (t: string) => `${SAMPLES[1]!.sentence} redirect URI '${PER_CONNECTOR_REDIRECT}?code=${code}&state=xyz&id_token=${t}'`],
    ['a secret inside the sentence', () => `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value ${secret}, not the client secret ID, for a secret added to app '${IDS.app}'.`],
  ])('%s', (_what, textOf: (t: string) => string) => {
    const out = JSON.stringify(explainError(textOf(token)));
    for (const s of [secret, encodeURIComponent(secret), token, token.split('.')[2]!, code, 'k3yk3yk3y']) expect(out).not.toContain(s);
    expect(out).toMatch(/AADSTS\d+/);
  });
});

describe('adversarial pastes are answered in linear time', () => {
  const n = 30_000;
  test.each([
    ['<script repeated', '<script>'.repeat(n)],
    ['tenant phrases without an end', "AADSTS500011: in the tenant named x in tenant 'y in the directory 'z ".repeat(n / 10)],
    ['one huge word', `AADSTS50011: ${'a'.repeat(MAX_INPUT_CHARS - 20)}`],
    ['tildes and equals', `AADSTS65001: ${'client_secret=a~'.repeat(n / 2)}`],
    ['resource phrases', `AADSTS500011: ${"resource principal named x to access 'y on the resource 'z resource=".repeat(n / 20)}`],
    ['entities and tags', `<p>AADSTS50011 ${'&#39;<b '.repeat(n)}`],
    ['tags without an end', `<div>AADSTS50011 ${'<'.repeat(MAX_INPUT_CHARS - 20)}`],
    ['a far end', `<div>AADSTS50011 ${'<a '.repeat(n)}${'x'.repeat(5000)}>`],
  ])('%s', (_what, text) => {
    const started = performance.now();
    const e = explainError(text);
    // Generous for a loaded 2-core machine (each takes a few ms here): a quadratic pattern on this input takes minutes.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(JSON.stringify(e).length).toBeLessThan(20_000);
  });
});

describe('any text gets an answer, never a throw (fast-check)', () => {
  // Seeded and reproducible, as test/inspect/fuzz.test.ts: FUZZ_RUNS raises the count, FUZZ_SEED changes it.
  const runs = Number(process.env['FUZZ_RUNS'] ?? 300);
  const seed = Number(process.env['FUZZ_SEED'] ?? 14);
  const fragments = fc.constantFrom(...SAMPLES.map((s) => s.sentence), 'AADSTS', 'Trace ID: ', '<div>', '&#39;', '{"error":', '\\r\\n', 'client_secret=', 'eyJ', "'", '\u001b[', 'redirect URI ');

  test('the explanation is well formed, bounded, and free of control characters', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fragments, fc.string(), fc.string({ unit: 'binary' })), { maxLength: 20 }), (parts) => {
        const e = explainError(parts.join(''));
        expect(['recognised', 'not_in_catalogue', 'no_code']).toContain(e.status);
        expect(e.status === 'no_code').toBe(e.code === null);
        const json = JSON.stringify(e);
        expect(json.length).toBeLessThan(20_000);
        expect(json).not.toMatch(/\\u00(?:0[0-8bcef]|1[0-9a-f])|[\u007f-\u009f]/);
      }),
      { numRuns: runs, seed },
    );
  });
});
