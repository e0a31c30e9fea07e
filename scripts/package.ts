import { execFileSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import yazl from 'yazl';

import { packageRoot } from '../src/package-info.js';
import { BUNDLE } from './bundle.js';

/**
 * `npm run package`: a zip that `az functionapp deployment source config-zip` and Flex Consumption
 * one-deploy accept: host.json at the root, package.json, the app (dist/app, the bundle `main` names;
 * dist/src, the compiled modules the token-echo command runs) and the
 * production node_modules (learn.microsoft.com/azure/azure-functions/deployment-zip-push). Nothing
 * from test/ or src/, no source maps, no local.settings.json.
 */
function walk(dir: string, base: string = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return walk(full, base);
    return [path.relative(base, full)];
  });
}

/**
 * Type declarations, TypeScript sources, source maps and Markdown of the dependencies are left out:
 * nothing runs them, and they are two thirds of the files (which is what makes a deploy slow).
 */
export function shipped(file: string): boolean {
  return !(file.startsWith(`node_modules${path.sep}`) && /\.(map|ts|mts|cts|md|markdown)$/i.test(file));
}

export async function buildPackage(out: string, log: (line: string) => void = console.log): Promise<{ files: number }> {
  const root = packageRoot();
  if (!existsSync(path.join(root, BUNDLE))) throw new Error(`${BUNDLE} is missing: run npm run build first`);
  const stage = mkdtempSync(path.join(os.tmpdir(), 'token-echo-package-'));
  try {
    for (const file of ['host.json', 'package.json', 'package-lock.json']) cpSync(path.join(root, file), path.join(stage, file));
    for (const dir of ['dist/app', 'dist/src']) cpSync(path.join(root, dir), path.join(stage, dir), { recursive: true, filter: (src) => !src.endsWith('.map') });
    log('installing production dependencies (npm ci --omit=dev)…');
    // --ignore-scripts: the package's own prepare script builds from src/, which is not shipped.
    execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: stage, stdio: 'ignore' });
    const files = walk(stage).filter(shipped).sort();
    await new Promise<void>((resolve, reject) => {
      const zip = new yazl.ZipFile();
      for (const file of files) zip.addFile(path.join(stage, file), file.split(path.sep).join('/'));
      zip.outputStream.pipe(createWriteStream(out)).on('close', resolve).on('error', reject);
      zip.end();
    });
    return { files: files.length };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const out = path.resolve(values.out ?? 'token-echo.zip');
  buildPackage(out).then(
    ({ files }) => console.log(`wrote ${out} (${files} files, ${(statSync(out).size / 1024 / 1024).toFixed(1)} MiB)`),
    (error: unknown) => {
      console.error(`package failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
