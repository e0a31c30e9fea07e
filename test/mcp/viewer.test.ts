import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';

import { launchChromium } from '../helpers/chromium.js';
import { chromium as chromiumPrerequisite, describeWith } from '../helpers/prerequisites.js';
import { type SpawnedHost, spawnHost } from '../helpers/spawn-host.js';

/** The viewer (Chromium through playwright-core) shows an MCP call with its method and tool. */
describeWith(chromiumPrerequisite(), 'the viewer and MCP calls', (chromiumPath) => {
  const KEY = 'viewer-mcp-test-key';
  let host: SpawnedHost;
  let browser: Browser;

  beforeAll(async () => {
    host = await spawnHost({ env: { TOKEN_ECHO_LOCAL_KEY: KEY } });
    browser = await launchChromium(chromiumPath);
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
    // The call cell: method, path and the JSON-RPC method and tool (then the body's preview).
    expect(await row.locator('td.c-call').textContent()).toMatch(/^POST \/api\/mcp \u00b7 tools\/call token_report\b/);
    await row.click();
    await page.waitForSelector('#overview');
    expect(await page.locator('#overview .sub').textContent()).toMatch(/^POST \/api\/mcp \u00b7 tools\/call token_report/);
  });
});
