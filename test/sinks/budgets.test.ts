import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';

import { describe, expect, test } from 'vitest';

import { DEFAULT_HISTORY_MIB, DEFAULT_TOKEN_CACHE_MIB, loadConfig } from '../../src/config.js';
import { inspect } from '../../src/inspect/inspect.js';
import { DEFAULT_TOKEN_MEMO_BYTES, configureTokenMemo, tokenFacts, tokenMemoBytes } from '../../src/inspect/token-memo.js';
import { MemoryHistory, entryBytes } from '../../src/sinks/memory-history.js';
import { ROOT } from '../helpers/spawn-host.js';

/**
 * Issue 11: everything remembered has a byte budget, enforced on insert. The memory history and
 * the decoded-token memo are checked against their budgets, and a process that served 500 calls
 * with a 63 KiB header each (and a distinct 16 KiB token each) is checked for its heap.
 */
const MIB = 2 ** 20;
const junk = (n: number): string => '"'.repeat(n); // JSON doubles it: a 63 KiB header is a 126 KiB report

describe('byte budgets', () => {
  test('the memory history drops the oldest reports once its bytes exceed the budget', async () => {
    const history = new MemoryHistory({ max: 500, ttlHours: 48, maxBytes: 4 * MIB });
    const ids: string[] = [];
    for (let i = 0; i < 100; i += 1) {
      const report = await inspect({ method: 'GET', url: '/api/echo', headers: [['x-junk', junk(63 * 1024)]], bodySize: 0 }, loadConfig({}), null, { now: new Date(), id: randomUUID() });
      ids.push(report.id);
      await history.add(report);
      expect(history.bytes).toBeLessThanOrEqual(4 * MIB);
    }
    // About 126 KiB each: 32 fit in 4 MiB; the newest are the ones kept.
    expect(history.size).toBeGreaterThanOrEqual(30);
    expect(history.size).toBeLessThanOrEqual(32);
    const listed = (await history.list({ limit: 500 })).map((r) => r.id);
    expect(listed).toEqual(ids.slice(-history.size).reverse());
  });

  test('a kept report is counted as V8 stores its text: one byte a character up to Latin-1, two once any is wider', () => {
    const n = 1000;
    expect(entryBytes('a'.repeat(n))).toBe(n + 160);
    expect(entryBytes(`${'a'.repeat(n - 1)}\u00e9`)).toBe(n + 160); // é is Latin-1: still one byte each
    expect(entryBytes(`${'a'.repeat(n - 1)}\u20ac`)).toBe(2 * n + 160); // one € makes the whole string two-byte
    expect(entryBytes(`${'a'.repeat(n - 2)}\u{1f600}`)).toBe(2 * n + 160); // a surrogate pair: two UTF-16 units
  });

  test('the token memo keeps within its budget', () => {
    configureTokenMemo(1 * MIB);
    try {
      for (let i = 0; i < 200; i += 1) {
        tokenFacts(randomBytes(8 * 1024).toString('base64url'));
        expect(tokenMemoBytes()).toBeLessThanOrEqual(1 * MIB);
      }
      expect(tokenMemoBytes()).toBeGreaterThan(0.5 * MIB);
    } finally {
      configureTokenMemo(DEFAULT_TOKEN_MEMO_BYTES);
    }
  });

  test(`heap after 500 calls with 63 KiB headers stays within the documented ${DEFAULT_HISTORY_MIB + DEFAULT_TOKEN_CACHE_MIB} MiB of caches (of 64)`, { timeout: 120_000 }, () => {
    // A child process with --expose-gc, running the built app's handler in process with the default settings.
    const script = `
      const { HttpRequest, InvocationContext } = require('@azure/functions');
      const { createRuntime } = require('./dist/src/runtime.js');
      const { echoHandler } = require('./dist/src/handlers/echo.js');
      const { randomBytes } = require('node:crypto');
      const runtime = createRuntime({});
      const context = new InvocationContext({ logHandler: () => undefined });
      const call = () => echoHandler(new HttpRequest({ method: 'GET', url: 'http://localhost/api/echo', headers: {
        'x-junk': '"'.repeat(63 * 1024) + randomBytes(8).toString('hex'),
        authorization: 'Bearer ' + randomBytes(12 * 1024).toString('base64url'),
      } }), context, runtime);
      const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
      (async () => {
        for (let i = 0; i < 10; i += 1) await call();
        const before = heap();
        for (let i = 0; i < 500; i += 1) await call();
        const after = heap();
        process.stdout.write(JSON.stringify({ grownMiB: (after - before) / 2 ** 20, historyMiB: runtime.history.bytes / 2 ** 20 }));
      })();
    `;
    const out = execFileSync(process.execPath, ['--expose-gc', '-e', script], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '' }, maxBuffer: 1e6 }).toString();
    const { grownMiB, historyMiB } = JSON.parse(out) as { grownMiB: number; historyMiB: number };
    expect(historyMiB).toBeLessThanOrEqual(DEFAULT_HISTORY_MIB);
    expect(grownMiB).toBeLessThanOrEqual(DEFAULT_HISTORY_MIB + DEFAULT_TOKEN_CACHE_MIB);
  });
});
