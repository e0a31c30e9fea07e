import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';

import { type DevAuthority, startAuthority } from '../../src/dev/authority.js';
import { chromium as chromiumPrerequisite, describeWith } from '../helpers/prerequisites.js';
import { ROOT, type SpawnedHost, spawnHost } from '../helpers/spawn-host.js';

/**
 * The viewer in a real browser: Debian's Chromium driven by playwright-core. It lists calls as they
 * come, opens one to its report, and shows attacker-controlled claims as text. The browser is found
 * by test/helpers/prerequisites.ts (CHROMIUM_PATH, /usr/bin/chromium, playwright-core's own).
 */
describeWith(chromiumPrerequisite(), 'the viewer in Chromium', (chromiumPath) => {
  const KEY = 'viewer-test-key';
  let host: SpawnedHost;
  let authority: DevAuthority;
  let browser: Browser;

  beforeAll(async () => {
    authority = await startAuthority();
    host = await spawnHost({ env: { TOKEN_ECHO_LOCAL_KEY: KEY } });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await authority?.stop();
  });

  test('lists a new call within 5 seconds, opens its report, and shows a <script> claim as text', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${host.url}/api/viewer?code=${KEY}`);
    await page.waitForSelector('#status:has-text("calls")');
    expect(await page.locator('#calls tbody tr').count()).toBe(0);

    const hostile = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2; alert(1)">';
    await fetch(`${host.url}/api/echo/first`, { headers: { authorization: `Bearer ${await authority.mint({ aud: 'https://apihub.azure.com' })}` } });
    const started = Date.now();
    const res = await fetch(`${host.url}/api/echo/orders`, {
      headers: { authorization: `Bearer ${await authority.mint({ claims: { name: hostile } })}`, 'x-evil': hostile, 'user-agent': 'azure-logic-apps/1.0 microsoft-flow/1.0' },
    });
    const reportId = res.headers.get('x-token-echo-report-id') ?? '';
    const row = page.locator(`#calls tbody tr[data-id="${reportId}"]`);
    await row.waitFor({ timeout: 5000 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await row.locator('td').nth(1).textContent()).toBe('GET /api/echo/orders');
    expect(await row.locator('td').nth(2).textContent()).toBe('power-automate');
    expect(await row.locator('.badge').textContent()).toBe('unverified');

    await row.click();
    await page.waitForSelector('#overview');
    expect(await page.locator('#summary').textContent()).toMatch(/^Unverified: no tenant is configured/);
    expect(await page.locator('#checks tbody tr').count()).toBe(9);
    expect(await page.locator('#reasons').textContent()).toContain('NOT_CONFIGURED');
    const nameValue = page.locator('#claims dt:text-is("name") + dd .claim-value');
    expect(await nameValue.textContent()).toBe(hostile);
    expect(await page.locator('#claims').textContent()).toMatch(/expires in (59 min|1 h)/);
    expect(await page.locator('#detail').textContent()).toContain(hostile);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#detail script, #detail img').count()).toBe(0);
    expect(dialogs).toEqual([]);

    const firstRow = page.locator('#calls tbody tr').nth(1);
    await firstRow.click();
    expect(await page.locator('#reasons').textContent()).toContain('APIHUB_TOKEN');

    await row.click();
    const dir = path.join(ROOT, '.vitest-cache');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, 'viewer.png'), fullPage: false });
  });
});
