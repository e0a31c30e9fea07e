import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, expect, test } from 'vitest';
import yauzl from 'yauzl';

import { ROOT, type SpawnedHost, spawnHost } from './helpers/spawn-host.js';

/** `npm run package` builds a deployable zip: its contents, and that it starts under the local host. */
let dir: string;
let zipFile: string;
let entries: string[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'token-echo-zip-'));
  zipFile = path.join(dir, 'app.zip');
  await promisify(execFile)(process.execPath, [path.join(ROOT, 'dist/scripts/package.js'), '--out', zipFile], { cwd: ROOT });
  entries = await listZip(zipFile);
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openZip(file: string): Promise<yauzl.ZipFile> {
  return promisify<string, yauzl.Options, yauzl.ZipFile>(yauzl.open)(file, { lazyEntries: true });
}

async function listZip(file: string): Promise<string[]> {
  const zip = await openZip(file);
  const names: string[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      names.push(e.fileName);
      zip.readEntry();
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  return names;
}

async function extract(file: string, to: string): Promise<void> {
  const zip = await openZip(file);
  const made = new Set<string>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      const target = path.join(to, e.fileName);
      if (!target.startsWith(to + path.sep)) return reject(new Error(`unsafe path in zip: ${e.fileName}`));
      const parent = path.dirname(target);
      if (!made.has(parent)) {
        mkdirSync(parent, { recursive: true });
        made.add(parent);
      }
      zip.openReadStream(e, (error, stream) => {
        if (error || !stream) return reject(error ?? new Error('no stream'));
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', reject);
        stream.on('end', () => {
          writeFileSync(target, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
}

test('host.json at the root, package.json, the compiled functions and production node_modules', () => {
  for (const required of ['host.json', 'package.json', 'dist/app/index.js', 'dist/src/functions/echo.js', 'dist/src/functions/viewer.js', 'node_modules/@azure/functions/package.json', 'node_modules/jose/package.json', 'node_modules/applicationinsights/package.json']) {
    expect(entries, required).toContain(required);
  }
});

test('nothing from test/ or src/, no dev dependencies, no source maps or local settings', () => {
  const forbidden = entries.filter(
    (e) => /^(test|src|scripts|docs|\.ci)\//.test(e) || /^node_modules\/(vitest|typescript|eslint|esbuild|azurite|playwright-core|ajv-formats)\//.test(e) || (e.startsWith('dist/') && e.endsWith('.map')) || e === 'local.settings.json' || e.startsWith('dist/scripts/'),
  );
  expect(forbidden).toEqual([]);
});

test('it starts under the local host and answers', { timeout: 120_000 }, async () => {
  const app = path.join(dir, 'app');
  await extract(zipFile, app);
  let host: SpawnedHost | undefined;
  try {
    host = await spawnHost({ args: ['--app-dir', app] });
    const health = await fetch(`${host.url}/api/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { name: string }).name).toBe('token-echo');
    const echo = await fetch(`${host.url}/api/echo`);
    expect(echo.headers.get('x-token-echo-verdict')).toBe('no_token');
    await host.stop();
    // And with Application Insights on, so the SDK's tree in the zip is complete enough to load and start.
    host = await spawnHost({
      args: ['--app-dir', app],
      env: {
        APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=https://127.0.0.1:9/',
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
        APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
      },
    });
    expect((await fetch(`${host.url}/api/echo`)).status).toBe(200);
    expect(((await (await fetch(`${host.url}/api/health`)).json()) as { settings: { applicationInsights: string } }).settings.applicationInsights).toBe('on');
  } finally {
    await host?.stop();
  }
});
