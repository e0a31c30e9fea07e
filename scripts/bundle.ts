import { readFileSync } from 'node:fs';
import path from 'node:path';

import { buildSync } from 'esbuild';
import { globSync } from 'tinyglobby';

import { packageRoot } from '../src/package-info.js';

/**
 * The function app as one file (package.json `main`): the compiled function files (dist/src/functions)
 * and everything they import, jose included, in dist/app/index.js. A cold start then reads one
 * file instead of some sixty modules, which npm run bench measures (spawn to first validated answer).
 * This is the practice of Azure Functions Pack, for the same reason: module loading dominates a
 * Node app's cold start.
 *
 * Left outside the bundle: @azure/functions (the host hands it its core through
 * `@azure/functions-core`, and it must be the one copy the host sees) and the packages loaded only
 * when configured (applicationinsights, @azure/data-tables, @azure/identity), so that an app without
 * them never loads them.
 */
export const BUNDLE = 'dist/app/index.js';
const FUNCTIONS = 'dist/src/functions/*.js';
const BUNDLED_DEPENDENCIES = new Set(['jose']);

export function bundle(root: string = packageRoot()): string {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const external = [...Object.keys(pkg.dependencies ?? {}).filter((name) => !BUNDLED_DEPENDENCIES.has(name)), '@azure/functions-core'];
  const files = globSync(FUNCTIONS, { cwd: root }).sort();
  if (files.length === 0) throw new Error(`no function files match ${FUNCTIONS}: run tsc first`);
  buildSync({
    stdin: {
      contents: files.map((file) => `require(${JSON.stringify(`./${file}`)});`).join('\n'),
      resolveDir: root,
      sourcefile: 'functions-entry.js',
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external,
    outfile: path.join(root, BUNDLE),
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return BUNDLE;
}

if (require.main === module) console.log(`wrote ${bundle()}`);
