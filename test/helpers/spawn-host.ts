import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const CLI = path.join(ROOT, 'dist/src/cli/main.js');

/** Every token-echo setting, blank: a test states what it sets, and nothing leaks in from the machine. */
export const BLANK_SETTINGS: Record<string, string> = Object.fromEntries(
  ['TENANT_ID', 'AUDIENCES', 'SCOPES', 'ROLES', 'CLIENT_IDS', 'AUTHORITY', 'CLOCK_SKEW', 'STRICT', 'FETCH_TIMEOUT', 'LOCAL_KEY'].map((n) => [`TOKEN_ECHO_${n}`, '']),
);

export interface SpawnedHost {
  url: string;
  key: string | null;
  child: ChildProcess;
  output(): string;
  /** Resolves once the output matches (log lines are written in batches, a moment after the answer). */
  waitForOutput(pattern: RegExp, ms?: number): Promise<string>;
  stop(): Promise<void>;
}

/** Starts the built command `token-echo serve --port 0` in a child process, as a user would, and waits until it serves. */
export async function spawnHost(options: { env?: Record<string, string>; args?: string[] } = {}): Promise<SpawnedHost> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...(options.args ?? [])], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...BLANK_SETTINGS, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const ready = await new Promise<{ url: string; key: string | null }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host did not start:\n${output}`)), 15_000);
    const check = (): void => {
      const url = /(http:\/\/localhost:\d+)\//.exec(output)?.[1];
      if (url && /Function key/.test(output)) {
        clearTimeout(timer);
        resolve({ url, key: /Function key \(x-functions-key header or \?code=\): (\S+)/.exec(output)?.[1] ?? null });
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the host exited with ${code}:\n${output}`));
    });
  });
  return {
    ...ready,
    child,
    output: () => output,
    async waitForOutput(pattern, ms = 5000) {
      const deadline = Date.now() + ms;
      while (!pattern.test(output)) {
        if (Date.now() > deadline) throw new Error(`the host's output never matched ${pattern}:\n${output}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return output;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Runs `token-echo <args>` to completion. */
export function runCli(args: string[], env: Record<string, string> = {}, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...BLANK_SETTINGS, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(input ?? '');
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A raw HTTP/1.1 request, for headers fetch() refuses to send (oversized, odd bytes). */
export async function rawRequest(url: string, lines: string[]): Promise<{ status: number; text: string }> {
  const net = await import('node:net');
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname);
    let data = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => (data = Buffer.concat([data, d])));
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? undefined : reject(e)));
    socket.on('close', () => {
      const text = data.toString('latin1');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
    socket.write(Buffer.from(`${lines.join('\r\n')}\r\nConnection: close\r\n\r\n`, 'latin1'));
  });
}
