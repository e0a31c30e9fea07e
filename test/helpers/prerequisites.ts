import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';

import { describe, test } from 'vitest';

import { ROOT } from './spawn-host.js';

/**
 * What a few suites need from outside the repository, found where the README documents it:
 * Microsoft's connector schemas and a Chromium. Missing on a developer's machine, the suite is
 * skipped with one line saying what is missing and how to provide it (test/helpers/skip-reporter.ts
 * lists those lines under the summary); under CI a missing prerequisite fails the run instead.
 */
export interface Prerequisite {
  /** What is needed, e.g. "Chromium". */
  name: string;
  /** Where it was found (a file or folder), or null. */
  path: string | null;
  /** One line: what is missing and how to provide it. */
  reason: string;
}

/** CI=true (any value but empty, "0" or "false"): a missing prerequisite is a failure, never a skip. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env['CI']?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

export const SCHEMAS_ENV = 'TOKEN_ECHO_CONNECTOR_SCHEMAS';
export const CHROMIUM_ENV = 'CHROMIUM_PATH';
const SCHEMA_FILES = ['apiDefinition.swagger.schema.json', 'paconn-apiProperties.schema.json'];

/**
 * Microsoft's custom-connector validation schemas (microsoft/PowerPlatformConnectors, folder
 * schemas/): the folder named by TOKEN_ECHO_CONNECTOR_SCHEMAS, else ../shared/schemas beside the clone.
 */
export function connectorSchemas(env: NodeJS.ProcessEnv = process.env): Prerequisite {
  const given = env[SCHEMAS_ENV]?.trim();
  const dir = given ? path.resolve(given) : path.resolve(ROOT, '../shared/schemas');
  const missing = SCHEMA_FILES.filter((f) => !existsSync(path.join(dir, f)));
  return {
    name: "Microsoft's connector schemas",
    path: missing.length === 0 ? dir : null,
    reason: `${missing.join(' and ')} not found in ${dir}: set ${SCHEMAS_ENV} to a folder holding the schemas/ of github.com/microsoft/PowerPlatformConnectors`,
  };
}

/**
 * A Chromium for playwright-core: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else the browser
 * playwright-core itself installed (`npx playwright-core install chromium`).
 */
export function chromium(env: NodeJS.ProcessEnv = process.env): Prerequisite {
  const given = env[CHROMIUM_ENV]?.trim();
  const candidates = given ? [given] : ['/usr/bin/chromium', playwrightChromium()].filter((c): c is string => c !== null);
  const found = candidates.find(isExecutableFile) ?? null;
  return {
    name: 'Chromium',
    path: found,
    reason: given
      ? `${CHROMIUM_ENV}=${given} is not an executable file`
      : `no Chromium at /usr/bin/chromium or where playwright-core installs it: apt-get install chromium, or set ${CHROMIUM_ENV}`,
  };
}

/** An executable regular file: what a browser binary is (a path bound to /dev/null, to hide it, is not). */
function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function playwrightChromium(): string | null {
  try {
    // Loaded only here, so suites without a browser never load playwright-core.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('playwright-core') as { chromium: { executablePath(): string } }).chromium.executablePath() || null;
  } catch {
    return null;
  }
}

/**
 * A describe() block that needs `prerequisite`: its body gets the found path. When it is missing,
 * the block holds one test instead, skipped with the reason (failing with it under CI).
 */
export function describeWith(prerequisite: Prerequisite, name: string, body: (found: string) => void): void {
  const found = prerequisite.path;
  if (found !== null) {
    describe(name, () => body(found));
    return;
  }
  const title = `needs ${prerequisite.name}`;
  describe(name, () => {
    if (inCi()) {
      test(title, () => {
        throw new Error(`missing prerequisite (CI=true: a failure, not a skip): ${prerequisite.name}: ${prerequisite.reason}`);
      });
    } else {
      test(title, (context) => context.skip(prerequisite.reason));
    }
  });
}
