import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { globSync } from 'tinyglobby';

/**
 * Loads the app's entry points as the worker does: `main` from package.json, expanded as a glob
 * relative to the app root, each match required in turn (worker src/startApp.ts).
 */
export function loadApp(appDir: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(appDir, 'package.json'), 'utf8')) as { main?: unknown };
  if (typeof pkg.main !== 'string' || pkg.main === '') throw new Error(`${path.join(appDir, 'package.json')} has no "main" naming the entry points`);
  const files = globSync(pkg.main, { cwd: appDir, absolute: true, onlyFiles: true }).sort();
  if (files.length === 0) {
    throw new Error(`Found zero files matching the supplied pattern "${pkg.main}" in ${appDir} (has the app been built? run npm run build)`);
  }
  const load = createRequire(path.join(appDir, 'package.json'));
  for (const file of files) load(file);
  return files;
}
