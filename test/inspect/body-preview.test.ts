import { beforeAll, describe, expect, test } from 'vitest';

import { bodyPreview } from '../../src/inspect/body-preview.js';
import { BODY_PREVIEW_MAX_CHARS } from '../../src/report/report.js';
import { mintTestJwt } from '../helpers/test-credentials.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
let JWT = '';
beforeAll(async () => {
  JWT = await mintTestJwt();
});

describe('request.bodyPreview: bounded, text only, redacted as the query is', () => {
  test('JSON: members named like secrets are shown by length, the rest as sent', () => {
    const shown = bodyPreview(bytes(JSON.stringify({ note: 'order 42', client_secret: 's3cr3t-value', nested: { access_token: 'abc', list: [{ code: 'xyz' }] } })), 'application/json; charset=utf-8');
    expect(shown).toBe('{"note":"order 42","client_secret":"[redacted] (12 chars)","nested":{"access_token":"[redacted] (3 chars)","list":[{"code":"[redacted] (3 chars)"}]}}');
  });

  test('a field named like a credential is hidden even when no list names it', () => {
    const shown = bodyPreview(bytes(JSON.stringify({ password: 'hunter2', api_key: 'k-123', refresh_token: 'r', 'x-auth': 'a', note: 'keep' })), 'application/json') ?? '';
    expect(JSON.parse(shown)).toEqual({ password: '[redacted] (7 chars)', api_key: '[redacted] (5 chars)', refresh_token: '[redacted] (1 chars)', 'x-auth': '[redacted] (1 chars)', note: 'keep' });
    expect(bodyPreview(bytes('user=me&Password=hunter2'), 'application/x-www-form-urlencoded')).toBe('user=me&Password=[redacted] (7 chars)');
  });

  test('a JWT anywhere in the body is shown by length only', () => {
    for (const [body, type] of [[`{"note":"${JWT}"}`, 'application/json'], [`see ${JWT} here`, 'text/plain'], [`x=${JWT}`, 'application/x-www-form-urlencoded']] as const) {
      const shown = bodyPreview(bytes(body), type) ?? '';
      expect(shown).not.toContain('c2lnbmF0dXJl');
      expect(shown).toContain(`[redacted] (${JWT.length} chars)`);
    }
  });

  test('form fields and name=value text are redacted by name', () => {
    expect(bodyPreview(bytes('note=hello&client_secret=abcdef'), 'application/x-www-form-urlencoded')).toBe('note=hello&client_secret=[redacted] (6 chars)');
    expect(bodyPreview(bytes('note: hi, token: abcdefgh'), 'text/plain')).toBe('note: hi, token: [redacted] (8 chars)');
    expect(bodyPreview(bytes('{"token": "abcdefgh", "note": "cut'), 'application/json')).toBe('{"token": [redacted] (8 chars), "note": "cut');
  });

  test('binary and undecodable bodies are not shown', () => {
    expect(bodyPreview(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]), 'image/png')).toBeNull();
    expect(bodyPreview(new Uint8Array([0xff, 0xfe, 0x41]), 'text/plain')).toBeNull();
    expect(bodyPreview(new Uint8Array([0x41, 0, 0x42]), null)).toBeNull();
    expect(bodyPreview(bytes('plain words'), null)).toBe('plain words');
  });

  test('bounded: at most the maximum, with an ellipsis; control characters replaced', () => {
    const shown = bodyPreview(bytes('a'.repeat(100_000)), 'text/plain') ?? '';
    expect(shown.length).toBe(BODY_PREVIEW_MAX_CHARS);
    expect(shown.endsWith('…')).toBe(true);
    expect(bodyPreview(bytes('a\u001b[31mb\r\n'), 'text/plain')).toBe('a\ufffd[31mb\r\n');
  });
});
