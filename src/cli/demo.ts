import { parseArgs } from 'node:util';

import { type DevAuthority, DEMO_API_CLIENT_ID, DEMO_API_URI, DEMO_CONNECTOR_CLIENT_ID, startAuthority } from '../dev/authority.js';
import { generateKey } from '../host/function-keys.js';
import { type LocalHost, startLocalHost } from '../host/local-host.js';
import { packageRoot } from '../package-info.js';
import type { Report } from '../report/report.js';
import { UsageError } from './usage-error.js';

export const DEMO_USAGE = `Usage: token-echo demo [--once] [--port N]

Shows every classic diagnosis in a few seconds, with nothing to register in Entra ID:
starts a LOCAL STAND-IN for Entra ID (keys made now, never published) and the local host
configured against it, then plays the connector's part, one call per situation.

  --once       exit after the calls (0 when every situation got its expected code)
  --port N     port of the local host (default 7071; 0 for any free port)
  -h, --help   this help`;

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

export interface DemoResult {
  name: string;
  expected: string;
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

/** The environment the demo's host runs with: the stand-in tenant, the demo API (GUID only) and connector app. */
export function demoSettings(authority: DevAuthority): Record<string, string> {
  return {
    TOKEN_ECHO_TENANT_ID: authority.tenant.id,
    TOKEN_ECHO_AUTHORITY: authority.url,
    TOKEN_ECHO_AUDIENCES: DEMO_API_CLIENT_ID,
    TOKEN_ECHO_SCOPES: 'access_as_user',
    TOKEN_ECHO_CLIENT_IDS: DEMO_CONNECTOR_CLIENT_ID,
  };
}

export async function playDemo(port: number, env: NodeJS.ProcessEnv = process.env): Promise<DemoRun> {
  const authority = await startAuthority();
  // The app reads its settings from the environment when it loads, as in Azure.
  Object.assign(env, demoSettings(authority), { TOKEN_ECHO_STRICT: 'false' });
  const key = env['TOKEN_ECHO_LOCAL_KEY']?.trim() || generateKey();
  let host: LocalHost;
  try {
    host = await startLocalHost({ appDir: packageRoot(), port, key, log: () => undefined });
  } catch (error) {
    await authority.stop();
    throw error;
  }
  const echoUrl = host.functions.find((f) => f.name === 'echo')?.url.replace('/{*path}', '') ?? `${host.url}/api/echo`;
  const results: DemoResult[] = [];
  for (const situation of SITUATIONS) {
    const token = await situation.token(authority);
    const res = await fetch(echoUrl, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
    const report = (await res.json()) as Report;
    const codes = report.reasons.filter((r) => r.severity !== 'info').map((r) => r.code);
    const ok = situation.expected === 'valid' ? report.verdict === 'valid' : codes[0] === situation.expected;
    results.push({ name: situation.name, expected: situation.expected, verdict: report.verdict, codes, summary: report.summary, ok });
  }
  return {
    results,
    host,
    authority,
    key,
    async stop() {
      await host.close();
      await authority.stop();
    },
  };
}

export async function runDemo(args: string[], out: (line: string) => void): Promise<{ code: number; run: DemoRun | null }> {
  const { values } = parseArgs({ args, options: { once: { type: 'boolean' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    out(DEMO_USAGE);
    return { code: 0, run: null };
  }
  const portText = values.port ?? '7071';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65_535) throw new UsageError(`--port must be a port number from 0 to 65535, not ${JSON.stringify(portText)}`);

  out('token-echo demo: a LOCAL STAND-IN for Entra ID (keys made now, used only here) and the local host configured against it.');
  const run = await playDemo(Number(portText));
  out(`Stand-in authority ${run.authority.url}, tenant ${run.authority.tenant.id}; API ${DEMO_API_CLIENT_ID}; connector app ${DEMO_CONNECTOR_CLIENT_ID}`);
  out('');
  const width = Math.max(...run.results.map((r) => r.name.length));
  for (const r of run.results) {
    const codes = r.codes.length > 0 ? r.codes.join(',') : '-';
    out(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(width)}  ${r.verdict.padEnd(10)} ${codes.padEnd(46)} ${r.summary}`);
  }
  const failures = run.results.filter((r) => !r.ok).length;
  out('');
  out(failures === 0 ? `All ${run.results.length} situations got their expected diagnosis.` : `${failures} situation(s) did not get their expected code.`);
  if (values.once) {
    await run.stop();
    return { code: failures === 0 ? 0 : 1, run: null };
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
