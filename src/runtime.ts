import { ConfigError, type Env, type Settings, loadConfig } from './config.js';
import { EntraKeyStore } from './entra/key-store.js';
import { packageVersion } from './package-info.js';
import type { Report } from './report/report.js';

/** Receives each finished report after the answer is built (go-httpbin's observer): logs, telemetry, history. */
export type ReportObserver = (report: Report) => void | Promise<void>;

/**
 * The composition root shared by the functions of one app instance: the settings, validated once,
 * and the key store whose cache lives as long as the instance.
 */
export type Runtime =
  | { ok: true; version: string; settings: Settings; keys: EntraKeyStore | null; observers: ReportObserver[] }
  | { ok: false; version: string; error: ConfigError };

export function createRuntime(env: Env): Runtime {
  const version = packageVersion();
  try {
    const settings = loadConfig(env);
    const keys =
      settings.tenant === null
        ? null
        : new EntraKeyStore({ authority: settings.authority, tenant: settings.tenant, fetchTimeoutMs: settings.fetchTimeoutMs });
    return { ok: true, version, settings, keys, observers: [] };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, version, error };
    throw error;
  }
}

let shared: Runtime | undefined;

/**
 * The instance's runtime, made from process.env on first use. A malformed setting is logged loudly
 * once; the functions then answer 500 naming it (throwing here would stop the Functions host from
 * indexing any function, which hides the message from the user).
 */
export function sharedRuntime(): Runtime {
  if (!shared) {
    shared = createRuntime(process.env);
    if (!shared.ok) console.error(`token-echo: invalid settings:\n${shared.error.message}`);
  }
  return shared;
}
