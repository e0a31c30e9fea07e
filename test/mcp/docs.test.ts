import { readFileSync } from 'node:fs';
import path from 'node:path';

import { expect, test } from 'vitest';

import { APPLICABLE_SCENARIOS } from '../../scripts/mcp-conformance.js';
import { ROOT } from '../helpers/spawn-host.js';

const walkthrough = readFileSync(path.join(ROOT, 'docs/walkthrough.md'), 'utf8');
const section = walkthrough.slice(walkthrough.indexOf('## Copilot Studio agents over MCP'));
const design = readFileSync(path.join(ROOT, 'docs/mcp.md'), 'utf8');

test.each([
  ['the wizard with Manual OAuth against Entra', /Model Context Protocol[\s\S]*Server URL \| `https:\/\/<app>\.azurewebsites\.net\/api\/mcp`[\s\S]*\*\*Manual\*\*[\s\S]*oauth2\/v2\.0\/authorize/],
  ['the custom connector route', /token-echo connector --mcp[\s\S]*\/api\/connector\/mcp\/apiDefinition\.swagger\.json[\s\S]*x-ms-agentic-protocol: mcp-streamable-1\.0/],
  ['the test pane and the activity map', /test pane[\s\S]*activity map[\s\S]*token_report/],
  ['the history and the KQL by MCP method', /tools\/call token_report[\s\S]*customDimensions\.mcpMethod/],
  ['the symptoms from the issues', /IDX10214[\s\S]*microsoft\/mcp #1462[\s\S]*AADSTS9010010[\s\S]*offline_access/],
])('the walkthrough\'s MCP section covers %s', (_what, pattern) => {
  expect(section).toMatch(pattern);
});

test('docs/mcp.md names every conformance scenario that runs', () => {
  for (const scenario of APPLICABLE_SCENARIOS) expect(design).toContain(`| \`${scenario}\` |`);
});
