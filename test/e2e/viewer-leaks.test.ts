import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';

import { launchChromium } from '../helpers/chromium.js';
import { chromium as chromiumPrerequisite, describeWith } from '../helpers/prerequisites.js';
import { type SpawnedHost, spawnHost } from '../helpers/spawn-host.js';
import { leakCall, leaked } from '../leaks/secrets.js';

/**
 * Issue 11, the viewer's leak path: a call carrying every secret of the issue, opened in the viewer
 * in a real browser (Chromium via playwright-core, as viewer.test.ts): the DOM holds none.
 */
describeWith(chromiumPrerequisite(), 'the viewer holds no secret', (chromiumPath) => {
  const KEY = 'viewer-leak-key';
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

  test('the viewer\'s list and opened report hold no secret of the call', { timeout: 60_000 }, async () => {
    const call = leakCall();
    const res = await fetch(`${host.url}/api/echo${call.pathAndQuery}`, { headers: call.headers });
    const reportId = res.headers.get('x-token-echo-report-id') ?? '';
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${host.url}/api/viewer?code=${KEY}`);
    const row = page.locator(`#calls tbody tr[data-id="${reportId}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(leaked(await page.content(), call.secrets), 'list').toEqual([]);
    await row.click();
    await page.waitForSelector('#overview');
    const dom = await page.content();
    // The report is really shown (its headers and reasons), with the secrets as lengths.
    expect(dom).toContain('NOT_BEARER');
    expect(dom).toContain('x-original-url');
    expect(dom).toMatch(/\[redacted\] \(\d+ chars\)/);
    expect(leaked(dom, call.secrets), 'opened report').toEqual([]);
    expect(leaked(await page.locator('body').innerText(), call.secrets), 'text').toEqual([]);
  });
});
