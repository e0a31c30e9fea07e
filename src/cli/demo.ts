import { parseArgs } from 'node:util';

import { ConfigError, loadConfig } from '../config.js';
import { type AuthorityFault, type DevAuthority, DEMO_API_CLIENT_ID, DEMO_API_URI, DEMO_CONNECTOR_CLIENT_ID, startAuthority } from '../dev/authority.js';
import { generateKey } from '../host/function-keys.js';
import { type LocalHost, startLocalHost } from '../host/local-host.js';
import { packageRoot } from '../package-info.js';
import type { Report } from '../report/report.js';
import { demoTable } from './demo-table.js';
import { EXIT_CONFIG, EXIT_UNAVAILABLE, UsageError } from './usage-error.js';

/** The whole `--once` run, start to stop; it takes a few seconds. */
export const DEMO_DEADLINE_MS = 30_000;
/** How long the stand-in authority may take to answer its first metadata request. */
const AUTHORITY_CHECK_MS = 3_000;
const FAULT_SETTING = 'TOKEN_ECHO_DEMO_FAULT';
const FAULTS: readonly AuthorityFault[] = ['none', 'error500', 'garbage', 'html', 'hang'];

export const DEMO_USAGE = `Usage: token-echo demo [--once] [--port N]

Shows every classic diagnosis in a few seconds, with nothing to register in Entra ID:
starts a LOCAL STAND-IN for Entra ID (keys made now, never published) and the local host
configured against it, then plays the connector's part, one call per situation.

  --once       exit after the calls (0 when every situation got its expected code)
  --port N     port of the local host (default: any free port)
  -h, --help   this help

The demo sets its own tenant, authority, audiences, scopes, roles and client IDs, memory history
and no telemetry; your other TOKEN_ECHO_* settings apply (a malformed one stops it, exit 78).
${FAULT_SETTING}=hang (or error500, garbage, html) makes the stand-in fail, to see how an
unreachable authority is reported.
Exit code: 0 as expected, 1 a situation got another diagnosis, 64 usage error,
69 could not run (port in use, authority unreachable, ${DEMO_DEADLINE_MS / 1000} s deadline), 78 bad setting.`;

export interface Situation {
  name: string;
  expected: string;
  token: (a: DevAuthority) => Promise<string | null>;
}

/** The situations makers meet, each with the reason code it must produce (valid: no error at all). */
export const SITUATIONS: Situation[] = [
  { name: 'correct on-behalf-of token', expected: 'valid', token: (a) => a.mint() },
  { name: 'first-hop API Hub token', expected: 'APIHUB_TOKEN', token: (a) => a.mint({ aud: 'https://apihub.azure.com', scp: 'user_impersonation' }) },
  { name: 'Microsoft Graph token', expected: 'GRAPH_TOKEN', token: (a) => a.mint({ aud: 'https://graph.microsoft.com', scp: 'User.Read', header: { nonce: 'hashed-by-graph' } }) },
  { name: 'v1 api:// audience, GUID-only config', expected: 'AUDIENCE_MISMATCH', token: (a) => a.mint({ version: '1.0', aud: DEMO_API_URI }) },
  { name: 'expired token', expected: 'EXPIRED', token: (a) => a.mint({ issuedAt: -7200, notBefore: -7200, expiresIn: -1800 }) },
  { name: "another tenant's token", expected: 'TENANT_MISMATCH', token: async (a) => a.mint({ tenant: (a.tenants[1] ?? (await a.addTenant('fabrikam.onmicrosoft.com'))).id }) },
  { name: 'app-only token', expected: 'APP_ONLY_TOKEN', token: (a) => a.mint({ scp: null, roles: ['Echo.Read.All'] }) },
  { name: 'ID token sent as access token', expected: 'ID_TOKEN', token: (a) => a.mintIdToken(DEMO_CONNECTOR_CLIENT_ID) },
  { name: 'no token at all', expected: 'NO_TOKEN', token: () => Promise.resolve(null) },
];

type Caller = 'power-automate' | 'copilot-studio';

/**
 * Where each situation's call goes and who it looks like, kept apart from SITUATIONS so either
 * list can change alone: distinct paths and callers tell the rows apart in the viewer and history.
 */
export const SITUATION_CALLS: Record<string, { path: string; caller: Caller }> = {
  'correct on-behalf-of token': { path: 'orders', caller: 'power-automate' },
  'first-hop API Hub token': { path: 'first-hop', caller: 'power-automate' },
  'Microsoft Graph token': { path: 'graph', caller: 'copilot-studio' },
  'v1 api:// audience, GUID-only config': { path: 'v1-audience', caller: 'power-automate' },
  'expired token': { path: 'expired', caller: 'power-automate' },
  "another tenant's token": { path: 'other-tenant', caller: 'copilot-studio' },
  'app-only token': { path: 'app-only', caller: 'power-automate' },
  'ID token sent as access token': { path: 'id-token', caller: 'copilot-studio' },
  'no token at all': { path: 'no-token', caller: 'power-automate' },
};

/**
 * Headers like those the connector runtime adds for each caller, as observed at backends
 * (shared/reference/power-platform-connectors.md §2.2): the User-Agent that src/inspect/connector.ts
 * reads, a workflow or agent name, and per-call correlation.
 */
export function callerHeaders(caller: Caller, index: number): Record<string, string> {
  const id = `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`;
  const trace = `00-${'0'.repeat(31)}${index + 1}-${'0'.repeat(15)}${index + 1}-01`;
  if (caller === 'copilot-studio') {
    return { 'user-agent': 'CopilotStudio PowerFx/1.99.0-local', 'x-ms-entra-agent-name': 'token_echo_demo_agent', 'x-ms-client-request-id': id, traceparent: trace };
  }
  return {
    'user-agent': 'azure-logic-apps/1.0 (workflow token-echo-demo; version 1) microsoft-flow/1.0',
    'x-ms-workflow-name': 'token-echo-demo',
    'x-ms-workflow-run-id': `08584000000000000000${index + 1}`,
    'x-ms-client-request-id': id,
    traceparent: trace,
  };
}

export interface DemoResult {
  name: string;
  expected: string;
  path: string;
  verdict: string;
  codes: string[];
  summary: string;
  ok: boolean;
}

export interface DemoRun {
  results: DemoResult[];
  host: LocalHost;
  authority: DevAuthority;
  key: string;
  stop(): Promise<void>;
}

/** The settings the demo owns; the others (strict mode, clock skew, fetch timeout…) apply as set. */
export const DEMO_OWNED_SETTINGS = [
  'TOKEN_ECHO_TENANT_ID',
  'TOKEN_ECHO_AUTHORITY',
  'TOKEN_ECHO_AUDIENCES',
  'TOKEN_ECHO_SCOPES',
  'TOKEN_ECHO_ROLES',
  'TOKEN_ECHO_CLIENT_IDS',
  'TOKEN_ECHO_HISTORY',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
] as const;

/** The demo's host runs against the stand-in tenant, the demo API (GUID only) and connector app, memory history, no telemetry. */
export function demoSettings(authority: DevAuthority): Record<(typeof DEMO_OWNED_SETTINGS)[number], string> {
  return {
    TOKEN_ECHO_TENANT_ID: authority.tenant.id,
    TOKEN_ECHO_AUTHORITY: authority.url,
    TOKEN_ECHO_AUDIENCES: DEMO_API_CLIENT_ID,
    TOKEN_ECHO_SCOPES: 'access_as_user',
    TOKEN_ECHO_ROLES: '',
    TOKEN_ECHO_CLIENT_IDS: DEMO_CONNECTOR_CLIENT_ID,
    TOKEN_ECHO_HISTORY: 'memory',
    APPLICATIONINSIGHTS_CONNECTION_STRING: '',
  };
}

/** Something outside the demo stopped it: a one-line message, exit 69. */
export class DemoUnavailable extends Error {
  override name = 'DemoUnavailable';
}

/** What has been started so far, so every path stops it. */
interface Started {
  authority?: DevAuthority;
  host?: LocalHost;
}

async function stopAll(started: Started): Promise<void> {
  const stopping = Promise.allSettled([started.host?.close(), started.authority?.stop()]);
  // A connection that never ends must not keep the demo from exiting.
  await Promise.race([stopping, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
}

async function checkAuthority(authority: DevAuthority): Promise<void> {
  const url = `${authority.url}/${authority.tenant.id}/v2.0/.well-known/openid-configuration`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(AUTHORITY_CHECK_MS) });
    await res.json();
    if (!res.ok) throw new Error(`status ${res.status}`);
  } catch (error) {
    const why = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${AUTHORITY_CHECK_MS / 1000} s` : error instanceof Error ? error.message : String(error);
    throw new DemoUnavailable(`the stand-in authority at ${authority.url} is unreachable (${why}): is loopback traffic blocked by a proxy or firewall?`);
  }
}

export async function playDemo(port: number, env: NodeJS.ProcessEnv = process.env, started: Started = {}, fault: AuthorityFault = 'none'): Promise<DemoRun> {
  const authority = await startAuthority();
  started.authority = authority;
  authority.fault = fault;
  await checkAuthority(authority);
  // The app reads its settings from the environment when it loads, as in Azure.
  Object.assign(env, demoSettings(authority));
  const key = env['TOKEN_ECHO_LOCAL_KEY']?.trim() || generateKey();
  let host: LocalHost;
  try {
    host = await startLocalHost({ appDir: packageRoot(), port, key, log: () => undefined });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new DemoUnavailable(`port ${port} is in use (is "npm start" running there?): leave --port out for a free port, or pick another`);
    }
    throw error;
  }
  started.host = host;
  const echoUrl = host.functions.find((f) => f.name === 'echo')?.url.replace('/{*path}', '') ?? `${host.url}/api/echo`;
  const results: DemoResult[] = [];
  for (const [index, situation] of SITUATIONS.entries()) {
    const call = SITUATION_CALLS[situation.name] ?? { path: `situation-${index + 1}`, caller: 'power-automate' };
    const token = await situation.token(authority);
    const headers = { ...callerHeaders(call.caller, index), ...(token === null ? {} : { authorization: `Bearer ${token}` }) };
    const res = await fetch(`${echoUrl}/${call.path}?note=${encodeURIComponent(situation.name)}`, { headers });
    const report = (await res.json().catch(() => null)) as Report | null;
    if (report === null || !Array.isArray(report.reasons)) throw new DemoUnavailable(`the host answered "${situation.name}" with status ${res.status} and no report`);
    const codes = report.reasons.filter((r) => r.severity !== 'info').map((r) => r.code);
    const ok = situation.expected === 'valid' ? report.verdict === 'valid' : codes[0] === situation.expected;
    results.push({ name: situation.name, expected: situation.expected, path: new URL(echoUrl).pathname + `/${call.path}`, verdict: report.verdict, codes, summary: report.summary, ok });
  }
  return {
    results,
    host,
    authority,
    key,
    stop: () => stopAll(started),
  };
}

/** Settings first, as `serve` checks them: a malformed one stops the demo before anything starts. */
function checkSettings(env: NodeJS.ProcessEnv, err: (line: string) => void): { fault: AuthorityFault } | number {
  try {
    loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    err(`token-echo: invalid settings, not starting the demo:\n${error.message}`);
    return EXIT_CONFIG;
  }
  const fault = (env[FAULT_SETTING]?.trim() || 'none') as AuthorityFault;
  if (!FAULTS.includes(fault)) {
    err(`token-echo: invalid settings, not starting the demo:\n${FAULT_SETTING}=${JSON.stringify(env[FAULT_SETTING])} is not valid: expected ${FAULTS.join(', ')}.`);
    return EXIT_CONFIG;
  }
  return { fault };
}

export interface DemoIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export async function runDemo(args: string[], io: DemoIo): Promise<{ code: number; run: DemoRun | null }> {
  const { values } = parseArgs({ args, options: { once: { type: 'boolean' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  const { out, err } = io;
  const env = io.env ?? process.env;
  if (values.help) {
    out(DEMO_USAGE);
    return { code: 0, run: null };
  }
  const portText = values.port ?? '0';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65_535) throw new UsageError(`--port must be a port number from 0 to 65535, not ${JSON.stringify(portText)}`);
  const checked = checkSettings(env, err);
  if (typeof checked === 'number') return { code: checked, run: null };
  const overridden = DEMO_OWNED_SETTINGS.filter((name) => (env[name]?.trim() ?? '') !== '');
  out('token-echo demo: a LOCAL STAND-IN for Entra ID (keys made now, used only here)');
  out('and the local host configured against it.');
  if (overridden.length > 0) out(`Your ${overridden.join(', ')} ${overridden.length === 1 ? 'is' : 'are'} replaced by the demo's own for this run.`);

  const started: Started = {};
  let deadline: NodeJS.Timeout | undefined;
  let run: DemoRun;
  try {
    run = await Promise.race([
      playDemo(Number(portText), env, started, checked.fault),
      new Promise<never>((_, reject) => {
        deadline = setTimeout(() => reject(new DemoUnavailable(`the calls did not finish within ${DEMO_DEADLINE_MS / 1000} s`)), DEMO_DEADLINE_MS);
      }),
    ]);
  } catch (error) {
    await stopAll(started);
    if (error instanceof DemoUnavailable) {
      err(`token-echo: the demo could not run: ${error.message}`);
      return { code: EXIT_UNAVAILABLE, run: null };
    }
    throw error;
  } finally {
    clearTimeout(deadline);
  }

  out(`Stand-in authority ${run.authority.url}, tenant ${run.authority.tenant.id}`);
  out(`API ${DEMO_API_CLIENT_ID}, connector app ${DEMO_CONNECTOR_CLIENT_ID}`);
  out('');
  for (const line of demoTable(run.results)) out(line);
  const failures = run.results.filter((r) => !r.ok);
  out('');
  for (const r of failures) out(`FAIL ${r.name}: expected ${r.expected}, got ${r.codes[0] ?? r.verdict}. ${r.summary}`);
  out(failures.length === 0 ? `All ${run.results.length} situations got their expected diagnosis.` : `${failures.length} situation(s) did not get their expected code.`);
  if (values.once) {
    await run.stop();
    return { code: failures.length === 0 ? 0 : 1, run: null };
  }
  const echo = run.host.functions.find((f) => f.name === 'echo');
  out('');
  out('The host keeps running (Ctrl+C to stop):');
  for (const f of run.host.functions) {
    const needsKey = f.authLevel !== 'anonymous';
    out(`  ${f.name}: ${f.url.replace('/{*path}', '')}${needsKey ? `?code=${run.key}` : ''}`);
  }
  const fresh = await run.authority.mint();
  out('');
  out('A fresh valid token from the stand-in (valid here only), ready to send:');
  out(`  curl -s ${(echo?.url ?? `${run.host.url}/api/echo`).replace('/{*path}', '')} -H "Authorization: Bearer ${fresh}"`);
  return { code: 0, run };
}
