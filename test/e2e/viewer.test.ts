import { mkdirSync } from 'node:fs';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { DEMO_API_CLIENT_ID, DEMO_API_URI, DEMO_CONNECTOR_CLIENT_ID, type DevAuthority, startAuthority } from '../../src/dev/authority.js';
import { launchChromium } from '../helpers/chromium.js';
import { chromium as chromiumPrerequisite, describeWith } from '../helpers/prerequisites.js';
import { ROOT, type SpawnedHost, spawnHost } from '../helpers/spawn-host.js';

/**
 * The viewer in a real browser (Debian's Chromium driven by playwright-core), read as a maker reads
 * a call log: one-line rows at 1024×768 and 1440×900, a report that opens in view beside its row, a
 * refresh that keeps a selection, the keyboard, filters, a key page instead of a blank 401, and
 * everything from a token, a query or a body shown as text.
 *
 * Screenshots: taken into .vitest-cache/ on every run; with WRITE_SCREENSHOTS=1 into docs/ (the
 * README's and docs' pictures), so a plain `npm test` leaves the working tree clean.
 */
const KEY = 'viewer-test-key';
const SHOTS = process.env['WRITE_SCREENSHOTS'] === '1' ? path.join(ROOT, 'docs') : path.join(ROOT, '.vitest-cache');
const SIZES = [
  { width: 1024, height: 768 },
  { width: 1440, height: 900 },
] as const;
const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2; alert(1)">';
const LONG_PATH = '/api/echo/tenants/b5c1a7e2-3f4d-4e6a-9c8b-1d2e3f4a5b6c/orders/APIHUB_TOKEN-and-a-long-segment';
const POWER_AUTOMATE = { 'user-agent': 'azure-logic-apps/1.0 (workflow 1f0e; version 08584) microsoft-flow/1.0' };
const COPILOT = { 'user-agent': 'Microsoft.CopilotStudio/1.0 (CopilotStudio)', 'x-ms-apihub-obo': 'true' };

let host: SpawnedHost;
let authority: DevAuthority;
let browser: Browser;
const dialogs: string[] = [];

async function call(pathAndQuery: string, init: { token?: string | null; headers?: Record<string, string>; method?: string; body?: string } = {}): Promise<string> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers['authorization'] = `Bearer ${init.token}`;
  const res = await fetch(`${host.url}${pathAndQuery}`, { method: init.method ?? 'GET', headers, ...(init.body !== undefined ? { body: init.body } : {}) });
  await res.arrayBuffer();
  return res.headers.get('x-token-echo-report-id') ?? '';
}
const good = (claims: Record<string, unknown> = {}): Promise<string> => authority.mint({ aud: DEMO_API_URI, scp: 'access_as_user', client: DEMO_CONNECTOR_CLIENT_ID, claims });

async function viewer(size: { width: number; height: number }, code = KEY): Promise<Page> {
  const page = await browser.newPage({ viewport: size });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`${host.url}/api/viewer?code=${code}`);
  if (code === KEY) await page.waitForSelector('#status:has-text("calls")');
  return page;
}
const row = (page: Page, id: string) => page.locator(`#calls tbody tr[data-id="${id}"]`);
/** Runs JavaScript in the page (as text: this project's TypeScript has no DOM types). */
const js = <T>(page: Page, expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;
const inViewport = (page: Page, selector: string): Promise<boolean> =>
  js(page, `(() => {
    const r = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect();
    return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && r.height > 0;
  })()`);
const selectText = (page: Page, selector: string): Promise<string> =>
  js(page, `(() => {
    const range = document.createRange();
    range.selectNodeContents(document.querySelector(${JSON.stringify(selector)}));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    return getSelection().toString();
  })()`);
const selection = (page: Page): Promise<string> => js(page, 'getSelection().toString()');
const listScroll = (page: Page): Promise<number> => js(page, "document.getElementById('list-pane').scrollTop");
const listOverflowX = (page: Page): Promise<number> => js(page, "(p => p.scrollWidth - p.clientWidth)(document.getElementById('list-pane'))");
const rowHeights = (page: Page): Promise<number[]> => js(page, "[...new Set([...document.querySelectorAll('#calls tbody tr')].map((tr) => Math.round(tr.getBoundingClientRect().height)))]");

const ids: Record<string, string> = {};

describeWith(chromiumPrerequisite(), 'the viewer in Chromium', (chromiumPath) => {
  beforeAll(async () => {
    authority = await startAuthority();
    host = await spawnHost({
      env: {
        TOKEN_ECHO_LOCAL_KEY: KEY,
        TOKEN_ECHO_TENANT_ID: authority.tenant.id,
        TOKEN_ECHO_AUTHORITY: authority.url,
        TOKEN_ECHO_AUDIENCES: `${DEMO_API_URI},${DEMO_API_CLIENT_ID}`,
        TOKEN_ECHO_SCOPES: 'access_as_user',
        TOKEN_ECHO_CLIENT_IDS: DEMO_CONNECTOR_CLIENT_ID,
      },
    });
    browser = await launchChromium(chromiumPath);
    mkdirSync(SHOTS, { recursive: true });
    // A call log with the classic cases, oldest first; enough rows that the list scrolls at 768 px.
    for (let i = 0; i < 24; i++) await call(`/api/echo/orders?note=${encodeURIComponent(`order ${1000 + i}`)}`, { token: await good(), headers: POWER_AUTOMATE });
    ids['apihub'] = await call('/api/echo/orders?id=42', { token: await authority.mint({ aud: 'https://apihub.azure.com', version: '1.0' }), headers: POWER_AUTOMATE });
    ids['graph'] = await call('/api/echo/me', { token: await authority.mint({ aud: 'https://graph.microsoft.com' }), headers: COPILOT });
    ids['expired'] = await call('/api/echo/orders?id=7', { token: await authority.mint({ aud: DEMO_API_URI, issuedAt: -7200, notBefore: -7200, expiresIn: -3600 }), headers: POWER_AUTOMATE });
    ids['none'] = await call('/api/echo/ping', { headers: POWER_AUTOMATE });
    ids['long'] = await call(`${LONG_PATH}?filter=${encodeURIComponent("status eq 'open' and owner eq '4c0d9f1e-7b2a-4e3c-9d8f-1a2b3c4d5e6f'")}`, {
      token: await authority.mint({ aud: DEMO_API_CLIENT_ID, client: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', scp: 'access_as_user' }),
      headers: COPILOT,
    });
    ids['prototype'] = await call('/api/echo/claims', { token: await good(JSON.parse('{"constructor":"made-by","toString":"text","valueOf":7,"__proto__":"proto"}') as Record<string, unknown>), headers: COPILOT });
    ids['hostile'] = await call(`/api/echo/notes?note=${encodeURIComponent(HOSTILE)}`, {
      method: 'POST',
      token: await good({ name: HOSTILE }),
      headers: { ...POWER_AUTOMATE, 'content-type': 'application/json', 'x-evil': HOSTILE },
      body: JSON.stringify({ note: HOSTILE, client_secret: 'never-shown-secret-value', items: [1, 2] }),
    });
    ids['valid'] = await call('/api/echo/orders?note=Ship%20order%2042', {
      method: 'POST',
      token: await good(),
      headers: { ...POWER_AUTOMATE, 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'Ship order 42', quantity: 3 }),
    });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await authority?.stop();
  });

  describe.each(SIZES)('at $width×$height', (size) => {
    test('the list is full width until a call is opened; every cell is one line, cut with an ellipsis, whole in its text and title', { timeout: 60_000 }, async () => {
      const page = await viewer(size);
      await row(page, ids['valid'] ?? '').waitFor();
      // A cell whose text does not fit is cut, not wrapped: it keeps one line and the whole value in its text and title.
      const cut = await js<Array<{ text: string; title: string; overflow: string; wrap: string }>>(
        page,
        `[...document.querySelectorAll('#calls tbody td')].filter((td) => getComputedStyle(td).display !== 'none' && td.scrollWidth > td.clientWidth)
          .map((td) => ({ text: td.textContent, title: td.title, overflow: getComputedStyle(td).textOverflow, wrap: getComputedStyle(td).whiteSpace }))`,
      );
      expect(await js<number>(page, "document.getElementById('list-pane').getBoundingClientRect().width")).toBeGreaterThan(size.width - 4);
      expect(await listOverflowX(page)).toBeLessThanOrEqual(0);
      const heights = await rowHeights(page);
      expect(heights).toHaveLength(1);
      expect(heights[0]).toBeLessThan(40);
      expect(cut.length).toBeGreaterThan(0);
      for (const c of cut) {
        expect(c.overflow).toBe('ellipsis');
        expect(c.wrap).toBe('nowrap');
        expect(c.title).toBe(c.text);
      }
      // The whole GUID, path and query are in the row's text: copying a cell copies the value.
      const long = row(page, ids['long'] ?? '');
      expect(await long.locator('td.c-call').textContent()).toBe(`GET ${LONG_PATH}?filter=status eq 'open' and owner eq '4c0d9f1e-7b2a-4e3c-9d8f-1a2b3c4d5e6f'`);
      expect(await long.locator('td.c-problem').textContent()).toBe('CLIENT_NOT_ALLOWED');
      if (size.width === 1440) expect(await long.locator('td.c-client').textContent()).toBe('0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
      if (size.width === 1440) await page.screenshot({ path: path.join(SHOTS, 'viewer-list.png') });
      await page.close();
    });

    test("the opened report's summary is in view after clicking the last row, and the list's cells stay one line", { timeout: 60_000 }, async () => {
      const page = await viewer(size);
      const last = page.locator('#calls tbody tr').last();
      await last.scrollIntoViewIfNeeded();
      const lastId = (await last.getAttribute('data-id')) ?? '';
      await last.click();
      await page.waitForSelector('#summary');
      expect(await inViewport(page, '#summary')).toBe(true);
      expect(await inViewport(page, `#calls tbody tr[data-id="${lastId}"]`)).toBe(true);
      await page.screenshot({ path: path.join(ROOT, '.vitest-cache', `viewer-last-row-${size.width}.png`) });
      const summary = await (await fetch(`${host.url}/api/reports/${lastId}`, { headers: { 'x-functions-key': KEY } })).json();
      expect(await page.locator('#summary').textContent()).toBe((summary as { summary: string }).summary);
      expect(await rowHeights(page)).toHaveLength(1);
      expect(await listOverflowX(page)).toBeLessThanOrEqual(0);
      await page.close();
    });
  });

  test('a valid call shows no problem; info notices are not problems; a failing call shows its first problem', { timeout: 60_000 }, async () => {
    const page = await viewer({ width: 1440, height: 900 });
    expect(await row(page, ids['valid'] ?? '').locator('td.c-problem').textContent()).toBe('-');
    expect(await row(page, ids['valid'] ?? '').locator('.badge').textContent()).toBe('valid');
    expect(await row(page, ids['apihub'] ?? '').locator('td.c-problem').textContent()).toBe('APIHUB_TOKEN');
    expect(await row(page, ids['none'] ?? '').locator('td.c-problem').textContent()).toBe('NO_TOKEN');
    expect(await row(page, ids['expired'] ?? '').locator('td.c-problem').textContent()).toBe('EXPIRED');
    expect(await page.locator('#calls tbody td.c-problem', { hasText: 'OBO_HEADER_ABSENT' }).count()).toBe(0);
    await page.close();
  });

  test('screenshot of a call opened beside the list (docs/viewer.png)', { timeout: 60_000 }, async () => {
    const page = await viewer({ width: 1440, height: 900 });
    // The most common mistake: the first-hop token, its problem and its fix in view.
    await row(page, ids['apihub'] ?? '').click();
    await page.waitForSelector('#reasons');
    await page.screenshot({ path: path.join(SHOTS, 'viewer.png') });
    await page.close();
  });

  test('a refresh keeps the text selection, the opened report and the scroll position; new calls are added', { timeout: 60_000 }, async () => {
    const page = await viewer({ width: 1024, height: 768 });
    const target = row(page, ids['apihub'] ?? '');
    await target.click();
    await page.waitForSelector('#summary');
    await js(page, "document.getElementById('overview').dataset.mark = 'kept'; document.getElementById('list-pane').scrollTop = 200");
    const chosen = await selectText(page, '#claims dt:nth-of-type(1) + dd .claim-value');
    expect(chosen).toBeTruthy();
    const before = await listScroll(page);
    const fresh = await call('/api/echo/after-refresh?note=new', { token: await good(), headers: POWER_AUTOMATE });
    await row(page, fresh).waitFor({ state: 'attached', timeout: 5000 });
    await page.waitForTimeout(2500);
    expect(await selection(page)).toBe(chosen);
    expect(await js(page, "document.getElementById('overview').dataset.mark")).toBe('kept');
    expect(await target.getAttribute('class')).toContain('selected');
    const after = await listScroll(page);
    // The new row above is compensated for: what was in view stays in view.
    expect(Math.abs(after - before - (await rowHeights(page))[0]!)).toBeLessThan(3);

    // A selection inside the list survives a refresh as well.
    const inList = await selectText(page, `#calls tbody tr[data-id="${ids['long'] ?? ''}"] td.c-call`);
    expect(inList).toContain(LONG_PATH);
    const another = await call('/api/echo/second-refresh', { token: await good(), headers: POWER_AUTOMATE });
    await row(page, another).waitFor({ state: 'attached', timeout: 5000 });
    expect(await selection(page)).toBe(inList);
    await page.close();
  });

  test('keyboard: the list is one tab stop; arrows move, Enter opens, arrows then open the next, Escape closes', { timeout: 60_000 }, async () => {
    const page = await viewer({ width: 1440, height: 900 });
    await page.locator('#f-text').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const rows = page.locator('#calls tbody tr');
    const idAt = async (i: number): Promise<string> => (await rows.nth(i).getAttribute('data-id')) ?? '';
    const focused = (): Promise<string | undefined> => js(page, 'document.activeElement && document.activeElement.dataset.id');
    expect(await focused()).toBe(await idAt(0));
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe(await idAt(1));
    await page.keyboard.press('Enter');
    await page.waitForSelector('#summary');
    expect(await page.locator('#overview .sub').textContent()).toBe(await rows.nth(1).locator('td.c-call').getAttribute('title').then((t) => (t ?? '').split('  ')[0]));
    await page.locator(`#calls tbody tr[data-id="${await idAt(1)}"]`).focus();
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe(await idAt(2));
    expect(await rows.nth(2).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('End');
    expect(await focused()).toBe(await idAt((await rows.count()) - 1));
    await page.keyboard.press('Escape');
    expect(await page.locator('#detail').isHidden()).toBe(true);
    expect(await focused()).toBe(await idAt((await rows.count()) - 1));
    // Only the current row is a tab stop.
    expect(await page.locator('#calls tbody tr[tabindex="0"]').count()).toBe(1);
    await page.close();
  });

  test('filters: verdict, reason code and text narrow the list', { timeout: 60_000 }, async () => {
    const page = await viewer({ width: 1440, height: 900 });
    const visible = (): Promise<string[]> => js(page, "[...document.querySelectorAll('#calls tbody tr:not([hidden])')].map((tr) => tr.dataset.id)");
    await page.selectOption('#f-verdict', 'no_token');
    expect(await visible()).toEqual([ids['none']]);
    await page.selectOption('#f-verdict', '');
    await page.selectOption('#f-code', 'APIHUB_TOKEN');
    expect(await visible()).toEqual([ids['apihub']]);
    await page.selectOption('#f-code', '');
    await page.fill('#f-text', 'ship order');
    expect(await visible()).toEqual([ids['valid']]);
    await page.fill('#f-text', 'nothing-matches-this');
    expect(await page.locator('#filtered-out').isVisible()).toBe(true);
    await page.fill('#f-text', '');
    expect((await visible()).length).toBeGreaterThan(25);
    await page.close();
  });

  test('query, body, claims and headers are shown as text: nothing from a call executes; the body is redacted', { timeout: 60_000 }, async () => {
    const page = await viewer({ width: 1440, height: 900 });
    await row(page, ids['hostile'] ?? '').click();
    await page.waitForSelector('#body');
    expect(await page.locator('#query dt:text-is("note") + dd').textContent()).toBe(HOSTILE);
    const body = (await page.locator('#body').textContent()) ?? '';
    expect(JSON.parse(body)).toEqual({ note: HOSTILE, client_secret: '[redacted] (24 chars)', items: [1, 2] });
    expect(await page.locator('#claims dt:text-is("name") + dd .claim-value').textContent()).toBe(HOSTILE);
    expect(await page.locator('#headers dt:text-is("x-evil") + dd').textContent()).toBe(HOSTILE);
    expect(await page.locator('#detail').textContent()).not.toContain('never-shown-secret-value');
    expect(await js(page, 'window.__pwned')).toBeUndefined();
    expect(await page.locator('#detail script, #detail img, #calls img, #calls script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    // The row shows the query and the start of the body, as text.
    expect(await row(page, ids['hostile'] ?? '').locator('td.c-call').textContent()).toContain(`?note=${HOSTILE}`);
    await page.close();
  });

  test('claims named like Object.prototype members are claims: constructor, toString, valueOf, __proto__', { timeout: 60_000 }, async () => {
    const page = await viewer({ width: 1440, height: 900 });
    await row(page, ids['prototype'] ?? '').click();
    await page.waitForSelector('#claims');
    const value = (name: string) => page.locator(`#claims dt:text-is("${name}") + dd .claim-value`).textContent();
    expect(await value('constructor')).toBe('made-by');
    expect(await value('toString')).toBe('text');
    expect(await value('valueOf')).toBe('7');
    expect(await value('__proto__')).toBe('proto');
    const claims = (await page.locator('#claims').textContent()) ?? '';
    expect(claims).not.toContain('undefined');
    expect(claims).not.toContain('NaN');
    expect(await page.locator('#claims dt:text-is("exp") + dd .claim-value').textContent()).toMatch(/expires in (59 min|1 h)/);
    await page.close();
  });

  test('npm start (token-echo serve) prints the viewer address with its key; a key chosen in TOKEN_ECHO_LOCAL_KEY is not echoed', { timeout: 60_000 }, async () => {
    expect(host.output()).toContain(`Viewer: ${host.url}/api/viewer?code=<TOKEN_ECHO_LOCAL_KEY>`);
    expect(host.output()).not.toContain(KEY);
    const fresh = await spawnHost();
    try {
      // The line follows the key's, a moment later on a busy machine.
      const address = /^Viewer: (\S+)$/m.exec(await fresh.waitForOutput(/^Viewer: \S+$/m))?.[1] ?? '';
      expect(address).toBe(`${fresh.url}/api/viewer?code=${fresh.key ?? ''}`);
      const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
      await page.goto(address);
      await page.waitForSelector('#status:has-text("calls")');
      expect(await page.locator('#gate').isHidden()).toBe(true);
      await page.close();
    } finally {
      await fresh.stop();
    }
  });

  test('a missing or wrong key gets a page that explains the key, not a blank 401', { timeout: 60_000 }, async () => {
    for (const [code, title] of [
      ['wrong-key', '401: this key was not accepted'],
      ['', 'This viewer needs the function key'],
    ] as const) {
      const page = await viewer({ width: 1024, height: 768 }, code);
      await page.waitForSelector('#gate:not([hidden])');
      expect(await page.locator('#gate-title').textContent()).toBe(title);
      const text = (await page.locator('#gate').textContent()) ?? '';
      expect(text).toContain('/api/viewer?code=<function key>');
      expect(text).toContain('npm start');
      expect(text).toContain('App keys');
      expect(text).not.toContain('wrong-key');
      expect(await page.locator('#main').isHidden()).toBe(true);
      if (code === 'wrong-key') await page.screenshot({ path: path.join(SHOTS, 'viewer-key.png') });
      await page.close();
    }
  });
});
