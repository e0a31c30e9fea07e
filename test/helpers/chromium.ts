import { existsSync } from 'node:fs';

import { type Browser, chromium } from 'playwright-core';

/**
 * The one place the browser tests start Chromium: Debian's /usr/bin/chromium driven by
 * playwright-core. (The prerequisites helper that skips browser suites when Chromium is absent
 * plugs in here.)
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium (.ci/run does this)`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
