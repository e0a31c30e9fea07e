import type * as DataTables from '@azure/data-tables';
import type * as Identity from '@azure/identity';

import { ConfigError, type Env, type HistorySettings, type Settings, loadConfig } from './config.js';
import { EntraKeyStore } from './entra/key-store.js';
import { configureTokenMemo } from './inspect/token-memo.js';
import { packageVersion } from './package-info.js';
import type { Report } from './report/report.js';
import type * as AppInsightsSink from './sinks/app-insights.js';
import type { Telemetry } from './sinks/app-insights.js';
import type { HistoryStore } from './sinks/history.js';
import { MemoryHistory } from './sinks/memory-history.js';
import type * as TableHistorySink from './sinks/table-history.js';

/**
 * Receives each finished report after the answer is built (go-httpbin's observer): telemetry,
 * history. `json` is the report's JSON as the answer carries it, for adapters that keep it whole.
 * Nobody may change it.
 */
export type ReportObserver = (report: Report, json: string) => void | Promise<void>;

/**
 * The composition root shared by the functions of one app instance: the settings, validated once,
 * the key store whose cache lives as long as the instance, and the adapters fed each report.
 */
export type Runtime =
  | {
      ok: true;
      version: string;
      settings: Settings;
      keys: EntraKeyStore | null;
      history: HistoryStore | null;
      telemetry: Telemetry | null;
      observers: ReportObserver[];
    }
  | { ok: false; version: string; error: ConfigError };

export function createRuntime(env: Env, warn: (message: string) => void = console.warn): Runtime {
  const version = packageVersion();
  let settings: Settings;
  try {
    settings = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, version, error };
    throw error;
  }
  const keys =
    settings.tenant === null ? null : new EntraKeyStore({ authority: settings.authority, tenant: settings.tenant, fetchTimeoutMs: settings.fetchTimeoutMs });
  configureTokenMemo(settings.tokenCacheBytes);
  const history = createHistory(settings.history);
  // The SDK is loaded only when a connection string is set (it costs about a second of start-up).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const telemetry = settings.telemetry.connectionString === null ? null : (require('./sinks/app-insights.js') as typeof AppInsightsSink).startAppInsights(settings.telemetry, warn);
  const observers: ReportObserver[] = [];
  if (telemetry) observers.push((report) => telemetry.observe(report));
  // Both histories take the report at once: the table history writes behind the calls, in batches,
  // so a slow or unreachable storage account never slows a call (src/sinks/table-writer.ts).
  if (history) observers.push((report, json) => history.add(report, json));
  return { ok: true, version, settings, keys, history, telemetry, observers };
}

export function createHistory(history: HistorySettings, now?: () => number): HistoryStore | null {
  switch (history.kind) {
    case 'off':
      return null;
    case 'memory':
      return new MemoryHistory({ max: history.max, ttlHours: history.ttlHours, maxBytes: history.maxBytes, ...(now ? { now } : {}) });
    case 'table': {
      const { storage } = history;
      // Loaded only for the table history: the Azure SDK adds to every cold start otherwise.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { TableClient } = require('@azure/data-tables') as typeof DataTables;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { TableHistory } = require('./sinks/table-history.js') as typeof TableHistorySink;
      let client: DataTables.TableClient;
      if (storage.kind === 'connectionString') {
        // Azurite (UseDevelopmentStorage=true, or an http endpoint on loopback) speaks plain http.
        const insecure = /UseDevelopmentStorage=true|TableEndpoint=http:\/\/(127\.0\.0\.1|localhost)[:/]/i.test(storage.connectionString);
        client = TableClient.fromConnectionString(storage.connectionString, history.tableName, { allowInsecureConnection: insecure });
      } else {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { ManagedIdentityCredential, DefaultAzureCredential } = require('@azure/identity') as typeof Identity;
        const credential = storage.clientId ? new ManagedIdentityCredential({ clientId: storage.clientId }) : new DefaultAzureCredential();
        client = new TableClient(storage.tableServiceUri, history.tableName, credential);
      }
      return new TableHistory(client, { max: history.max, ttlHours: history.ttlHours, ...(now ? { now } : {}) });
    }
  }
}

/** At shutdown: what telemetry and the table history still hold is sent, each waited for at most `ms`. */
export async function flushRuntime(runtime: Runtime, ms: number): Promise<void> {
  if (!runtime.ok) return;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  try {
    await Promise.all([runtime.telemetry?.flush(ms), Promise.race([runtime.history?.flush?.(), late])]);
  } finally {
    clearTimeout(timer);
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
