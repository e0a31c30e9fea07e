import { describe, expect, test } from 'vitest';

import {
  CHALLENGES,
  MAX_SIZE_BYTES,
  MAX_WAITING,
  PADDING_BUDGET_BYTES,
  REHEARSAL_STATUSES,
  challengeFor,
  metadataUrl,
  parseRehearsal,
  rehearsalLoad,
  rehearse,
} from '../../src/handlers/rehearsal.js';

const q = (s: string) => new URLSearchParams(s);
const plan = (s: string) => {
  const r = parseRehearsal(q(s));
  if (!r.ok) throw new Error(r.message);
  return r.plan;
};
const refusal = (s: string) => {
  const r = parseRehearsal(q(s));
  if (r.ok) throw new Error(`${s} was accepted`);
  return r;
};

describe('parseRehearsal: the knobs are off unless asked for', () => {
  test.each(['', 'strict=true', 'pretty', 'code=abc&x=1', 'status=&delay=&size=&challenge='])('%j: no plan', (s) => {
    expect(plan(s)).toBeNull();
  });

  test.each(REHEARSAL_STATUSES.map((s) => [s]))('?status=%i', (status) => {
    expect(plan(`status=${status}`)).toEqual({ status, challenge: status === 401 ? 'invalid_token' : null, delayMs: 0, size: null });
  });

  test.each([
    ['bearer', 401],
    ['invalid_token', 401],
    ['resource_metadata', 401],
    ['insufficient_scope', 403],
  ] as const)('?challenge=%s implies %i, and is accepted with it', (challenge, status) => {
    expect(plan(`challenge=${challenge}`)).toMatchObject({ status, challenge });
    expect(plan(`challenge=${challenge}&status=${status}`)).toMatchObject({ status, challenge });
  });

  test.each([
    ['0', 0],
    ['2', 2000],
    ['2.5', 2500],
    ['0.001', 1],
    ['120', 120_000],
  ])('?delay=%s waits %i ms', (text, ms) => {
    expect(plan(`delay=${text}`)).toMatchObject({ status: null, delayMs: ms });
  });

  test.each([
    ['0', 0],
    ['1', 1],
    ['600k', 600 * 1024],
    ['600KB', 600 * 1024],
    ['2m', MAX_SIZE_BYTES],
    ['2MB', MAX_SIZE_BYTES],
    [String(MAX_SIZE_BYTES), MAX_SIZE_BYTES],
  ])('?size=%s is %i bytes', (text, bytes) => {
    expect(plan(`size=${text}`)).toMatchObject({ size: bytes });
  });

  test('knobs combine', () => {
    expect(plan('status=503&delay=1&size=1k')).toEqual({ status: 503, challenge: null, delayMs: 1000, size: 1024 });
  });
});

describe('parseRehearsal: out of range is refused with a message naming the parameter', () => {
  test.each([
    ['status=200', 'status', /\?status="200" is not a rehearsal status: use one of 401, 403, 429, 500, 502, 503/],
    ['status=400', 'status', /not a rehearsal status/],
    ['status=418', 'status', /not a rehearsal status/],
    ['status=4O1', 'status', /not a rehearsal status/],
    ['status=401&status=403', 'status', /give \?status= once/],
    ['challenge=basic', 'challenge', /not a challenge token-echo can send: use one of bearer, invalid_token, insufficient_scope, resource_metadata/],
    ['challenge=insufficient_scope&status=401', 'challenge', /goes with \?status=403 \(RFC 6750 section 3\.1\), not 401/],
    ['challenge=invalid_token&status=403', 'challenge', /goes with \?status=401/],
    ['challenge=bearer&status=500', 'challenge', /goes with \?status=401/],
    ['delay=121', 'delay', /\?delay="121" is out of range: give seconds from 0 to 120/],
    ['delay=-1', 'delay', /out of range/],
    ['delay=1e3', 'delay', /out of range/],
    ['delay=0.0001', 'delay', /out of range/],
    ['delay=Infinity', 'delay', /out of range/],
    ['size=2097153', 'size', /\?size="2097153" is out of range: give bytes from 0 to 2097152 \(2 MiB\)/],
    ['size=3m', 'size', /out of range/],
    ['size=-5', 'size', /out of range/],
    ['size=1.5m', 'size', /out of range/],
    ['size=99999999999999', 'size', /out of range/],
    ['size=1g', 'size', /out of range/],
  ])('%s', (s, parameter, message) => {
    const r = refusal(s);
    expect(r.parameter).toBe(parameter);
    expect(r.message).toMatch(message);
  });

  test('a value echoed back is cut and printable', () => {
    const r = refusal(`status=${encodeURIComponent('\u001b[31m' + 'x'.repeat(500))}`);
    expect(r.message).not.toMatch(/[^\x20-\x7e]/);
    expect(r.message.length).toBeLessThan(200);
  });
});

describe('the WWW-Authenticate variants', () => {
  const url = 'https://echo.example.net/api/echo/orders?x=1';
  test.each([
    ['bearer', 'Bearer realm="token-echo"'],
    ['invalid_token', 'Bearer realm="token-echo", error="invalid_token", error_description="rehearsal: token-echo was asked to refuse this call"'],
    ['insufficient_scope', 'Bearer realm="token-echo", error="insufficient_scope", error_description="rehearsal: token-echo was asked to refuse this call", scope="access_as_user Echo.Read"'],
    ['resource_metadata', 'Bearer resource_metadata="https://echo.example.net/.well-known/oauth-protected-resource/api/echo/orders"'],
  ] as const)('%s', (challenge, expected) => {
    expect(challengeFor(challenge, url, ['access_as_user', 'Echo.Read'])).toBe(expected);
  });

  test('every challenge is covered, and each is a valid RFC 9110 challenge (auth-scheme, then auth-params)', () => {
    for (const c of CHALLENGES) expect(challengeFor(c, url, [])).toMatch(/^Bearer( [a-z_]+="[\x20\x21\x23-\x5b\x5d-\x7e]*")(, [a-z_]+="[\x20\x21\x23-\x5b\x5d-\x7e]*")*$/);
    expect(challengeFor('insufficient_scope', url, [])).not.toContain('scope=');
  });

  test('RFC 9728 section 3.1: the well-known path goes between host and path', () => {
    expect(metadataUrl('http://localhost:7071/api/echo')).toBe('http://localhost:7071/.well-known/oauth-protected-resource/api/echo');
    expect(metadataUrl('https://h.example/')).toBe('https://h.example/.well-known/oauth-protected-resource');
    expect(metadataUrl('https://h.example/api/echo/')).toBe('https://h.example/.well-known/oauth-protected-resource/api/echo');
  });
});

describe('rehearse', () => {
  const answer = { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'x-token-echo-verdict': 'valid' }, body: '{"verdict":"valid"}' };

  test('pads to the exact size with trailing whitespace; the document is unchanged', async () => {
    const r = await rehearse(answer, plan('size=1000')!, 'http://h/api/echo');
    expect(Buffer.byteLength(r.body as string)).toBe(1000);
    expect(JSON.parse(r.body as string)).toEqual({ verdict: 'valid' });
    expect(r.headers).toMatchObject({ 'x-token-echo-rehearsal': 'size=1000', 'x-token-echo-verdict': 'valid' });
    const smaller = await rehearse(answer, plan('size=3')!, 'http://h/api/echo');
    expect(smaller.body).toBe(answer.body);
  });

  test('a multi-byte body is padded in bytes, not characters', async () => {
    const r = await rehearse({ ...answer, body: '{"x":"é€"}' }, plan('size=64')!, 'http://h/api/echo');
    expect(Buffer.byteLength(r.body as string)).toBe(64);
  });

  test('status replaces the strict-mode challenge; 429 and 503 say when to retry', async () => {
    const strict = { ...answer, status: 401, headers: { ...answer.headers, 'www-authenticate': 'Bearer realm="token-echo"' } };
    const r500 = await rehearse(strict, plan('status=500')!, 'http://h/api/echo');
    expect(r500.status).toBe(500);
    expect(r500.headers).not.toHaveProperty('www-authenticate');
    for (const s of [429, 503]) expect((await rehearse(answer, plan(`status=${s}`)!, 'http://h/api/echo')).headers).toMatchObject({ 'retry-after': '10' });
    expect((await rehearse(answer, plan('status=502')!, 'http://h/api/echo')).headers).not.toHaveProperty('retry-after');
  });

  test('delayed answers waiting at once are bounded; past the bound: 429, and nothing is left held', async () => {
    const p = plan('delay=0.3')!;
    const all = await Promise.all(Array.from({ length: MAX_WAITING + 10 }, () => rehearse(answer, p, 'http://h/api/echo')));
    expect(all.filter((r) => r.status === 200)).toHaveLength(MAX_WAITING);
    const busy = all.filter((r) => r.status === 429);
    expect(busy).toHaveLength(10);
    expect(busy[0]?.headers).toMatchObject({ 'retry-after': '10' });
    expect(JSON.parse(busy[0]?.body as string)).toMatchObject({ error: 'rehearsal_busy' });
    expect(rehearsalLoad()).toEqual({ waiting: 0, paddingBytes: 0 });
  });

  test('padding bytes held at once are bounded', async () => {
    const p = plan('delay=0.2&size=2m')!;
    const fit = PADDING_BUDGET_BYTES / MAX_SIZE_BYTES;
    const all = await Promise.all(Array.from({ length: fit + 3 }, () => rehearse(answer, p, 'http://h/api/echo')));
    expect(all.filter((r) => r.status === 200)).toHaveLength(fit);
    expect(all.filter((r) => r.status === 429)).toHaveLength(3);
    expect(rehearsalLoad()).toEqual({ waiting: 0, paddingBytes: 0 });
  });
});
