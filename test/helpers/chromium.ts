import { type Browser, chromium } from 'playwright-core';

/**
 * The one place the browser tests start Chromium, driven by playwright-core. The executable comes
 * from test/helpers/prerequisites.ts (CHROMIUM_PATH, /usr/bin/chromium, playwright-core's own), whose
 * describeWith() skips a browser suite (or fails it under CI) when there is none.
 * The flags keep a headless Chromium off the network it cannot reach here and out of the sandbox root lacks.
 */
export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
