import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, test } from 'vitest';

import { REASON_CODES } from '../src/report/reasons.js';
import { PROFILES } from '../src/validators/index.js';
import { ROOT } from './helpers/spawn-host.js';

const walkthrough = readFileSync(path.join(ROOT, 'docs/walkthrough.md'), 'utf8');

describe('docs/walkthrough.md', () => {
  test.each([
    ['the API registration with its App ID URI and scope', /Expose an API[\s\S]*api:\/\/<API client ID>[\s\S]*access_as_user/],
    ['the connector registration with a secret and admin consent', /Certificates & secrets[\s\S]*Grant admin consent/],
    ['Azure API Connections as authorized client', /fe053c5f-3692-4f14-aef2-ee34fc081cae[\s\S]*Add a client application/],
    ['the generated connector and its import', /token-echo connector --host[\s\S]*pac connector create[\s\S]*\/api\/connector\/apiDefinition\.swagger\.json/],
    ['the Power Platform CLI installed and signed in before pac connector create', /dotnet tool install --global Microsoft\.PowerApps\.CLI\.Tool\npac auth create[^\n]*\npac connector create --api-definition-file/],
    ['paconn only as an alternative, without a secret on the command line', /Or with `paconn`[\s\S]*Leave out its `--secret` flag/],
    ['the service principal by Azure CLI or Microsoft Graph PowerShell', /az ad sp create --id fe053c5f-3692-4f14-aef2-ee34fc081cae[\s\S]*New-MgServicePrincipal -AppId fe053c5f-3692-4f14-aef2-ee34fc081cae/],
    ['the admin roles that can grant consent, cited', /Privileged Role Administrator[\s\S]*Cloud Application Administrator[\s\S]*Application Administrator[\s\S]*learn\.microsoft\.com\/entra\/identity\/enterprise-apps\/grant-admin-consent/],
    ['data policies that block custom connectors, cited', /Data policies \(formerly DLP policies\)[\s\S]*learn\.microsoft\.com\/power-platform\/admin\/wp-data-loss-prevention/],
    ['the managed identity secret option', /Use managed identity[\s\S]*Federated credentials[\s\S]*api:\/\/AzureADTokenExchange/],
    ['the unique redirect URL checkbox', /Update to unique redirect URL/],
    ['the new flow designer', /\*\*\+\*\* → \*\*Add an action\*\*[\s\S]*Show raw outputs/],
    ['a Copilot Studio agent with a tool under generative orchestration', /generative orchestration[\s\S]*\*\*Tools\*\* → \*\*Add a tool\*\*[\s\S]*Custom connector/],
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

  test('the retired AzureAD module is named only as retired', () => {
    for (const line of walkthrough.split('\n').filter((l) => /New-AzureAD|AzureAD PowerShell/.test(l))) expect(line).toMatch(/retired/);
  });

  test('it ends with the section for Copilot Studio agents over MCP (test/mcp/docs.test.ts checks its content)', () => {
    const sections = [...walkthrough.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(sections.at(-1)).toBe('Copilot Studio agents over MCP');
  });

  test('every reason code it names exists', () => {
    const named = [...walkthrough.matchAll(/`([A-Z][A-Z_]{4,})`/g)].map((m) => m[1] as string).filter((c) => !c.startsWith('TOKEN_ECHO_') && !c.startsWith('APPLICATIONINSIGHTS'));
    expect(named.length).toBeGreaterThan(5);
    for (const code of named) expect(REASON_CODES as readonly string[], code).toContain(code);
  });
});

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const testing = readFileSync(path.join(ROOT, 'docs/testing.md'), 'utf8');

describe('README.md is for users; docs/ for maintainers', () => {
  test('under 2,500 words, counted as wc -w counts them', () => {
    expect(readme.split(/\s+/).filter((w) => w !== '').length).toBeLessThan(2500);
  });

  test('it keeps what a user needs, in order, with the prerequisites of the full suite before the commands', () => {
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    const wanted = ['Two commands', 'What a call looks like', 'In the terminal', 'Deploy', 'The connector', 'The viewer', 'Endpoints', 'Settings', 'Reason codes'];
    // In this order; other sections may sit between them.
    expect(headings.filter((h) => wanted.includes(h ?? ''))).toEqual(wanted);
    const commands = readme.indexOf('npm install && npm start');
    expect(readme.indexOf('/usr/bin/chromium')).toBeLessThan(commands);
    expect(readme.indexOf('../shared/schemas')).toBeLessThan(commands);
  });

  test('maintainer material lives in docs/ and is linked', () => {
    for (const page of ['docs/bench.md', 'docs/internals.md', 'docs/testing.md', 'docs/walkthrough.md']) expect(readme).toContain(`](${page}`);
    expect(readme).not.toMatch(/autocannon|Tested under attack|functions-core|req\/s/);
    expect(readFileSync(path.join(ROOT, 'docs/bench.md'), 'utf8')).toContain('<!-- generated:bench -->');
  });

  test('its front-door table lists every profile, what it models and where that comes from (docs/front-doors.md has a section each)', () => {
    const section = readme.split('\n## Front doors\n')[1]?.split('\n## ')[0] ?? '';
    expect(section).toContain('](docs/front-doors.md)');
    const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| profile') && !l.startsWith('| ---'));
    const frontDoors = readFileSync(path.join(ROOT, 'docs/front-doors.md'), 'utf8');
    for (const profile of PROFILES) {
      const row = rows.find((r) => (r.split(' | ')[0] ?? '').includes(profile.name));
      expect(row, `README row for ${profile.name}`).toBeDefined();
      const [, rules, source] = (row ?? '').replace(/^\| | \|$/g, '').split(' | ');
      expect(rules?.trim(), profile.name).not.toBe('');
      expect(source?.trim(), profile.name).not.toBe('');
      // Its section's heading names it, or its module (`apim-azure-ad-token.ts`): the id's first word is in it.
      const headings = [...frontDoors.matchAll(/^## \d+\. (.+)$/gm)].map((m) => (m[1] ?? '').toLowerCase());
      expect(headings.some((h) => h.includes(profile.id.split('-')[0] ?? profile.id)), profile.id).toBe(true);
    }
  });

  test('every relative link in README.md and docs/ points at a file that exists', () => {
    for (const file of ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:|#)/.test(target ?? '')) continue;
        const local = (target ?? '').split('#')[0] ?? '';
        expect(existsSync(path.join(ROOT, path.dirname(file), local)), `${file} links to ${target}`).toBe(true);
      }
    }
  });

  test('every command in the README is named in docs/testing.md with what runs it', () => {
    const table = /<!-- readme-commands -->([\s\S]*?)<!-- \/readme-commands -->/.exec(testing)?.[1]?.replace(/\\\|/g, '|') ?? '';
    const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    const lines = blocks.flatMap((block) => block.replace(/\\\n\s*/g, ' ').split('\n')).map((line) => line.replace(/\s+#.*$/, '').trim()).filter((line) => line !== '');
    expect(lines.length).toBeGreaterThan(8);
    for (const line of lines) {
      // The first three words of the command (each as a prefix) must appear in the table.
      const words = line.split(/\s+/).slice(0, 3).map((w) => w.slice(0, 10).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      expect(table, line).toMatch(new RegExp(words.join('\\S*\\s+')));
    }
  });
});
