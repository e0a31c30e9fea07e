import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { describe, expect, test } from 'vitest';

import { paletteFor } from '../../src/cli/render.js';
import { ROOT, runCli, spawnHost } from '../helpers/spawn-host.js';

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
  });

  test.each([
    [['demo', '--fast'], 'token-echo: unknown option --fast', 'Usage: token-echo demo [--once] [--port N]'],
    [['inspect', '--bogus', 'x'], 'token-echo: unknown option --bogus', 'Usage: token-echo inspect <token'],
    [['serve', '--port'], 'token-echo: option --port needs a value', 'Usage: token-echo serve [--port N]'],
    [['demo', '--once=yes'], 'token-echo: option --once takes no value', 'Usage: token-echo demo'],
    [['connector', 'extra'], 'token-echo: unexpected argument "extra"', 'Usage: token-echo connector --host <app>.azurewebsites.net --client-id <GUID>'],
  ])('%j: one line naming the mistake, the command\'s usage line, exit 64', async (args, first, usage) => {
    const result = await runCli(args);
    expect(result.code).toBe(64);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(first);
    expect(lines[1]?.startsWith(usage), lines[1]).toBe(true);
    expect(lines.at(-1)).toBe(`Run "token-echo ${args[0]} --help" for every option.`);
    // Not the whole help, not node:util's advice about "--".
    expect(lines.length).toBeLessThanOrEqual(3);
    expect(result.stderr).not.toMatch(/positional argument|-h, --help/);
  });

  test('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`token-echo ${version}\n`);
  });
});

describe('token-echo serve on a port in use', () => {
  test('one line naming the port and the way out, exit 69', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const result = await runCli(['serve', '--port', String(port)]);
      expect(result.code).toBe(69);
      expect(result.stderr.trim()).toBe(`token-echo: port ${port} is in use (another "npm start" or "token-echo demo --port ${port}"?): stop it, or choose another with --port N or PORT=N`);
    } finally {
      busy.close();
    }
  });
});

describe('colour (no-color.org)', () => {
  test.each([
    [{}, true],
    [{ NO_COLOR: '1' }, false],
    [{ NO_COLOR: 'false' }, false],
    // "when present and not an empty string": an empty NO_COLOR leaves colour on.
    [{ NO_COLOR: '' }, true],
    [{ TERM: 'dumb' }, false],
  ])('on a terminal with %j: coloured %s', (env, coloured) => {
    expect(paletteFor({ isTTY: true }, env).red('x') !== 'x').toBe(coloured);
  });

  test('never when not a terminal', () => {
    expect(paletteFor({ isTTY: false }, {}).red('x')).toBe('x');
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
