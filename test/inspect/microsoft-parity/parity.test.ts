import { readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';

import { type DevAuthority, startAuthority } from '../../../src/dev/authority.js';
import { packageRoot } from '../../../src/package-info.js';
import { expectSchemaValid } from '../../helpers/schema.js';
import { call, codes, keyStoreFor, settingsFor } from '../../helpers/world.js';
import { CASES } from './cases.js';

/**
 * Microsoft parity: each case from Microsoft's tests (./cases.ts names the file and the test) is
 * minted by the local Entra stand-in and run through the real inspect() with the key store over HTTP.
 * token-echo's verdict must be Microsoft's, or the difference must be a row of the README section
 * "Where token-echo and Microsoft.Identity.Web differ".
 */
let authority: DevAuthority;
beforeAll(async () => {
  authority = await startAuthority();
});
afterAll(() => authority.stop());
// Some cases change the tenant's key issuer; each case gets a fresh key store (keyStoreFor) and the served issuer back.
afterEach(() => {
  delete authority.tenant.keyIssuer;
});

const readme = readFileSync(path.join(packageRoot(), 'README.md'), 'utf8');
const differences = readme.split('## Where token-echo and Microsoft.Identity.Web differ')[1]?.split('\n## ')[0] ?? '';

test('at least 80 cases, each citing its Microsoft source', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(80);
  for (const c of CASES) expect(c.source).toMatch(/^AzureAD\/(azure-activedirectory-identitymodel-extensions-for-dotnet|microsoft-identity-web) \S+\.cs /);
});

describe('token-echo agrees with Microsoft.Identity.Web', () => {
  test.each(CASES.map((c, i) => [`${i + 1}. ${c.source.replace(/^AzureAD\/\S+ \S+\//, '')}`, c] as const))('%s', async (_name, c) => {
    await c.setup?.(authority);
    const settings = settingsFor(authority, c.env);
    const report = await call(settings, keyStoreFor(settings), { token: await c.token(authority) });
    expectSchemaValid(report);
    const tokenEcho = report.verdict === 'valid' ? 'valid' : 'invalid';
    if (c.difference === undefined) expect(tokenEcho, JSON.stringify(report.reasons.map((r) => r.message))).toBe(c.microsoft);
    else {
      expect(tokenEcho).not.toBe(c.microsoft);
      expect(differences).toContain(c.difference);
    }
    if (c.code !== undefined) expect(codes(report)).toContain(c.code);
  });
});
