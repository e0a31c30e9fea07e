import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * local.settings.json, as Core Tools reads it: `Values` become environment variables, but never
 * override one already set (azure-docs includes/functions-local-settings-file.md).
 * Returns the names it set. A malformed file is an error naming the file.
 */
export function applyLocalSettings(appDir: string, env: NodeJS.ProcessEnv): string[] {
  const file = path.join(appDir, 'local.settings.json');
  if (!existsSync(file)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const values = (parsed as { Values?: unknown } | null)?.Values;
  if (values === undefined) return [];
  if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new Error(`${file}: "Values" must be an object of strings`);
  const set: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== 'string') throw new Error(`${file}: Values.${name} must be a string`);
    if (env[name] === undefined) {
      env[name] = value;
      set.push(name);
    }
  }
  return set;
}

/** `extensions.http.routePrefix` of host.json; "api" by default, "" removes the prefix. */
export function readRoutePrefix(appDir: string): string {
  const file = path.join(appDir, 'host.json');
  if (!existsSync(file)) return 'api';
  const host = JSON.parse(readFileSync(file, 'utf8')) as { extensions?: { http?: { routePrefix?: unknown } } };
  const prefix = host.extensions?.http?.routePrefix;
  return typeof prefix === 'string' ? prefix.replace(/^\/+|\/+$/g, '') : 'api';
}
