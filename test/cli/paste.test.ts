import { describe, expect, test } from 'vitest';

import { cleanPaste } from '../../src/cli/paste.js';

/** What people paste into `token-echo inspect`, and the header it becomes (src/cli/paste.ts). */
const JWT = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJhcGk6Ly94In0.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';
const [H, P, S] = JWT.split('.') as [string, string, string];

describe('cleanPaste', () => {
  test.each([
    ['a bare token', JWT, []],
    ['a token with a trailing newline', `${JWT}\n`, []],
    ['"Bearer <token>"', `Bearer ${JWT}`, []],
    ['"bearer" in lower case', `bearer ${JWT}`, []],
    ['a whole header line', `Authorization: Bearer ${JWT}`, ['removed "Authorization:"']],
    ['a header line in lower case, no space', `authorization:Bearer ${JWT}`, ['removed "Authorization:"']],
    ['a double-quoted token', `"${JWT}"`, ['removed quotes']],
    ['a single-quoted "Bearer …"', `'Bearer ${JWT}'`, ['removed quotes']],
    ['a quoted value after "Authorization:"', `Authorization: "Bearer ${JWT}"`, ['removed "Authorization:"', 'removed quotes']],
    ['a token wrapped across lines', `${H}.\n${P}.\r\n${S}`, ['joined 3 pieces split by line breaks or spaces']],
    ['a token wrapped inside a segment', `${JWT.slice(0, 30)}\n${JWT.slice(30)}`, ['joined 2 pieces split by line breaks or spaces']],
    ['headers copied from a browser', `:authority: contoso.example\naccept: */*\nauthorization: Bearer ${JWT}\nuser-agent: Mozilla/5.0`, ['kept only the Authorization line of the pasted headers', 'removed "Authorization:"']],
    ['a token response', JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: JWT, refresh_token: 'r' }, null, 2), ['took "access_token" from the token response JSON']],
  ])('%s → Bearer <token>, saying what was tidied', (_what, input, cleaned) => {
    expect(cleanPaste(input)).toEqual({ kind: 'authorization', authorization: `Bearer ${JWT}`, cleaned });
  });

  test('a token response with only an id_token: that token, with a note saying what it is', () => {
    const result = cleanPaste(JSON.stringify({ id_token: JWT }));
    expect(result).toMatchObject({ kind: 'authorization', authorization: `Bearer ${JWT}` });
    expect(result.kind === 'authorization' && result.cleaned.join(' ')).toMatch(/no "access_token": inspecting its "id_token", which is for the signed-in app, not an API/);
  });

  test('JSON without a token is unusable, said plainly', () => {
    expect(cleanPaste('{"error":"invalid_grant"}')).toEqual({ kind: 'unusable', problem: expect.stringMatching(/has no "access_token"/) });
  });

  test.each(['', '   \n', 'Bearer', 'Authorization: Bearer', '""', 'Authorization:'])('%j is empty', (input) => {
    expect(cleanPaste(input).kind).toBe('empty');
  });

  test('another scheme is kept as it is, for NOT_BEARER to explain', () => {
    expect(cleanPaste('Authorization: Basic dXNlcjpwYXNz')).toEqual({ kind: 'authorization', authorization: 'Basic dXNlcjpwYXNz', cleaned: ['removed "Authorization:"'] });
  });
});
