import { randomUUID } from 'node:crypto';

import { HttpRequest, InvocationContext } from '@azure/functions';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import type { Settings } from '../../src/config.js';
import { type DevAuthority, startAuthority } from '../../src/dev/authority.js';
import type { EntraKeyStore } from '../../src/entra/key-store.js';
import { echoHandler } from '../../src/handlers/echo.js';
import { inspect } from '../../src/inspect/inspect.js';
import { VERDICTS } from '../../src/report/report.js';
import { createRuntime } from '../../src/runtime.js';
import { expectSchemaValid } from '../helpers/schema.js';
import { keyStoreFor, settingsFor } from '../helpers/world.js';

/**
 * Property-based tests (fast-check): whatever arrives in the Authorization header, the core
 * answers a report that matches the schema, with a verdict and, unless valid, an error reason,
 * and never throws. Seeded and reproducible; FUZZ_RUNS raises the count, FUZZ_SEED changes it.
 */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 10_000);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_261_127);

let authority: DevAuthority;
let settings: Settings;
let keys: EntraKeyStore;
let valid: string;

beforeAll(async () => {
  authority = await startAuthority();
  settings = settingsFor(authority);
  keys = keyStoreFor(settings);
  valid = await authority.mint();
});
afterAll(() => authority.stop());

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** What an HTTP header value can be: bytes 0x20-0xff and tab (RFC 9110 §5.5), as Node delivers them. */
const headerValue = fc.string({ unit: fc.integer({ min: 0, max: 255 }).filter((c) => c === 9 || c >= 32).map((c) => String.fromCharCode(c)), maxLength: 300 });

/** JSON that is hostile in shape: deep, wide, odd types where strings belong, duplicate members. */
const hostileJson = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
  fc.integer({ min: 1, max: 200 }).map((n) => `${'['.repeat(n)}1${']'.repeat(n)}`),
  fc.dictionary(fc.constantFrom('aud', 'iss', 'tid', 'exp', 'nbf', 'iat', 'scp', 'roles', 'azp', 'appid', 'ver', '__proto__', 'constructor', 'toString', 'valueOf'), fc.jsonValue({ maxDepth: 3 })).map((o) => JSON.stringify(o)),
  fc.tuple(fc.jsonValue(), fc.jsonValue()).map(([a, b]) => `{"aud":${JSON.stringify(a)},"aud":${JSON.stringify(b)},"exp":"soon","tid":42}`),
  fc.string({ maxLength: 200 }),
);

/** JWT-shaped values: segments of the valid token replaced, mutated or joined oddly. */
function jwtShaped(): fc.Arbitrary<string> {
  const [h = '', p = '', s = ''] = valid.split('.');
  const segment = fc.oneof(fc.constant(h), fc.constant(p), fc.constant(s), hostileJson.map(b64), fc.base64String({ maxLength: 400 }), fc.string({ maxLength: 50 }));
  const header = fc.oneof(
    fc.constant(h),
    hostileJson.map(b64),
    fc.record({ alg: fc.constantFrom('RS256', 'none', 'NONE', 'HS256', 'ES256', 'RS512', ''), kid: fc.oneof(fc.string(), fc.integer()), jku: fc.webUrl(), x5u: fc.webUrl(), nonce: fc.string() }, { requiredKeys: [] }).map((o) => b64(JSON.stringify(o))),
  );
  return fc.oneof(
    fc.tuple(header, segment, segment).map(([a, b, c]) => `${a}.${b}.${c}`),
    fc.array(segment, { minLength: 0, maxLength: 7 }).map((parts) => parts.join('.')),
    fc.tuple(fc.nat({ max: valid.length }), fc.string({ maxLength: 3 })).map(([i, x]) => valid.slice(0, i) + x + valid.slice(i + 1)),
  );
}

/** Prototype-named keys (toString, valueOf, constructor, __proto__...) in objects and arrays: JSON any claim may hold. */
const PROTO_KEYS = ['toString', 'valueOf', 'constructor', '__proto__', 'hasOwnProperty', 'toJSON', 'prototype'];
const protoValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.tuple(fc.constantFrom(...PROTO_KEYS), fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => JSON.parse(`{${JSON.stringify(k)}:${JSON.stringify(v)}}`) as unknown),
  fc.array(fc.tuple(fc.constantFrom(...PROTO_KEYS), fc.jsonValue({ maxDepth: 1 })).map(([k, v]) => JSON.parse(`{${JSON.stringify(k)}:${JSON.stringify(v)}}`) as unknown), { maxLength: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
);
const CLAIM_POSITIONS = ['aud', 'iss', 'tid', 'TID', 'scp', 'roles', 'azp', 'appid', 'ver', 'idtyp', 'exp', 'nbf', 'iat', 'nonce', 'oid', 'sub', ...PROTO_KEYS];
const HEADER_POSITIONS = ['alg', 'kid', 'x5t', 'typ', 'nonce', ...PROTO_KEYS];

/**
 * Tokens made from the valid one: some claims or header parameters replaced (any JSON value, prototype-named
 * keys included, in every position) under the original signature, or the claims unsigned (alg none, no signature).
 */
function mutatedOrUnsigned(): fc.Arbitrary<string> {
  const [h = '', p = '', s = ''] = valid.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>;
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  const withChanges = (base: Record<string, unknown>, changes: Array<[string, unknown]>): string => {
    const out = { ...base };
    for (const [k, v] of changes) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return b64(JSON.stringify(out));
  };
  const claimChanges = fc.array(fc.tuple(fc.constantFrom(...CLAIM_POSITIONS), protoValue), { minLength: 1, maxLength: 4 });
  const headerChanges = fc.array(fc.tuple(fc.constantFrom(...HEADER_POSITIONS), protoValue), { minLength: 1, maxLength: 2 });
  return fc.oneof(
    claimChanges.map((c) => `${h}.${withChanges(claims, c)}.${s}`),
    headerChanges.map((c) => `${withChanges(header, c)}.${p}.${s}`),
    fc.tuple(fc.constantFrom('none', 'None', 'NONE', 'RS256', ''), fc.array(fc.tuple(fc.constantFrom(...CLAIM_POSITIONS), protoValue), { maxLength: 3 })).map(
      ([alg, c]) => `${b64(JSON.stringify({ alg, typ: 'JWT' }))}.${withChanges(claims, c)}.`,
    ),
  ).filter((t) => t !== valid);
}

/** Built once the valid token exists (in the tests). */
const authorization = (): fc.Arbitrary<string> =>
  fc.oneof(
    headerValue,
    jwtShaped().map((t) => `Bearer ${t}`),
    fc.tuple(fc.constantFrom('bearer', 'BEARER', 'Basic', 'Bearer\t', 'Bearer  ', 'Negotiate'), jwtShaped()).map(([scheme, t]) => `${scheme} ${t}`),
  );

describe('any Authorization value', () => {
  test(`yields a schema-valid report with a verdict, and an error unless valid (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(authorization(), fc.dictionary(fc.constantFrom('x-ms-correlation-id', 'x-ms-apihub-obo', 'user-agent', 'x-ms-workflow-run-id', 'cookie', '__proto__'), headerValue), async (value, extra) => {
        const report = await inspect({ method: 'GET', url: '/api/echo?x=1', headers: [...Object.entries(extra), ['authorization', value]], bodySize: 0 }, settings, keys, {
          now: new Date(),
          id: randomUUID(),
        });
        expect(VERDICTS).toContain(report.verdict);
        if (report.verdict !== 'valid') expect(report.reasons.some((r) => r.severity === 'error')).toBe(true);
        expect(JSON.stringify(report)).not.toContain(value.length > 40 ? value.slice(7) : '\u0000never');
        expectSchemaValid(report);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 120_000);

  test(`no mutated or unsigned token is ever valid, whatever JSON sits in any claim (${RUNS} runs)`, async () => {
    const runtime = createRuntime({ TOKEN_ECHO_TENANT_ID: authority.tenant.id, TOKEN_ECHO_AUTHORITY: authority.url });
    const context = new InvocationContext({ logHandler: () => undefined });
    let handled = 0;
    await fc.assert(
      fc.asyncProperty(mutatedOrUnsigned(), async (token) => {
        const report = await inspect({ method: 'GET', url: '/api/echo', headers: [['authorization', `Bearer ${token}`]], bodySize: 0 }, settings, keys, { now: new Date(), id: randomUUID() });
        expect(report.verdict).not.toBe('valid');
        expectSchemaValid(report);
        // Every fifth also through the handler: an answer, never a 5xx.
        handled += 1;
        if (handled % 5 === 0) {
          const request = new HttpRequest({ method: 'GET', url: 'http://localhost/api/echo', headers: { authorization: `Bearer ${token}` } });
          expect((await echoHandler(request, context, runtime)).status ?? 200).toBeLessThan(500);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 240_000);

  test('through the echo handler: never throws, never a 5xx', async () => {
    const runtime = createRuntime({ TOKEN_ECHO_TENANT_ID: authority.tenant.id, TOKEN_ECHO_AUTHORITY: authority.url });
    const context = new InvocationContext({ logHandler: () => undefined });
    await fc.assert(
      fc.asyncProperty(authorization(), async (value) => {
        const request = new HttpRequest({ method: 'POST', url: 'http://localhost/api/echo/x', headers: { authorization: value, 'content-length': '2' }, body: { string: '{}' } });
        const response = await echoHandler(request, context, runtime);
        expect(response.status ?? 200).toBeLessThan(500);
      }),
      { numRuns: Math.ceil(RUNS / 5), seed: SEED },
    );
  }, 120_000);
});
