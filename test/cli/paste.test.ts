import { beforeAll, describe, expect, test } from 'vitest';

import { cleanPaste } from '../../src/cli/paste.js';
import { mintTestJwt } from '../helpers/test-credentials.js';

/** What people paste into `token-echo inspect`, and the header it becomes (src/cli/paste.ts). */
let JWT = '';
beforeAll(async () => {
  JWT = await mintTestJwt();
});

describe('cleanPaste', () => {
  test.each([
    // A function of the token, minted before the tests run.
    ['a bare token', (t: string) => t, []],
    ['a token with a trailing newline', (t: string) => `${t}\n`, []],
    ['"Bearer <token>"', (t: string) => `Bearer ${t}`, []],
    ['"bearer" in lower case', (t: string) => `bearer ${t}`, []],
    ['a whole header line', (t: string) => `Authorization: Bearer ${t}`, ['removed "Authorization:"']],
    ['a header line in lower case, no space', (t: string) => `authorization:Bearer ${t}`, ['removed "Authorization:"']],
    ['a double-quoted token', (t: string) => `"${t}"`, ['removed quotes']],
    ['a single-quoted "Bearer …"', (t: string) => `'Bearer ${t}'`, ['removed quotes']],
    ['a quoted value after "Authorization:"', (t: string) => `Authorization: "Bearer ${t}"`, ['removed "Authorization:"', 'removed quotes']],
    ['a token wrapped across lines', (t: string) => t.replace('.', '.\n').replace(/\.(?=[^.]*$)/, '.\r\n'), ['joined 3 pieces split by line breaks or spaces']],
    ['a token wrapped inside a segment', (t: string) => `${t.slice(0, 30)}\n${t.slice(30)}`, ['joined 2 pieces split by line breaks or spaces']],
    ['headers copied from a browser', (t: string) => `:authority: contoso.example\naccept: */*\nauthorization: Bearer ${t}\nuser-agent: Mozilla/5.0`, ['kept only the Authorization line of the pasted headers', 'removed "Authorization:"']],
    ['a token response', (t: string) => JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: t, refresh_token: 'r' }, null, 2), ['took "access_token" from the token response JSON']],
  ])('%s → Bearer <token>, saying what was tidied', (_what, input, cleaned) => {
    expect(cleanPaste(input(JWT))).toEqual({ kind: 'authorization', authorization: `Bearer ${JWT}`, cleaned });
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
