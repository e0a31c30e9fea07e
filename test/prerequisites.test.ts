import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, test } from 'vitest';

import { chromium, connectorSchemas, inCi } from './helpers/prerequisites.js';

/** test/helpers/prerequisites.ts: where the suites that need something from outside look for it. */
describe('prerequisites', () => {
  test.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['true', true],
    ['1', true],
    ['github-actions', true],
  ])('CI=%j counts as CI: %s', (value, expected) => {
    expect(inCi(value === undefined ? {} : { CI: value })).toBe(expected);
  });

  test('connector schemas: the folder TOKEN_ECHO_CONNECTOR_SCHEMAS names, when both files are there', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'schemas-'));
    const missing = connectorSchemas({ TOKEN_ECHO_CONNECTOR_SCHEMAS: dir });
    expect(missing.path).toBeNull();
    expect(missing.reason).toBe(
      `apiDefinition.swagger.schema.json and paconn-apiProperties.schema.json not found in ${dir}: set TOKEN_ECHO_CONNECTOR_SCHEMAS to a folder holding the schemas/ of github.com/microsoft/PowerPlatformConnectors`,
    );
    writeFileSync(path.join(dir, 'apiDefinition.swagger.schema.json'), '{}');
    expect(connectorSchemas({ TOKEN_ECHO_CONNECTOR_SCHEMAS: dir }).reason).toMatch(/^paconn-apiProperties\.schema\.json not found/);
    writeFileSync(path.join(dir, 'paconn-apiProperties.schema.json'), '{}');
    expect(connectorSchemas({ TOKEN_ECHO_CONNECTOR_SCHEMAS: dir }).path).toBe(dir);
  });

  test('Chromium: CHROMIUM_PATH when it is an executable file, and only then', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'browser-'));
    const browser = path.join(dir, 'chromium');
    expect(chromium({ CHROMIUM_PATH: browser })).toMatchObject({ path: null, reason: `CHROMIUM_PATH=${browser} is not an executable file` });
    writeFileSync(browser, '#!/bin/sh\n');
    expect(chromium({ CHROMIUM_PATH: browser }).path).toBeNull();
    chmodSync(browser, 0o755);
    expect(chromium({ CHROMIUM_PATH: browser }).path).toBe(browser);
    expect(chromium({ CHROMIUM_PATH: dir }).path).toBeNull();
    expect(chromium({ CHROMIUM_PATH: '/dev/null' }).path).toBeNull();
  });
});
