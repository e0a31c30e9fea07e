import { readFileSync } from 'node:fs';
import path from 'node:path';

import { globSync } from 'tinyglobby';
import { expect, test } from 'vitest';

import { ROOT } from '../helpers/spawn-host.js';

/**
 * No token and no client secret, real or made up, is written into the repository: tests mint them
 * at run time (test/helpers/test-credentials.ts). The one exception is the README's curl example,
 * the first-hop token makers find in their browser, kept readable on purpose and unsigned: its
 * signature segment is the word "signature".
 */
const JWT_SHAPED = /eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]+/g;
const ENTRA_SECRET_SHAPED = /[A-Za-z0-9_.-]{3}\dQ~[A-Za-z0-9_.~-]{30,}/g;

test('no JWT-shaped or client-secret-shaped value in the repository\'s own files', () => {
  const files = globSync(['**/*'], { cwd: ROOT, ignore: ['node_modules/**', 'dist/**', '.vitest-cache/**', '.git/**', '**/*.png', 'coverage/**'], dot: true });
  expect(files.length).toBeGreaterThan(100);
  const found: string[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    for (const m of text.matchAll(JWT_SHAPED)) {
      const unsignedReadmeExample = file === 'README.md' && m[0].split('.')[2] === Buffer.from('signature').toString('base64url');
      if (!unsignedReadmeExample) found.push(`${file}: ${m[0].slice(0, 24)}…`);
    }
    for (const m of text.matchAll(ENTRA_SECRET_SHAPED)) found.push(`${file}: ${m[0].slice(0, 8)}…`);
  }
  expect(found).toEqual([]);
});
