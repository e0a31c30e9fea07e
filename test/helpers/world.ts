import { randomUUID } from 'node:crypto';

import { type Settings, loadConfig } from '../../src/config.js';
import { type DevAuthority, DEMO_API_CLIENT_ID, DEMO_API_URI, DEMO_CONNECTOR_CLIENT_ID } from '../../src/dev/authority.js';
import { EntraKeyStore } from '../../src/entra/key-store.js';
import { inspect } from '../../src/inspect/inspect.js';
import type { KeySource } from '../../src/inspect/key-source.js';
import type { Report } from '../../src/report/report.js';

export { DEMO_API_CLIENT_ID, DEMO_API_URI, DEMO_CONNECTOR_CLIENT_ID };

/** Settings as a user would write them, against the local authority's first tenant. */
export function settingsFor(authority: DevAuthority, env: Record<string, string> = {}): Settings {
  return loadConfig({
    TOKEN_ECHO_TENANT_ID: authority.tenant.id,
    TOKEN_ECHO_AUTHORITY: authority.url,
    TOKEN_ECHO_AUDIENCES: `${DEMO_API_URI},${DEMO_API_CLIENT_ID}`,
    TOKEN_ECHO_SCOPES: 'access_as_user',
    TOKEN_ECHO_CLIENT_IDS: DEMO_CONNECTOR_CLIENT_ID,
    ...env,
  });
}

export function keyStoreFor(settings: Settings, now?: () => number): EntraKeyStore {
  if (settings.tenant === null) throw new Error('no tenant');
  return new EntraKeyStore({ authority: settings.authority, tenant: settings.tenant, fetchTimeoutMs: settings.fetchTimeoutMs, ...(now ? { now } : {}) });
}

export interface CallOptions {
  token?: string;
  authorization?: string;
  headers?: Record<string, string>;
  method?: string;
  url?: string;
  now?: Date;
}

export function call(settings: Settings, keys: KeySource | null, o: CallOptions = {}): Promise<Report> {
  const headers: Array<[string, string]> = Object.entries(o.headers ?? {});
  if (o.authorization !== undefined) headers.push(['Authorization', o.authorization]);
  else if (o.token !== undefined) headers.push(['Authorization', `Bearer ${o.token}`]);
  return inspect({ method: o.method ?? 'GET', url: o.url ?? '/api/echo', headers, bodySize: 0 }, settings, keys, { now: o.now ?? new Date(), id: randomUUID() });
}

export function codes(report: Report): string[] {
  return report.reasons.map((r) => r.code);
}

export function check(report: Report, name: string): Report['checks'][number] {
  const c = report.checks.find((x) => x.name === name);
  if (!c) throw new Error(`no check ${name}`);
  return c;
}
