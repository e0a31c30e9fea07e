import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, test } from 'vitest';

import { REASON_CODES } from '../src/report/reasons.js';
import { ROOT } from './helpers/spawn-host.js';

const walkthrough = readFileSync(path.join(ROOT, 'docs/walkthrough.md'), 'utf8');

describe('docs/walkthrough.md', () => {
  test.each([
    ['the API registration with its App ID URI and scope', /Expose an API[\s\S]*api:\/\/<API client ID>[\s\S]*access_as_user/],
    ['the connector registration with a secret and admin consent', /Certificates & secrets[\s\S]*Grant admin consent/],
    ['Azure API Connections as authorized client', /fe053c5f-3692-4f14-aef2-ee34fc081cae[\s\S]*Add a client application/],
    ['the generated connector and its import', /token-echo connector --host[\s\S]*paconn create[\s\S]*\/api\/connector\/apiDefinition\.swagger\.json/],
    ['the Security tab values and the redirect URL to register', /Resource URL \| `api:\/\/<API client ID>`[\s\S]*Enable on-behalf-of login \| `true`[\s\S]*Redirect URL[\s\S]*Web/],
    ['a Power Automate test', /Power Automate flow[\s\S]*EchoGet/],
    ['a Copilot Studio topic showing summary', /Copilot Studio topic[\s\S]*EchoGet|Copilot Studio topic[\s\S]*Topic\.Echo\.summary/],
    ['the KQL', /customEvents[\s\S]*TokenEchoReport/],
  ])('covers %s', (_what, pattern) => {
    expect(walkthrough).toMatch(pattern);
  });

  test.each(['APIHUB_TOKEN', 'AUDIENCE_MISMATCH', 'AADSTS65001', 'AADSTS500011', 'AADSTS50011', 'AADSTS90009', 'Works for the maker, not for colleagues'])('the troubleshooting table has %s', (row) => {
    const table = walkthrough.slice(walkthrough.indexOf('## Troubleshooting'));
    expect(table).toContain(row);
  });

  test('every reason code it names exists', () => {
    const named = [...walkthrough.matchAll(/`([A-Z][A-Z_]{4,})`/g)].map((m) => m[1] as string).filter((c) => !c.startsWith('TOKEN_ECHO_') && !c.startsWith('APPLICATIONINSIGHTS'));
    expect(named.length).toBeGreaterThan(5);
    for (const code of named) expect(REASON_CODES as readonly string[], code).toContain(code);
  });
});
