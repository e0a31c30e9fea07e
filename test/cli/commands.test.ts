import { describe, expect, test } from 'vitest';

import { SITUATIONS } from '../../src/cli/demo.js';
import { runCli, spawnHost } from '../helpers/spawn-host.js';

describe('token-echo --help and usage', () => {
  test('--help lists every command', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['serve', 'inspect', 'demo', 'connector']) expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  test.each(['serve', 'inspect', 'demo', 'connector'])('%s --help', async (command) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: token-echo ${command}`);
  });

  test('an unknown command or flag: a one-line error, the usage, exit 64', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr.split('\n')[0]).toBe('token-echo: unknown command "frobnicate"');
    expect(unknown.stderr).toContain('Commands:');
    const flag = await runCli(['demo', '--fast']);
    expect(flag.code).toBe(64);
    expect(flag.stderr.split('\n')[0]).toMatch(/^token-echo: Unknown option '--fast'/);
    expect(flag.stderr).toContain('Usage: token-echo demo');
  });
});

describe('token-echo serve --app-dir', () => {
  test('a folder relative to the working directory serves that app', async () => {
    const host = await spawnHost({ args: ['--app-dir', 'bench/apps/ceiling'] });
    try {
      const res = await fetch(`${host.url}/api/echo`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
    } finally {
      await host.stop();
    }
  });

  test('a folder that is not a function app: a one-line error naming it, exit 64', async () => {
    const result = await runCli(['serve', '--port', '0', '--app-dir', 'docs']);
    expect(result.code).toBe(64);
    expect(result.stderr.split('\n')[0]).toBe('token-echo: --app-dir "docs" is not a function app folder (it needs host.json and package.json)');
  });
});

describe('token-echo demo --once', () => {
  test('plays the nine situations, each with its expected diagnosis, then exits 0', async () => {
    const result = await runCli(['demo', '--once', '--port', '0']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('LOCAL STAND-IN for Entra ID');
    const lines = result.stdout.split('\n').filter((l) => /^(ok |FAIL)/.test(l));
    expect(lines).toHaveLength(9);
    for (const [i, situation] of SITUATIONS.entries()) {
      const line = lines[i] ?? '';
      expect(line.startsWith(`ok   ${situation.name}`), line).toBe(true);
      if (situation.expected === 'valid') expect(line).toMatch(/ valid /);
      else expect(line).toMatch(new RegExp(` ${situation.expected}[ ,]`));
    }
    expect(result.stdout).toContain('All 9 situations got their expected diagnosis.');
  });
});
