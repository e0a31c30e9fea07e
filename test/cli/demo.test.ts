import { spawn } from 'node:child_process';
import net from 'node:net';

import { describe, expect, test } from 'vitest';

import { SITUATION_CALLS, SITUATIONS, callerHeaders } from '../../src/cli/demo.js';
import { TABLE_WIDTH } from '../../src/cli/demo-table.js';
import { guessCaller } from '../../src/inspect/connector.js';
import { BLANK_SETTINGS, CLI, ROOT } from '../helpers/spawn-host.js';

/**
 * `token-echo demo --once` as a newcomer runs it, in a child process: every path ends in an exit
 * code and a message, and the process is gone within 10 s (the bound a person waits; the demo's
 * own deadline is 30 s and a run takes about a second).
 */
const EXIT_BOUND_MS = 10_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function demo(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, 'demo', ...args], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...BLANK_SETTINGS, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Past twice the bound the test has its answer: a hang.
    const killer = setTimeout(() => child.kill('SIGKILL'), 2 * EXIT_BOUND_MS);
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe('token-echo demo --once', () => {
  test('plays the nine situations in a table with a header that fits 100 columns, on distinct paths, then exits 0', { timeout: 30_000 }, async () => {
    const result = await demo(['--once']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.ms).toBeLessThan(EXIT_BOUND_MS);
    expect(result.stdout).toContain('LOCAL STAND-IN for Entra ID');
    const lines = result.stdout.split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(TABLE_WIDTH);
    const header = lines.findIndex((l) => /^\s+SITUATION\s+CALL\s+VERDICT\s+FIRST REASON$/.test(l));
    expect(header).toBeGreaterThan(-1);
    const rows = lines.slice(header + 1, header + 1 + SITUATIONS.length);
    const paths = new Set<string>();
    for (const [i, situation] of SITUATIONS.entries()) {
      const row = rows[i] ?? '';
      expect(row.startsWith(`ok  ${situation.name}`), row).toBe(true);
      const path = /\s(\/api\/echo\/\S+)\s/.exec(row)?.[1] ?? '';
      expect(path).toBe(`/api/echo/${SITUATION_CALLS[situation.name]?.path}`);
      paths.add(path);
      if (situation.expected === 'valid') expect(row).toMatch(/ valid +-$/);
      else expect(row).toMatch(new RegExp(` ${situation.expected}( \\+\\d+)?$`));
    }
    expect(paths.size).toBe(SITUATIONS.length);
    expect(result.stdout).toContain('All 9 situations got their expected diagnosis.');
  });

  test('every situation has its own call, and its headers name the caller token-echo recognises', () => {
    expect(Object.keys(SITUATION_CALLS).sort()).toEqual(SITUATIONS.map((s) => s.name).sort());
    for (const [i, call] of Object.values(SITUATION_CALLS).entries()) {
      expect(guessCaller(new Map(Object.entries(callerHeaders(call.caller, i))))).toBe(call.caller);
    }
    expect(new Set(Object.values(SITUATION_CALLS).map((c) => c.caller))).toEqual(new Set(['power-automate', 'copilot-studio']));
  });

  test('your strict setting applies and the diagnoses stay the same; identity settings are replaced, and said so', { timeout: 30_000 }, async () => {
    const result = await demo(['--once'], { TOKEN_ECHO_STRICT: 'yes', TOKEN_ECHO_TENANT_ID: 'contoso.onmicrosoft.com' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Your TOKEN_ECHO_TENANT_ID is replaced by the demo's own/);
  });
});

describe('token-echo demo: failure paths end with a code and a message, within 10 s', () => {
  test.each([
    [{ TOKEN_ECHO_CLOCK_SKEW: '-5' }, /TOKEN_ECHO_CLOCK_SKEW="-5" is not valid/],
    [{ TOKEN_ECHO_TENANT_ID: 'not a tenant' }, /TOKEN_ECHO_TENANT_ID="not a tenant" is not valid/],
    [{ TOKEN_ECHO_STRICT: 'maybe' }, /TOKEN_ECHO_STRICT="maybe" is not valid/],
    [{ TOKEN_ECHO_DEMO_FAULT: 'sometimes' }, /TOKEN_ECHO_DEMO_FAULT="sometimes" is not valid/],
  ])('a malformed setting %j: exit 78 naming it, nothing started', async (env, message) => {
    const result = await demo(['--once'], env);
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/^token-echo: invalid settings, not starting the demo:/);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/TypeError|Cannot read/);
    expect(result.stdout).toBe('');
    expect(result.ms).toBeLessThan(EXIT_BOUND_MS);
  });

  test('a port in use: exit 69 naming the port and the way out', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const result = await demo(['--once', '--port', String(port)]);
      expect(result.code).toBe(69);
      expect(result.stderr).toContain(`token-echo: the demo could not run: port ${port} is in use`);
      expect(result.stderr).toMatch(/leave --port out for a free port/);
      expect(result.ms).toBeLessThan(EXIT_BOUND_MS);
    } finally {
      busy.close();
    }
  });

  test.each(['hang', 'error500'])('an authority that does not answer (%s): exit 69 naming it', async (fault) => {
    const result = await demo(['--once'], { TOKEN_ECHO_DEMO_FAULT: fault });
    expect(result.code).toBe(69);
    expect(result.stderr).toMatch(/token-echo: the demo could not run: the stand-in authority at http:\/\/127\.0\.0\.1:\d+ is unreachable/);
    expect(result.ms).toBeLessThan(EXIT_BOUND_MS);
  });

  test('a bad --port is a usage error (64) with the demo\'s usage line', async () => {
    const result = await demo(['--port', 'x']);
    expect(result.code).toBe(64);
    expect(result.stderr.split('\n')[0]).toBe('token-echo: --port must be a port number from 0 to 65535, not "x"');
    expect(result.stderr).toContain('Usage: token-echo demo [--once] [--port N]');
  });
});
