import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { judgeConfigInput, judgeFrontDoors } from '../../src/validators/index.js';
import { API, CONNECTOR, OTHER_CLIENT, OTHER_TENANT, TENANT, input, secondsAgo, secondsAhead, settingsWith, v1, v2 } from './claims.js';

const notes = readFileSync(join(process.cwd(), 'docs/front-doors.md'), 'utf8');

/** Tokens that make every profile refuse or hesitate on some rule. */
const SAMPLES: Array<Record<string, unknown>> = [
  v2(),
  v1(),
  v2({ aud: `api://${API}/` }),
  v1({ aud: API }),
  v2({ aud: 'https://graph.microsoft.com' }),
  v2({ iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`, tid: OTHER_TENANT }),
  v2({ exp: secondsAgo(120) }),
  v2({ exp: secondsAgo(7200) }),
  v2({ exp: undefined }),
  v2({ nbf: secondsAhead(900) }),
  v2({ scp: 'User.Read' }),
  v2({ scp: undefined, roles: ['Data.Read'] }),
  v2({ scp: undefined, azp: undefined, nonce: 'n' }),
  v2({ azp: OTHER_CLIENT }),
  v2({ aud: [API, `api://${API}`] }),
];

describe('every rule a profile applies is cited', () => {
  it('each first refusal names a source defined in docs/front-doors.md (or the token-echo settings)', () => {
    const sources = new Set<string>();
    for (const claims of SAMPLES) {
      for (const signatureVerified of [true, false, null]) {
        for (const r of judgeFrontDoors(input(claims, settingsWith(), { signatureVerified }))) if (r.firstRefusal) sources.add(r.firstRefusal.source);
      }
    }
    expect(sources.size).toBeGreaterThan(15);
    for (const source of sources) {
      if (source.startsWith('token-echo settings')) continue;
      const names = [...source.matchAll(/\b(?:DOC|CODE|ANEC)\s+([A-Z][A-Z0-9-]+)/g)].map((m) => m[1] as string);
      expect(names.length, source).toBeGreaterThan(0);
      for (const name of names) expect(notes, `${name} (in "${source}") is defined in docs/front-doors.md`).toMatch(new RegExp(`\\b${name} =`));
    }
  });

  it('the notes have a section per profile', () => {
    for (const file of ['identity-web.ts', 'easy-auth.ts', 'apim-azure-ad-token.ts', 'apim-validate-jwt.ts', 'jose.ts', 'jsonwebtoken.ts', 'express-jwt.ts', 'passport-azure-ad.ts']) {
      expect(notes).toMatch(new RegExp(`^## \\d\\. .*\`${file.replace('.', '\\.')}\``, 'm'));
    }
  });
});

const anyJson = fc.jsonValue({ maxDepth: 3 });

describe('bad input gets an answer, never a crash', () => {
  it('any header and claims: every profile answers with a verdict', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('alg', 'kid', 'x5t', 'typ', 'nonce'), anyJson),
        fc.record({ aud: anyJson, iss: anyJson, exp: anyJson, nbf: anyJson, tid: anyJson, ver: anyJson, scp: anyJson, roles: anyJson, azp: anyJson, appid: anyJson, oid: anyJson, groups: anyJson }, { requiredKeys: [] }),
        fc.constantFrom(true, false, null),
        (header, claims, signatureVerified) => {
          const results = judgeFrontDoors({ ...input(claims as Record<string, unknown>), header: header as Record<string, unknown>, signatureVerified });
          expect(results).toHaveLength(8);
          for (const r of results) expect(['accept', 'refuse', 'unknown']).toContain(r.verdict);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('any configuration text: a judgement or named problems', () => {
    const fragments = fc.oneof(
      fc.string(),
      anyJson.map((v) => JSON.stringify(v)),
      anyJson.map((v) => JSON.stringify({ properties: { identityProviders: { azureActiveDirectory: v } } })),
      anyJson.map((v) => JSON.stringify({ AzureAd: v })),
      fc.string().map((s) => `<validate-azure-ad-token tenant-id="${TENANT}"><client-application-ids><application-id>${CONNECTOR}</application-id></client-application-ids>${s}</validate-azure-ad-token>`),
      fc.string().map((s) => `<validate-jwt ${s}><openid-config url="${s}" /></validate-jwt>`),
    );
    fc.assert(
      fc.property(fragments, (text) => {
        const r = judgeConfigInput(text, input(v2()));
        if (r.ok) expect(['accept', 'refuse', 'unknown']).toContain(r.result.verdict);
        else expect(r.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
