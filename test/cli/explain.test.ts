import { describe, expect, test } from 'vitest';

import type { Explanation } from '../../src/explain/aadsts.js';
import { IDS, PER_CONNECTOR_REDIRECT, SAMPLES, signInPage, tokenEndpointBody } from '../explain/messages.js';
import { makeTestClientSecret, mintTestJwt } from '../helpers/test-credentials.js';
import { spawn } from 'node:child_process';

import { BLANK_SETTINGS, CLI, ROOT, runCli } from '../helpers/spawn-host.js';

/** Like runCli, for an input the command may stop reading before its end (EPIPE on our side is expected). */
function runWithLargeInput(args: string[], input: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...BLANK_SETTINGS }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
    child.once('exit', (code) => resolve({ code, stdout }));
  });
}

/** `token-echo explain`, run as a user runs it: the built command in a child process. */
describe('token-echo explain', () => {
  test('a pasted sign-in page: the code, what it names, cause, fix and sources; exit 0', async () => {
    const result = await runCli(['explain', '-'], {}, signInPage(SAMPLES[0]!.sentence));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^AADSTS50011 \(InvalidReplyTo\): /);
    expect(result.stdout).toContain(`redirect URI    ${PER_CONNECTOR_REDIRECT}`);
    expect(result.stdout).toContain(`app ID          ${IDS.app}`);
    expect(result.stdout).toContain(`trace ID        ${IDS.trace}`);
    expect(result.stdout).toContain(`correlation ID  ${IDS.correlation}`);
    expect(result.stdout).toMatch(/\nCause: .*per-connector redirect URL/);
    expect(result.stdout).toMatch(/\nFix: /);
    expect(result.stdout).toContain('https://learn.microsoft.com/entra/identity-platform/reference-error-codes');
    expect(result.stdout).not.toContain('\u001b[');
  });

  test('the message as arguments (unquoted words are joined) and --json', async () => {
    const words = SAMPLES[1]!.sentence.split(' ');
    const text = await runCli(['explain', ...words]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^AADSTS65001 \(DelegationDoesNotExist\)/);
    const json = await runCli(['explain', '--json', '-'], {}, tokenEndpointBody(SAMPLES[4]!));
    expect(json.code).toBe(0);
    const e = JSON.parse(json.stdout) as Explanation;
    expect(e).toMatchObject({ status: 'recognised', code: 70021, extracted: { error: 'invalid_request', traceId: IDS.trace } });
  });

  test.each([
    ['a code outside the catalogue', 'AADSTS700082: The refresh token has expired due to inactivity.', 2, /AADSTS700082 is not in token-echo's catalogue/],
    ['no code', 'it does not work', 1, /^No AADSTS code found/],
    ['empty standard input', '', 1, /^No AADSTS code found/],
    ['binary', '\u0000\u0001\u00ff\ufffd'.repeat(1000), 1, /^No AADSTS code found/],
  ])('%s: exit %i', async (_what, input, exit, pattern) => {
    const result = await runCli(['explain', '-'], {}, input);
    expect(result.code, result.stderr).toBe(exit);
    expect(result.stdout).toMatch(pattern);
  });

  test('a huge paste on standard input is read only up to its bound', async () => {
    const result = await runWithLargeInput(['explain', '-', '--json'], `${SAMPLES[2]!.sentence}\n${'x'.repeat(3 * 1024 * 1024)}`);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Explanation).truncated).toBe(true);
  });

  test('a pasted secret or token is never printed', async () => {
    const secret = makeTestClientSecret();
    const token = await mintTestJwt();
    const input = `${SAMPLES[12]!.sentence} client_secret=${secret}\nAuthorization: Bearer ${token}`;
    for (const args of [['explain', '-'], ['explain', '-', '--json']]) {
      const result = await runCli(args, {}, input);
      expect(result.code).toBe(0);
      for (const s of [secret, token, token.split('.')[2]!]) {
        expect(result.stdout).not.toContain(s);
        expect(result.stderr).not.toContain(s);
      }
    }
  });

  test('usage errors exit 64; --help exits 0', async () => {
    const none = await runCli(['explain']);
    expect(none.code).toBe(64);
    expect(none.stderr).toMatch(/explain needs the error text/);
    expect(none.stderr).toContain('Usage: token-echo explain');
    const unknown = await runCli(['explain', '--bogus', 'x']);
    expect(unknown.code).toBe(64);
    const help = await runCli(['explain', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit code: 0 explained, 1 no AADSTS code/);
    const top = await runCli(['--help']);
    expect(top.stdout).toMatch(/explain\s+explain an Entra sign-in error/);
  });
});
