import { describe, expect, it } from 'vitest';

import { audienceMatch } from '../../../src/inspect/audience.js';

/** audienceMatch against Microsoft.IdentityModel's Validators.AudiencesMatch / AudiencesMatchIgnoringTrailingSlash (Validators.cs). */
describe('audienceMatch', () => {
  it.each([
    ['http://audience1.com', 'http://audience1.com', 'exact'],
    ['http://audience1.com/', 'http://audience1.com', 'trailing_slash'],
    ['http://audience1.com', 'http://audience1.com/', 'trailing_slash'],
    ['http://audience1.com//', 'http://audience1.com', null],
    ['http://audience1.com', 'http://audience1.com//', null],
    ['http://audience1.com', 'http://audience1.comA', null],
    ['http://Audience1.com', 'http://audience1.com', null],
    ['api://x/', 'api://y', null],
    ['', '', null],
    ['   ', '   ', null],
    ['/', '', null],
  ] as const)('token %j, configured %j: %j', (token, valid, expected) => {
    expect(audienceMatch(token, valid)).toBe(expected);
  });
});
