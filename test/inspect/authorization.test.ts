import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { type Authorization, joinedSchemes, parseAuthorization } from '../../src/inspect/authorization.js';

/** The grammar as one regex (RFC 6750 §2.1, scheme case-insensitive): the oracle for the fast path. */
function byGrammar(value: string | undefined): Authorization {
  if (value === undefined || value.trim() === '') return { kind: 'none' };
  const match = /^(\S+)(?:[ \t]+(.*))?$/s.exec(value.trim());
  const scheme = match?.[1] ?? '';
  const credentials = (match?.[2] ?? '').trim();
  if (scheme.toLowerCase() !== 'bearer') return { kind: 'other', scheme, credentials };
  return credentials === '' ? { kind: 'empty_bearer' } : { kind: 'bearer', token: credentials };
}

describe('the Authorization header', () => {
  it.each([
    ['Bearer abc.def.ghi', { kind: 'bearer', token: 'abc.def.ghi' }],
    ['bearer\tabc', { kind: 'bearer', token: 'abc' }],
    ['  BEARER    abc  ', { kind: 'bearer', token: 'abc' }],
    ['Bearer', { kind: 'empty_bearer' }],
    ['Bearer    ', { kind: 'empty_bearer' }],
    ['Bearerabc', { kind: 'other', scheme: 'Bearerabc', credentials: '' }],
    ['Basic dXNlcg==', { kind: 'other', scheme: 'Basic', credentials: 'dXNlcg==' }],
    ['', { kind: 'none' }],
  ] as const)('%j reads as %j', (value, expected) => {
    expect(parseAuthorization(value)).toEqual(expected);
  });

  it('reads any value as the grammar does, the usual "Bearer " form included', () => {
    const schemes = fc.constantFrom('Bearer', 'bearer', 'BEARER', 'BeArEr', 'Basic', 'Bearer\n', '');
    const gaps = fc.constantFrom(' ', '\t', '  \t', '\n', '\u00a0', '');
    fc.assert(
      fc.property(fc.tuple(fc.string({ maxLength: 3 }), schemes, gaps, fc.string({ maxLength: 20 })), ([lead, scheme, gap, rest]) => {
        const value = `${lead}${scheme}${gap}${rest}`;
        expect(parseAuthorization(value)).toEqual(byGrammar(value));
      }),
      { numRuns: 5000, seed: 6750 },
    );
  });

  // Two headers reach a Functions app joined by ", " (RFC 9110 §5.3); a JWT never holds a comma.
  it.each([
    ['Bearer a.b.c, Bearer d.e.f', ['Bearer', 'Bearer']],
    ['Bearer a.b.c,Basic dXNlcg==', ['Bearer', 'Basic']],
    ['Basic dXNlcg==, Bearer a.b.c', ['Basic', 'Bearer']],
    ['Bearer a.b.c', null],
    ['Bearer a.b.c,', null],
    ['Bearer a,b', null],
    [undefined, null],
  ] as const)('%j is joined from %j', (value, schemes) => {
    expect(joinedSchemes(value)).toEqual(schemes);
  });
});
