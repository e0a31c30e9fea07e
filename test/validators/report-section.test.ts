import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type DevAuthority, startAuthority } from '../../src/dev/authority.js';
import type { EntraKeyStore } from '../../src/entra/key-store.js';
import { serializeReport } from '../../src/report/serialize.js';
import { FRONT_DOOR_PROFILES } from '../../src/report/report.js';
import { PROFILES } from '../../src/validators/index.js';
import { frontDoorInputOf, withFrontDoors } from '../../src/validators/report-section.js';
import { expectSchemaValid } from '../helpers/schema.js';
import { DEMO_API_CLIENT_ID, DEMO_API_URI, call, keyStoreFor, settingsFor } from '../helpers/world.js';

let authority: DevAuthority;
let keys: EntraKeyStore;
beforeAll(async () => {
  authority = await startAuthority();
  keys = keyStoreFor(settingsFor(authority));
});
afterAll(() => authority.stop());

describe('the validators section, composed onto the finished report', () => {
  it('lists every profile the report schema names, in the same order', () => {
    expect(PROFILES.map((p) => p.id)).toEqual([...FRONT_DOOR_PROFILES]);
  });

  it('adds one schema-valid entry per profile, reads the core signature outcome, and keeps the token out', async () => {
    const settings = settingsFor(authority);
    const token = await authority.mint({ aud: DEMO_API_CLIENT_ID });
    const now = new Date();
    const report = withFrontDoors(await call(settings, keys, { token, now }), settings, now);
    expectSchemaValid(JSON.parse(serializeReport(report)));
    expect(report.validators?.map((v) => v.profile)).toEqual([...FRONT_DOOR_PROFILES]);
    expect(frontDoorInputOf(report, settings)?.signatureVerified).toBe(true);
    const ms = report.validators?.find((v) => v.profile === 'microsoft-identity-web');
    expect(ms?.verdict).toBe('accept');
    // The echo answer's entries carry no snippets (they would triple it); the CLI's carry them.
    for (const v of report.validators ?? []) expect(Object.keys(v).filter((k) => k.startsWith('snippet'))).toEqual([]);
    const whole = withFrontDoors(await call(settings, keys, { token, now }), settings, now, { snippets: true });
    expectSchemaValid(JSON.parse(JSON.stringify(whole)));
    expect(whole.validators?.find((v) => v.profile === 'microsoft-identity-web')?.snippet).toContain(`"ClientId": "${DEMO_API_CLIENT_ID}"`);
    const json = serializeReport(report);
    expect(json).toBe(JSON.stringify(report));
    const [head, payload, signature] = token.split('.') as [string, string, string];
    for (const part of [token, head, payload, signature]) expect(json).not.toContain(part);
  });

  it('says in the summary when the front doors disagree, and only then', async () => {
    // A v1 aud with a trailing slash: Microsoft.Identity.Web ignores it, jose compares exactly (docs/front-doors.md).
    const settings = settingsFor(authority);
    const now = new Date();
    const slash = await authority.mint({ version: '1.0', aud: `${DEMO_API_URI}/` });
    const report = withFrontDoors(await call(settings, keys, { token: slash, now }), settings, now);
    expect(report.validators?.find((v) => v.profile === 'microsoft-identity-web')?.verdict).toBe('accept');
    expect(report.validators?.find((v) => v.profile === 'jose')?.verdict).toBe('refuse');
    expect(report.summary).toMatch(/^Valid: .*\. Front doors disagree: Microsoft\.Identity\.Web.* accept.*; .*jose.* would refuse: aud \(expected .*, found "api:\/\/.*\/"\)\.$/);

    const graph = await authority.mint({ aud: 'https://graph.microsoft.com' });
    const refused = withFrontDoors(await call(settings, keys, { token: graph, now }), settings, now);
    // Every door refuses a token for another API: no disagreement line.
    expect(refused.validators?.some((v) => v.verdict === 'accept')).toBe(false);
    expect(refused.summary).not.toContain('Front doors');
  });

  it('shares the section while a token repeats, and still sees it expire', async () => {
    const settings = settingsFor(authority);
    const token = await authority.mint({ aud: DEMO_API_CLIENT_ID, expiresIn: 3600 });
    const t0 = new Date();
    const first = withFrontDoors(await call(settings, keys, { token, now: t0 }), settings, t0);
    const t1 = new Date(t0.getTime() + 60_000);
    const second = withFrontDoors(await call(settings, keys, { token, now: t1 }), settings, t1);
    expect(second.validators).toBe(first.validators);
    expect(Object.isFrozen(first.validators)).toBe(true);

    // Two hours later the same token is expired for every door, though the section was kept.
    const late = new Date(t0.getTime() + 2 * 3600_000);
    const expired = withFrontDoors(await call(settings, keys, { token, now: late }), settings, late);
    expect(expired.validators).not.toBe(first.validators);
    for (const v of expired.validators ?? []) expect(v.verdict, `${v.profile} ${JSON.stringify(v.firstRefusal)}`).toBe('refuse');
    expect(expired.validators?.find((v) => v.profile === 'jose')?.firstRefusal?.rule).toBe('exp');

    // Ten seconds after exp: inside .NET's 300 s skew (accepted), but Easy Auth's skew is not documented (unknown): worked out, not reused.
    const exp = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as { exp: number };
    const edge = new Date((exp.exp + 10) * 1000);
    const atEdge = withFrontDoors(await call(settings, keys, { token, now: edge }), settings, edge);
    expect(atEdge.validators?.find((v) => v.profile === 'microsoft-identity-web')?.verdict).toBe('accept');
    expect(atEdge.validators?.find((v) => v.profile === 'easy-auth')?.verdict).toBe('unknown');
    expect(first.validators?.find((v) => v.profile === 'easy-auth')?.verdict).toBe('accept');
  });

  it('leaves a report without a decodable token as it is', async () => {
    const settings = settingsFor(authority);
    const none = await call(settings, keys, {});
    expect(withFrontDoors(none, settings)).toBe(none);
    const garbage = await call(settings, keys, { authorization: 'Bearer not-a-jwt' });
    expect(withFrontDoors(garbage, settings).validators).toBeUndefined();
  });
});
