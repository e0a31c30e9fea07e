import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { ROOT } from '../helpers/spawn-host.js';

/**
 * Issue 11: the local host answers a malformed request with the status that says so, over raw
 * sockets (node:net), since fetch() will not send these: 400 for a bad Host or request target,
 * 408 for headers that never finish, 413 at once for a declared body over the limit (the body is
 * not read). The built host runs in a child process, its headers timeout shortened to 600 ms.
 */
let child: ChildProcess;
let port = 0;

beforeAll(async () => {
  const script = `
    const { startLocalHost } = require('./dist/src/host/local-host.js');
    startLocalHost({ appDir: ${JSON.stringify(path.join(ROOT, 'test/fixtures/host-app'))}, port: 0, key: 'k', headersTimeoutMs: 600, log: () => undefined })
      .then((h) => process.stdout.write(h.url + '\\n'));
  `;
  child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { PATH: process.env['PATH'] ?? '' } });
  port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /:(\d+)\s*$/m.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`the host exited with ${code}`)));
  });
}, 30_000);
afterAll(() => {
  child?.kill();
});

interface RawAnswer {
  status: number;
  text: string;
  /** Milliseconds from the first byte sent to the first byte of the answer. */
  ms: number;
}

/** Sends `head` (and, when given, `body` bytes) on a raw socket; resolves with the first answer. */
function raw(head: string, options: { body?: Buffer; end?: boolean } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const started = performance.now();
    let data = '';
    let firstByteMs = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${JSON.stringify(head.slice(0, 60))}`));
    }, 10_000);
    socket.on('data', (d: Buffer) => {
      if (data === '') firstByteMs = performance.now() - started;
      data += d.toString('latin1');
      if (/\r\n\r\n/.test(data)) {
        clearTimeout(timer);
        socket.destroy();
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0), text: data, ms: firstByteMs });
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      if (!/\r\n\r\n/.test(data)) resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0), text: data, ms: firstByteMs });
    });
    socket.write(head, 'latin1');
    if (options.body) socket.write(options.body);
  });
}

const ok = async (): Promise<void> => {
  expect((await raw(`GET /api/hello HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`)).status).toBe(200);
};

describe('hostile requests to the local host', () => {
  test.each([
    ['a Host with a space', 'GET /api/hello HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n'],
    ['a Host that is a URL', 'GET /api/hello HTTP/1.1\r\nHost: http://x/\r\nConnection: close\r\n\r\n'],
    ['an absolute-form target that is no URL', 'GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
  ])('%s: 400, and the host keeps serving', async (_name, head) => {
    const answer = await raw(head);
    expect(answer.status).toBe(400);
    await ok();
  });

  test('headers that never finish: 408 after the headers timeout, not 400', async () => {
    const answer = await raw(`GET /api/hello HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a`);
    expect(answer.status).toBe(408);
    expect(answer.ms).toBeGreaterThanOrEqual(500);
    await ok();
  });

  test('a declared 20 MB body: 413 at once, without the body being sent', async () => {
    const answer = await raw(`POST /api/body HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 20000000\r\n\r\n`, { body: Buffer.alloc(1000, 97) });
    expect(answer.status).toBe(413);
    // Answered while 19.999 MB are still unsent: nothing waited for them.
    expect(answer.ms).toBeLessThan(2000);
    await ok();
  });

  test('a chunked body that passes the limit: 413 without reading the rest', async () => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.write('POST /api/body HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n');
    const chunk = Buffer.alloc(1024 * 1024, 97);
    // 11 MiB, then the stream stays open: the answer must not wait for its end.
    for (let i = 0; i < 11; i += 1) socket.write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
    const deadline = Date.now() + 5000;
    while (!/^HTTP\/1\.1 \d{3}/.test(data) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    socket.destroy();
    expect(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1]).toBe('413');
    await ok();
  });
});
