import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { ConfigError, loadConfig } from '../config.js';
import { generateKey } from '../host/function-keys.js';
import { type LocalHost, startLocalHost } from '../host/local-host.js';
import { applyLocalSettings } from '../host/local-settings.js';
import { packageRoot, packageVersion } from '../package-info.js';
import { EXIT_CONFIG, EXIT_UNAVAILABLE, UsageError } from './usage-error.js';

export const SERVE_USAGE = `Usage: token-echo serve [--port N] [--host ADDRESS] [--app-dir DIR]

Serves the app's functions (src/functions, built to dist/) on a local Functions host,
the way Core Tools' "func start" does, for machines without Core Tools.

  --port N          port to listen on (default: $PORT, else 7071)
  --host ADDRESS    address to bind (default 127.0.0.1; 0.0.0.0 for every interface)
  --app-dir DIR     the function app folder (default: this package)
  -h, --help        this help

Settings come from the environment and local.settings.json "Values" (which never override
the environment). Function-level functions need a key: TOKEN_ECHO_LOCAL_KEY, or one made at start.`;

export interface ServeResult {
  host: LocalHost;
  key: string;
}

export async function serve(args: string[], env: NodeJS.ProcessEnv = process.env, out: (line: string) => void = console.log): Promise<ServeResult | number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, host: { type: 'string' }, 'app-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    out(SERVE_USAGE);
    return 0;
  }
  const portText = values.port ?? env['PORT'] ?? '7071';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65_535) throw new UsageError(`--port (or PORT) must be a port number from 0 to 65535, not ${JSON.stringify(portText)}`);
  // Relative to where the command runs, as a user types it.
  const appDir = path.resolve(values['app-dir'] ?? packageRoot());
  if (!existsSync(path.join(appDir, 'host.json')) || !existsSync(path.join(appDir, 'package.json'))) {
    throw new UsageError(`--app-dir ${JSON.stringify(values['app-dir'] ?? appDir)} is not a function app folder (it needs host.json and package.json)`);
  }

  applyLocalSettings(appDir, env);
  // Misuse fails loudly at start: a malformed setting stops the host with the setting named.
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`token-echo: invalid settings, not starting:\n${error.message}`);
      return EXIT_CONFIG;
    }
    throw error;
  }
  const chosenKey = env['TOKEN_ECHO_LOCAL_KEY']?.trim();
  const key = chosenKey ? chosenKey : generateKey();
  let host: LocalHost;
  try {
    host = await startLocalHost({ appDir, port: Number(portText), key, ...(values.host !== undefined ? { host: values.host } : {}) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.error(`token-echo: port ${portText} is in use (another "npm start" or "token-echo demo --port ${portText}"?): stop it, or choose another with --port N or PORT=N`);
    return EXIT_UNAVAILABLE;
  }

  out(`token-echo ${packageVersion()}: local Functions host (func start works too, where Core Tools is installed)`);
  out('Functions:');
  const width = Math.max(...host.functions.map((f) => f.name.length));
  for (const f of host.functions) {
    out(`  ${`${f.name}:`.padEnd(width + 1)} [${f.methods.join(',')}] ${f.url}${f.authLevel === 'anonymous' ? '' : `  (${f.authLevel}: needs the key)`}`);
  }
  out(chosenKey ? 'Function key: from TOKEN_ECHO_LOCAL_KEY' : `Function key (x-functions-key header or ?code=): ${key}`);
  const viewer = host.functions.find((f) => f.name === 'viewer');
  if (viewer) out(`Viewer: ${viewer.url}?code=${chosenKey ? '<TOKEN_ECHO_LOCAL_KEY>' : key}`);
  const tenant = env['TOKEN_ECHO_TENANT_ID']?.trim();
  out(tenant ? `Validating tokens of tenant ${tenant}` : 'Decode-only mode: set TOKEN_ECHO_TENANT_ID to validate signatures, issuer and tenant');
  return { host, key };
}
