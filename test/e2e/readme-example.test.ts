import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, expect, test } from 'vitest';

import { ROOT, type SpawnedHost, spawnHost } from '../helpers/spawn-host.js';

/**
 * The README's curl example prints what the README says: its command is run as written (with
 * the port of this test's host) and every line the README shows must appear, in order, in the
 * real output. Report IDs, times and dates are the only values allowed to differ.
 */
let host: SpawnedHost;
beforeAll(async () => {
  host = await spawnHost();
});
afterAll(() => host.stop());

function example(): { command: string; output: string[] } {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = /<!-- readme-example -->([\s\S]*?)<!-- \/readme-example -->/.exec(readme)?.[1] ?? '';
  const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)];
  const command = blocks.find((b) => b[1] === 'sh')?.[2] ?? '';
  const output = (blocks.find((b) => b[1] === 'text')?.[2] ?? '').split('\n').filter((l) => l !== '');
  return { command, output };
}

const normalise = (line: string): string =>
  line
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g, '<time>')
    .trimEnd();

test('the README curl example prints what it says', async () => {
  const { command, output } = example();
  expect(command).toContain('curl');
  expect(output.length).toBeGreaterThan(20);
  const port = new URL(host.url).port;
  const { stdout } = await promisify(execFile)('sh', ['-c', command.replaceAll('localhost:7071', `localhost:${port}`)]);
  const actual = stdout.replace(/\r/g, '').split('\n').map(normalise);
  let at = 0;
  for (const shown of output) {
    if (shown === '…') continue;
    const wanted = normalise(shown);
    const found = actual.indexOf(wanted, at);
    expect(found, `README line not in the output (after line ${at}): ${shown}`).toBeGreaterThanOrEqual(0);
    at = found + 1;
  }
});
