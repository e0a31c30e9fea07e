import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';

import { DEMO_API_CLIENT_ID, DEMO_API_URI, DEMO_CONNECTOR_CLIENT_ID, type DevAuthority, startAuthority } from '../../src/dev/authority.js';
import { launchChromium } from '../helpers/chromium.js';
import { chromium as chromiumPrerequisite, describeWith } from '../helpers/prerequisites.js';
import { type SpawnedHost, spawnHost } from '../helpers/spawn-host.js';

/**
 * The viewer's "Front doors" panel in a real browser, and the endpoint its paste box calls
 * (POST /api/reports/{id}/front-doors) on the local Functions host: snippets shown as text, the copy
 * button puts exactly the snippet on the clipboard, nothing from a token runs, and a pasted
 * configuration, valid or malformed, gets a clear answer.
 */
const KEY = 'front-doors-test-key';
const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2; alert(1)">';
/** The app registration Easy Auth signs in with, other than the API's (CyberDrain/CIPP #368). */
const EASY_AUTH_APP = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';

let host: SpawnedHost;
let authority: DevAuthority;
let browser: Browser;
let context: BrowserContext;
const dialogs: string[] = [];
const ids: Record<string, string> = {};

async function call(token: string): Promise<string> {
  const res = await fetch(`${host.url}/api/echo/orders`, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.headers.get('x-token-echo-report-id') ?? '';
}

function authSettings(allowedAudiences: string[]): string {
  return JSON.stringify(
    {
      name: 'authsettingsV2',
      properties: {
        identityProviders: {
          azureActiveDirectory: {
            enabled: true,
            registration: { clientId: EASY_AUTH_APP, openIdIssuer: `${authority.url}/${authority.tenant.id}/v2.0` },
            validation: { allowedAudiences, defaultAuthorizationPolicy: { allowedApplications: [DEMO_CONNECTOR_CLIENT_ID] } },
          },
        },
      },
    },
    null,
    2,
  );
}

async function open(id: string): Promise<Page> {
  const page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`${host.url}/api/viewer?code=${KEY}`);
  await page.locator(`#calls tbody tr[data-id="${id}"]`).click();
  await page.locator('#front-doors').waitFor();
  return page;
}
const js = <T>(page: Page, expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;

describeWith(chromiumPrerequisite(), 'the front doors panel in Chromium', (chromiumPath) => {
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
    context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    // A v1 aud with a trailing slash: Microsoft.Identity.Web accepts it, jose refuses it.
    ids['slash'] = await call(await authority.mint({ version: '1.0', aud: `${DEMO_API_URI}/` }));
    ids['guid'] = await call(await authority.mint({ aud: DEMO_API_CLIENT_ID }));
    ids['hostile'] = await call(await authority.mint({ aud: [DEMO_API_CLIENT_ID, HOSTILE], scp: `access_as_user ${HOSTILE}`, claims: { name: HOSTILE } }));
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await authority?.stop();
  });

  test('a row per validator with its verdict and first refusal; snippets are text, and Copy copies exactly the snippet', { timeout: 60_000 }, async () => {
    const page = await open(ids['slash'] ?? '');
    expect(await page.locator('#fd-table tr[data-profile]').count()).toBe(8);
    expect(await page.locator('#fd-table tr[data-profile="microsoft-identity-web"] .fd-verdict').textContent()).toBe('accepts');
    const jose = page.locator('#fd-table tr[data-profile="jose"]');
    expect(await jose.locator('.fd-verdict').textContent()).toBe('refuses');
    expect(await jose.textContent()).toMatch(/aud: expected .*; found "api:\/\/.*\/"Change: audience/);
    expect(await page.locator('#summary').textContent()).toContain('Front doors disagree');

    await page.locator('#fd-table tr[data-profile="jose"] + tr.fd-details summary').click();
    const pre = page.locator('#fd-snippet-jose');
    await pre.waitFor();
    const text = (await pre.textContent()) ?? '';
    expect(text).toContain(`audience: ["${DEMO_API_URI}","${DEMO_API_CLIENT_ID}","${DEMO_API_URI}/"]`);
    expect(await js<number>(page, "document.getElementById('fd-snippet-jose').childElementCount")).toBe(0);
    const copy = page.locator('#fd-table tr[data-profile="jose"] + tr.fd-details .fd-copy').first();
    await copy.click();
    await page.waitForFunction("document.querySelector('#fd-table tr[data-profile=\"jose\"] + tr.fd-details .fd-copy').dataset.copied === 'clipboard'");
    expect(await js<string>(page, 'navigator.clipboard.readText()')).toBe(text);
    await page.close();
  });

  test('nothing from the token runs: hostile claim values in refusals and snippets are shown as text', { timeout: 60_000 }, async () => {
    const page = await open(ids['hostile'] ?? '');
    const panel = (await page.locator('#front-doors').textContent()) ?? '';
    expect(panel).toContain('<script>window.__pwned = 1</script>');
    for (const d of await page.locator('#front-doors details').all()) await d.locator('summary').click();
    expect(await page.locator('#front-doors script, #front-doors img').count()).toBe(0);
    expect(await js<unknown>(page, 'window.__pwned')).toBeUndefined();
    expect(dialogs).toEqual([]);
    await page.close();
  });

  test('the paste box judges a real authsettingsV2 against the opened call\'s token, and names what a malformed one lacks', { timeout: 60_000 }, async () => {
    const page = await open(ids['guid'] ?? '');
    await page.locator('#fd-config').fill(authSettings([DEMO_API_URI]));
    await page.locator('#fd-judge').click();
    await page.locator('#fd-result .fd-verdict').waitFor();
    expect(await page.locator('#fd-result .fd-verdict').textContent()).toBe('refuses');
    expect(await page.locator('#fd-result').textContent()).toContain('Change: properties.identityProviders.azureActiveDirectory.validation.allowedAudiences');
    expect(await page.locator('#fd-judged-snippet').textContent()).toContain(`"${DEMO_API_CLIENT_ID}"`);

    await page.locator('#fd-config').fill('{ "properties": { "identityProviders": ');
    await page.locator('#fd-judge').click();
    await page.locator('#fd-result .fd-error').waitFor();
    expect(await page.locator('#fd-result .fd-error').textContent()).toBe('The configuration could not be read.');
    expect(await page.locator('#fd-result .fd-problems li').first().textContent()).toMatch(/^the JSON could not be read: .* at line 1, column \d+$/);

    await page.locator('#fd-kind').selectOption('apim-policy');
    await page.locator('#fd-config').fill('<validate-azure-ad-token tenant-id="x"><audiences>');
    await page.locator('#fd-judge').click();
    await page.locator('#fd-result .fd-problems li').first().waitFor();
    expect(await page.locator('#fd-result .fd-problems').textContent()).not.toBe('');
    await page.close();
  });

  const post = (id: string, body: string, headers: Record<string, string> = { 'x-functions-key': KEY }, query = ''): Promise<Response> =>
    fetch(`${host.url}/api/reports/${id}/front-doors${query}`, { method: 'POST', headers, body });

  test('GET /api/reports/{id}/front-doors gives the snippets the echo answer leaves out; POST needs the function key; an unknown report is a 404, a bad kind a 400, a body over 256 KiB a 413; the process keeps serving', async () => {
    // The echo answer leaves the snippets out; GET gives them, worked out from the stored report.
    const echoed = (await (await fetch(`${host.url}/api/reports/${ids['guid'] ?? ''}`, { headers: { 'x-functions-key': KEY } })).json()) as { validators: Array<Record<string, unknown>> };
    expect(echoed.validators).toHaveLength(8);
    expect(echoed.validators.some((v) => 'snippet' in v)).toBe(false);
    expect((await fetch(`${host.url}/api/reports/${ids['guid'] ?? ''}/front-doors`)).status).toBe(401);
    const whole = (await (await fetch(`${host.url}/api/reports/${ids['guid'] ?? ''}/front-doors`, { headers: { 'x-functions-key': KEY } })).json()) as { validators: Array<{ profile: string; snippet: unknown }> };
    expect(whole.validators.map((v) => v.profile)).toEqual(echoed.validators.map((v) => v.profile));
    expect(whole.validators.find((v) => v.profile === 'jose')?.snippet).toEqual(expect.stringContaining('jwtVerify(token, keys'));

    const config = authSettings([DEMO_API_URI, DEMO_API_CLIENT_ID]);
    expect((await post(ids['guid'] ?? '', config, {})).status).toBe(401);
    const ok = await post(ids['guid'] ?? '', config);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ reportId: ids['guid'], kind: 'authsettingsV2', profile: 'easy-auth', verdict: 'accept' });
    const missing = await post('00000000-0000-4000-8000-000000000000', config);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toMatch(/not in the memory history/);
    const kind = await post(ids['guid'] ?? '', config, { 'x-functions-key': KEY }, '?kind=nginx');
    expect(kind.status).toBe(400);
    const large = await post(ids['guid'] ?? '', `${config}${' '.repeat(300 * 1024)}`);
    expect(large.status).toBe(413);
    expect(((await large.json()) as { message: string }).message).toMatch(/at most 262144 are read/);
    const bad = await post(ids['guid'] ?? '', '<policies><inbound><validate-jwt>');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'bad_config', kind: 'apim-policy' });
    expect((await fetch(`${host.url}/api/health`)).status).toBe(200);
  });
});
