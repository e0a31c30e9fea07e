import { describe, expect, test } from 'vitest';

import fc from 'fast-check';

import { compileRoute, splitPath } from '../../src/host/routes.js';

describe('route templates', () => {
  test('a catch-all takes the rest of the path, possibly empty', () => {
    const r = compileRoute('echo/{*path}');
    expect(r.match('/echo')).toEqual({ path: '' });
    expect(r.match('/echo/anything/else')).toEqual({ path: 'anything/else' });
    expect(r.match('/ECHO/a%20b')).toEqual({ path: 'a b' });
    expect(r.match('/echoes')).toBeNull();
  });

  test('parameters, optional parameters and constraints', () => {
    const r = compileRoute('items/{category:alpha}/{id:int?}');
    expect(r.match('/items/books/42')).toEqual({ category: 'books', id: '42' });
    expect(r.match('/items/books')).toEqual({ category: 'books' });
    expect(r.match('/items/books/x')).toBeNull();
    expect(r.match('/items/123/4')).toBeNull();
    expect(r.match('/items/books/4/5')).toBeNull();
  });

  test('a literal route outranks a parameterised one, which outranks a catch-all', () => {
    const ranks = ['a/{*rest}', 'a/{b}', 'a/b'].map((t) => compileRoute(t).precedence);
    expect(ranks[2]).toBeLessThan(ranks[1] as number);
    expect(ranks[1]).toBeLessThan(ranks[0] as number);
  });

  test('undecodable percent-escapes do not match', () => {
    expect(compileRoute('echo/{*path}').match('/echo/%E0%A4%A')).toBeNull();
    expect(compileRoute('echo/{*path}').match('/echo/ok/%E0%A4%A/ok')).toBeNull();
  });

  test('a catch-all decoded segment by segment equals the rest of the path decoded whole (fast-check)', () => {
    const r = compileRoute('echo/{*path}');
    const segment = fc.stringMatching(/^(?:[a-zA-Z0-9._~-]|%[0-9A-Fa-f]{2}|%2F|%)*$/, { maxLength: 12 });
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 5 }), (segments) => {
        const rest = segments.filter((s) => s !== '').join('/');
        let whole: string | null;
        try {
          whole = decodeURIComponent(rest);
        } catch {
          whole = null;
        }
        expect(r.matchParts(splitPath(`/echo/${rest}`))).toEqual(whole === null ? null : { path: whole });
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});
