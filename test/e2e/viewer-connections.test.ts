import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';

import { DEMO_API_CLIENT_ID, DEMO_API_URI, type DevAuthority, startAuthority } from '../../src/dev/authority.js';
import { launchChromium } from '../helpers/chromium.js';
import { chromium as chromiumPrerequisite, describeWith } from '../helpers/prerequisites.js';
import { type SpawnedHost, spawnHost } from '../helpers/spawn-host.js';
import { SAMPLES, signInPage } from '../explain/messages.js';

/**
 * The viewer's Connections and "Explain an error" views in a real browser: the tabs, a connection
 * card per connection with its findings and tokens, the paste box answered by POST /api/explain,
 * and everything shown as text (a hostile claim or pasted text runs nothing).
 */
const KEY = 'viewer-connections-key';
const HOSTILE = '<img src=x onerror="window.__pwned = 1">';
let host: SpawnedHost;
let authority: DevAuthority;
let browser: Browser;

describeWith(chromiumPrerequisite(), 'the viewer\'s connections and explain views in Chromium', (chromiumPath) => {
  beforeAll(async () => {
    authority = await startAuthority();
    host = await spawnHost({
      env: { TOKEN_ECHO_LOCAL_KEY: KEY, TOKEN_ECHO_TENANT_ID: authority.tenant.id, TOKEN_ECHO_AUTHORITY: authority.url, TOKEN_ECHO_AUDIENCES: `${DEMO_API_URI},${DEMO_API_CLIENT_ID}` },
    });
    browser = await launchChromium(chromiumPath);
    const send = async (token: string, connection: string): Promise<void> => {
      const res = await fetch(`${host.url}/api/echo`, {
        headers: { authorization: `Bearer ${token}`, 'x-ms-apim-referrer': `https://msmanaged-na.azure-apim.net/apim/shared_contoso/${connection}/invoke` },
      });
      await res.arrayBuffer();
    };
    await send(await authority.mint({ claims: { upn: HOSTILE } }), 'conn-good');
    const expired = await authority.mint({ issuedAt: -7200, notBefore: -7200, expiresIn: -3600 });
    await send(expired, 'conn-hourly');
    await send(expired, 'conn-hourly');
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await authority?.stop();
  });

  async function viewer(code = KEY): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${host.url}/api/viewer?code=${code}`);
    return page;
  }

  test('the Connections tab shows each connection with its findings and tokens over time', async () => {
    const page = await viewer();
    await page.waitForSelector('#status:has-text("calls")');
    await page.click('#views button[data-view="connections"]');
    expect(await page.locator('#main').isHidden()).toBe(true);
    await page.waitForSelector('#connections-status:has-text("2 connections")');
    const hourly = page.locator('section.connection[data-key="apim:shared_contoso/conn-hourly"]');
    expect(await hourly.locator('h2').textContent()).toMatch(/^connection conn-hourly2 calls/);
    expect(await hourly.locator('.reason').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-code')))).toEqual(['EXPIRED_TOKEN_REUSED', 'NO_NEW_TOKEN']);
    expect(await hourly.locator('.reason.error .fix').textContent()).toMatch(/sign in again/);
    const tokenRow = hourly.locator('table.tokens tbody tr');
    expect(await tokenRow.count()).toBe(1);
    expect(await tokenRow.locator('td').first().getAttribute('title')).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await tokenRow.locator('td').last().textContent()).toBe('invalid 2 · 2 after exp');
    // A claim is text, never markup.
    const good = page.locator('section.connection[data-key="apim:shared_contoso/conn-good"]');
    expect(await good.locator('.reason').count()).toBe(0);
    expect(await good.textContent()).toContain(HOSTILE);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    // Back to the calls: the list is there again.
    await page.click('#views button[data-view="calls"]');
    expect(await page.locator('#main').isVisible()).toBe(true);
    expect(await page.locator('#connections-view').isHidden()).toBe(true);
    await page.close();
  });

  test('the paste box explains a sign-in page\'s AADSTS error, and says so for junk', async () => {
    const page = await viewer();
    await page.click('#views button[data-view="explain"]');
    const sample = SAMPLES.find((s) => s.code === 50011);
    await page.fill('#explain-input', signInPage(sample?.sentence ?? ''));
    await page.click('#explain-go');
    await page.waitForSelector('#explain-summary');
    expect(await page.locator('#explain-summary h2').textContent()).toBe('AADSTS50011');
    expect(await page.locator('#explain-entry').textContent()).toMatch(/Fix: /);
    expect(await page.locator('#explain-facts').textContent()).toContain('redirect URI');
    await page.fill('#explain-input', `nothing here ${HOSTILE}`);
    await page.click('#explain-go');
    await page.waitForSelector('#explain-summary h2:has-text("No AADSTS code")');
    expect(await page.locator('#explain-text').textContent()).toMatch(/^No AADSTS code found/);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    await page.close();
  });

  test('POST /api/explain: key required, empty and oversized bodies refused with a clear message', async () => {
    expect((await fetch(`${host.url}/api/explain`, { method: 'POST', body: 'AADSTS50011' })).status).toBe(401);
    const post = (body: string): Promise<Response> => fetch(`${host.url}/api/explain`, { method: 'POST', headers: { 'x-functions-key': KEY, 'content-type': 'text/plain' }, body });
    const ok = await post('AADSTS90009: Application is requesting a token for itself.');
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { code: number }).code).toBe(90009);
    const empty = await post('   ');
    expect(empty.status).toBe(400);
    const big = await post('x'.repeat(65 * 1024));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { message: string }).message).toMatch(/at most 64 KiB/);
    // The app keeps serving.
    expect((await post('AADSTS65001')).status).toBe(200);
  });
});
