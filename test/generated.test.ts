import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, test } from 'vitest';

import { generatedFiles } from '../scripts/generate.js';
import { REASON_CODES, REASONS } from '../src/report/reasons.js';
import { ROOT } from './helpers/spawn-host.js';

describe('generated artifacts are in sync with the code (run `npm run generate` after a change)', () => {
  test.each(Object.entries(generatedFiles(ROOT)))('%s', (file, expected) => {
    expect(readFileSync(path.join(ROOT, file), 'utf8')).toBe(expected);
  });
});

describe('the reason catalog', () => {
  test('codes are stable UPPER_SNAKE strings, each with a meaning and a fix', () => {
    for (const code of REASON_CODES) {
      expect(code).toMatch(/^[A-Z][A-Z_]+[A-Z]$/);
      expect(REASONS[code].meaning.length).toBeGreaterThan(20);
      expect(REASONS[code].fix.length).toBeGreaterThan(20);
    }
  });

  test('warnings are what Microsoft accepts but stricter validators refuse, the request\'s oddities, unreachable keys and the connector runtime\'s caller hints; only notes are info', () => {
    expect(REASON_CODES.filter((c) => REASONS[c].severity === 'warning')).toEqual([
      'KID_UNMATCHED',
      'AUDIENCE_TRAILING_SLASH',
      'VERSION_MISMATCH',
      'REPEATED_QUERY_PARAMETER',
      'KEYS_UNAVAILABLE',
      'CALLER_NOT_TOKEN_USER',
      'CALLER_TENANT_MISMATCH',
    ]);
    expect(REASON_CODES.filter((c) => REASONS[c].severity === 'info')).toEqual(['NOT_CONFIGURED', 'OBO_HEADER_ABSENT', 'CALLER_APP_NOT_TOKEN_CLIENT']);
  });
});

describe('report text is ASCII', () => {
  // Every string a report carries from the catalog stays one byte per character: answers encode and
  // serialize on V8's fast path, and any of it can go into a header (WWW-Authenticate) unchanged.
  test('the reason catalog and claim descriptions', async () => {
    const { CLAIM_DESCRIPTIONS } = await import('../src/report/claims.js');
    const texts = [...REASON_CODES.flatMap((c) => [REASONS[c].meaning, REASONS[c].fix]), ...Object.values(CLAIM_DESCRIPTIONS)];
    for (const text of texts) expect(text, text).toMatch(/^[\x20-\x7e]*$/);
  });
});
