import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { describe, expect, test } from 'vitest';

import { ROOT } from '../helpers/spawn-host.js';

describe('npm run bench -- --baseline DIR', () => {
  test('a folder that is not a built checkout of token-echo: exit 2 and a message naming what is missing, before any server starts', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'token-echo-not-a-checkout-'));
    try {
      const failure = await promisify(execFile)(process.execPath, [path.join(ROOT, 'dist/bench/run.js'), '--baseline', dir], { timeout: 20_000 }).then(
        () => null,
        (error: { code?: number; stdout: string; stderr: string }) => error,
      );
      expect(failure?.code).toBe(2);
      expect(failure?.stderr).toContain(`--baseline ${dir}: not a built checkout of token-echo (missing dist/src/cli/main.js, bench/apps/ceiling, node_modules/@azure/functions)`);
      expect(failure?.stderr).toContain('npm ci && npm run build');
      expect(failure?.stdout).not.toContain('token-echo bench:');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
