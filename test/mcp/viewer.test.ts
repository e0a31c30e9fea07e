import { existsSync } from 'node:fs';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';

import { type SpawnedHost, spawnHost } from '../helpers/spawn-host.js';

/** The viewer (Debian's Chromium through playwright-core) shows an MCP call with its method and tool. */
const CHROMIUM = '/usr/bin/chromium';
const KEY = 'viewer-mcp-test-key';
let host: SpawnedHost;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does this)`);
  host = await spawnHost({ env: { TOKEN_ECHO_LOCAL_KEY: KEY } });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

test('an MCP tool call is listed as "POST /api/mcp · tools/call token_report"', { timeout: 60_000 }, async () => {
  const page = await browser.newPage();
  await page.goto(`${host.url}/api/viewer?code=${KEY}`);
  await page.waitForSelector('#status:has-text("calls")');
  const client = new Client({ name: 'viewer-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${host.url}/api/mcp`)));
  const result = await client.callTool({ name: 'token_report' });
  await client.close();
  const id = (result.structuredContent as { id: string }).id;
  const row = page.locator(`#calls tbody tr[data-id="${id}"]`);
  await row.waitFor({ timeout: 10_000 });
  expect(await row.locator('td').nth(1).textContent()).toBe('POST /api/mcp \u00b7 tools/call token_report');
  await row.click();
  await page.waitForSelector('h2:has-text("Request: POST /api/mcp")');
  expect(await page.locator('h2', { hasText: 'Request:' }).textContent()).toBe('Request: POST /api/mcp \u00b7 tools/call token_report');
});
