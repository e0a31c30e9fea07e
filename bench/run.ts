import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';

import { type DevAuthority, DEMO_API_CLIENT_ID, DEMO_CONNECTOR_CLIENT_ID, startAuthority } from '../src/dev/authority.js';
import { freePort } from '../src/dev/free-port.js';
import { generatedFiles } from '../scripts/generate.js';
import { packageRoot } from '../src/package-info.js';
import { type LoadResult, type Target, targetTable, throughputTable } from './results-table.js';
import { type TableHistoryPhase, tableHistoryPhases } from './table-history.js';

/**
 * `npm run bench`: token-echo against the usual ways of validating a token, side by side, in one
 * run, on loopback, with the same token, the same authority and the same load generator
 * (autocannon, in its own process). Then cold start, key-fetch coalescing, the unknown-kid flood
 * and memory. Prints a table and checks the targets; with --write (a full run only) it also writes
 * bench/results.json and the README section made from it, so trying the bench leaves the tree clean.
 */
const ROOT = packageRoot();
const CLI = path.join(ROOT, 'dist/src/cli/main.js');
const { values: flags } = parseArgs({
  options: {
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string' },
    write: { type: 'boolean', default: false },
    baseline: { type: 'string' },
  },
});
const CONNECTIONS = Number(flags.connections);
const DURATION = Number(flags.duration);
const WARMUP = Number(flags.warmup);
const ROUNDS = Number(flags.rounds);

/**
 * --baseline DIR: another checkout of token-echo, installed and built (`npm ci && npm run build`
 * there), whose framework ceiling and token-echo run in the same rounds as this one's. The targets
 * were set on one machine; on another the ratios move with the hardware, and "the targets still
 * met" can then only be judged against the code before the change, measured in the same run.
 */
const BASELINE = flags.baseline === undefined ? null : path.resolve(flags.baseline);
if (BASELINE !== null) {
  const missing = ['dist/src/cli/main.js', 'bench/apps/ceiling', 'node_modules/@azure/functions'].filter((file) => !existsSync(path.join(BASELINE, file)));
  if (missing.length > 0) {
    console.error(`--baseline ${flags.baseline}: not a built checkout of token-echo (missing ${missing.join(', ')}); run "npm ci && npm run build" in it first`);
    process.exit(2);
  }
}


interface Server {
  name: string;
  title: string;
  start(port: number): ChildProcess;
  path: string;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'token-echo-bench-'));

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...extra };
}

/** Every server started, so none outlives the bench, however it ends. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

function node(args: string[], extra: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, { env: env(extra), stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function waitReady(url: string, headers: Record<string, string> = {}, ms = 30_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      const res = await fetch(url, { headers });
      await res.arrayBuffer();
      if (res.status < 500) return performance.now() - started;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > ms) throw new Error(`${url} did not answer`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A request other than the default GET: the MCP phase's POST of tools/call. */
interface PhaseRequest {
  path: string;
  method: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * The MCP phase: `tools/call token_report` on /api/mcp, as a stateless client sends it after
 * initialize (MCP-Protocol-Version header, Accept of both JSON and SSE; MCP 2025-11-25
 * basic/transports.mdx), with the same token as the echo phase. It is compared with the very same
 * POST (body and headers) sent to /api/echo: MCP is POST only, and on this host a POST with a body
 * costs some 20% of a GET's throughput before any handler runs (the body goes through
 * @azure/functions' web streams), so a GET would measure the method, not the MCP edge.
 */
const MCP_TOOLS_CALL: PhaseRequest = {
  path: '/api/mcp',
  method: 'POST',
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'token_report', arguments: {} } }),
  headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
};
const ECHO_SAME_POST: PhaseRequest = { ...MCP_TOOLS_CALL, path: '/api/echo' };

function load(url: string, tokensFile: string, duration: number, request?: PhaseRequest): Promise<LoadResult> {
  const job = { url, connections: CONNECTIONS, duration, tokensFile, ...(request ? { method: request.method, body: request.body, headers: request.headers } : {}) };
  return promisify(execFile)(process.execPath, [path.join(ROOT, 'dist/bench/load.js'), JSON.stringify(job)], {
    maxBuffer: 1 << 20,
  }).then(({ stdout }) => JSON.parse(stdout) as LoadResult);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  const authority = await startAuthority();
  const tenant = authority.tenant.id;
  const issuer = `${authority.url}/${tenant}/v2.0`;
  const jwksUri = `${authority.url}/${tenant}/discovery/v2.0/keys`;
  const tokenEchoEnv = {
    TOKEN_ECHO_TENANT_ID: tenant,
    TOKEN_ECHO_AUTHORITY: authority.url,
    TOKEN_ECHO_AUDIENCES: DEMO_API_CLIENT_ID,
    TOKEN_ECHO_SCOPES: 'access_as_user',
    TOKEN_ECHO_CLIENT_IDS: DEMO_CONNECTOR_CLIENT_ID,
    TOKEN_ECHO_HISTORY: 'memory',
  };
  const usualEnv = { BENCH_JWKS_URI: jwksUri, BENCH_AUDIENCE: DEMO_API_CLIENT_ID, BENCH_ISSUER: issuer };

  const oneToken = path.join(tmp, 'one.txt');
  writeFileSync(oneToken, `${await authority.mint({ expiresIn: 7200 })}\n`);
  const manyTokens = path.join(tmp, 'many.txt');
  const many: string[] = [];
  for (let i = 0; i < 1000; i += 1) many.push(await authority.mint({ expiresIn: 7200 }));
  writeFileSync(manyTokens, `${many.join('\n')}\n`);

  const servers: Server[] = [
    { name: 'ceiling', title: 'node:http, fixed JSON', path: '/', start: (port) => node([path.join(ROOT, 'dist/bench/servers/ceiling.js')], { PORT: String(port) }) },
    { name: 'usualStack', title: 'express + express-jwt + jwks-rsa', path: '/api/echo', start: (port) => node([path.join(ROOT, 'dist/bench/servers/usual-stack.js')], { PORT: String(port), ...usualEnv }) },
    { name: 'frameworkCeiling', title: 'Function, fixed JSON (local host)', path: '/api/echo', start: (port) => node([CLI, 'serve', '--port', String(port), '--app-dir', path.join(ROOT, 'bench/apps/ceiling')], {}) },
    { name: 'usualFunction', title: 'Function, jsonwebtoken + jwks-rsa', path: '/api/echo', start: (port) => node([CLI, 'serve', '--port', String(port), '--app-dir', path.join(ROOT, 'bench/apps/usual-function')], usualEnv) },
    { name: 'tokenEcho', title: 'token-echo (full report, memory history)', path: '/api/echo', start: (port) => node([CLI, 'serve', '--port', String(port)], tokenEchoEnv) },
  ];
  // With --baseline, its two servers run whatever --only says.
  const baselineServers: Server[] =
    BASELINE === null
      ? []
      : [
          { name: 'frameworkCeilingBaseline', title: 'baseline: Function, fixed JSON (its local host)', path: '/api/echo', start: (port) => node([path.join(BASELINE, 'dist/src/cli/main.js'), 'serve', '--port', String(port), '--app-dir', path.join(BASELINE, 'bench/apps/ceiling')], {}) },
          { name: 'tokenEchoBaseline', title: 'baseline: token-echo', path: '/api/echo', start: (port) => node([path.join(BASELINE, 'dist/src/cli/main.js'), 'serve', '--port', String(port)], tokenEchoEnv) },
        ];
  const only = flags.only?.split(',');
  const chosen = [...servers.filter((server) => !only || only.includes(server.name)), ...baselineServers];
  // `--only tableHistory` runs that phase alone (it starts its own servers and Azurite).
  const tableHistoryDeps = { root: ROOT, cli: CLI, rounds: ROUNDS, duration: DURATION, warmup: WARMUP, tokenEchoEnv, tokensFile: oneToken, node, waitReady, load, stop };
  console.log(
    `token-echo bench: ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION} s per phase (after ${WARMUP} s warm-up), medians; Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`,
  );
  // Every server runs for the whole comparison, and the rounds go through them in turn.
  const running: Array<{ server: Server; port: number; child: ChildProcess }> = [];
  for (const server of chosen) {
    const port = await freePort();
    running.push({ server, port, child: server.start(port) });
  }
  const rounds: Record<string, LoadResult[]> = {};
  try {
    for (const r of running) {
      await waitReady(`http://127.0.0.1:${r.port}${r.server.path}`);
      // A server that failed to start must not let another process answer in its place.
      if (r.child.exitCode !== null) throw new Error(`${r.server.name} exited with ${r.child.exitCode}`);
    }
    // Each phase is compared with its neighbours: token-echo runs right after the framework
    // ceiling and right before the usual Function, and the two rotating phases run together.
    const byName = new Map(running.map((r) => [r.server.name, r]));
    const phases: Array<{ name: string; server: string; tokens: string; request?: PhaseRequest }> = [
      { name: 'ceiling', server: 'ceiling', tokens: oneToken },
      { name: 'usualStack', server: 'usualStack', tokens: oneToken },
      { name: 'frameworkCeiling', server: 'frameworkCeiling', tokens: oneToken },
      { name: 'tokenEcho', server: 'tokenEcho', tokens: oneToken },
      { name: 'frameworkCeilingBaseline', server: 'frameworkCeilingBaseline', tokens: oneToken },
      { name: 'tokenEchoBaseline', server: 'tokenEchoBaseline', tokens: oneToken },
      { name: 'tokenEchoPost', server: 'tokenEcho', tokens: oneToken, request: ECHO_SAME_POST },
      { name: 'tokenEchoMcp', server: 'tokenEcho', tokens: oneToken, request: MCP_TOOLS_CALL },
      { name: 'usualFunction', server: 'usualFunction', tokens: oneToken },
      { name: 'usualFunctionRotating', server: 'usualFunction', tokens: manyTokens },
      { name: 'tokenEchoRotating', server: 'tokenEcho', tokens: manyTokens },
    ];
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const phase of phases) {
        const r = byName.get(phase.server);
        if (!r) continue;
        const url = `http://127.0.0.1:${r.port}${phase.request?.path ?? r.server.path}`;
        if (WARMUP > 0) await load(url, phase.tokens, WARMUP, phase.request);
        (rounds[phase.name] ??= []).push(await load(url, phase.tokens, DURATION, phase.request));
      }
      console.log(`  round ${round}: ${Object.entries(rounds).map(([name, r]) => `${name} ${Math.round(r.at(-1)?.rps ?? 0)}`).join(', ')}`);
    }
  } finally {
    for (const r of running) await stop(r.child);
  }
  const throughput: Record<string, LoadResult> = {};
  for (const [name, results] of Object.entries(rounds)) {
    // The round with the median throughput, with its own latencies; errors summed over all rounds.
    const sorted = [...results].sort((a, b) => a.rps - b.rps);
    const mid = sorted[Math.floor(sorted.length / 2)] as LoadResult;
    throughput[name] = { ...mid, errors: results.reduce((n, r) => n + r.errors, 0), non2xx: results.reduce((n, r) => n + r.non2xx, 0) };
  }

  const results: Record<string, unknown> = {
    machine: { node: process.version, cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
    settings: { connections: CONNECTIONS, duration: DURATION, warmup: WARMUP, rounds: ROUNDS },
    rounds,
    throughput,
  };
  if (!only || only.includes('tableHistory')) results['tableHistory'] = await tableHistoryPhases(tableHistoryDeps);
  if (!only) {
    results['coldStart'] = await coldStart(authority, tokenEchoEnv, oneToken);
    results['coalescing'] = await coalescing(authority, tokenEchoEnv);
    results['flood'] = await flood(authority, tokenEchoEnv);
    results['memory'] = await memory(authority, tokenEchoEnv);
  }
  await authority.stop();
  rmSync(tmp, { recursive: true, force: true });
  report(results);
}

async function coldStart(authority: DevAuthority, tokenEchoEnv: Record<string, string>, tokenFile: string): Promise<Record<string, number>> {
  const { readFileSync } = await import('node:fs');
  const token = readFileSync(tokenFile, 'utf8').trim();
  const measure = async (args: string[], extra: Record<string, string>, url: string, headers: Record<string, string>): Promise<number> => {
    const times: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const port = await freePort();
      const started = performance.now();
      const child = node([...args, '--port', String(port)], extra);
      try {
        for (;;) {
          try {
            const res = await fetch(`http://127.0.0.1:${port}${url}`, { headers });
            const verdict = res.headers.get('x-token-echo-verdict');
            await res.arrayBuffer();
            if (res.status === 200 && (verdict === null || verdict === 'valid')) break;
          } catch {
            // not yet
          }
          await new Promise((r) => setTimeout(r, 2));
        }
        times.push(performance.now() - started);
      } finally {
        await stop(child);
      }
    }
    return Math.round(median(times));
  };
  const quietAi = {
    APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=https://127.0.0.1:9/`,
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
    APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
  };
  const ceilingArgs = [CLI, 'serve', '--app-dir', path.join(ROOT, 'bench/apps/ceiling')];
  const auth = { authorization: `Bearer ${token}` };
  void authority;
  return {
    frameworkCeilingMs: await measure(ceilingArgs, {}, '/api/echo', {}),
    tokenEchoMs: await measure([CLI, 'serve'], tokenEchoEnv, '/api/echo', auth),
    frameworkCeilingWithAppInsightsMs: await measure(ceilingArgs, quietAi, '/api/echo', {}),
    tokenEchoWithAppInsightsMs: await measure([CLI, 'serve'], { ...tokenEchoEnv, ...quietAi }, '/api/echo', auth),
  };
}

async function coalescing(authority: DevAuthority, tokenEchoEnv: Record<string, string>): Promise<Record<string, number>> {
  const port = await freePort();
  const child = node([CLI, 'serve', '--port', String(port)], tokenEchoEnv);
  try {
    await waitReady(`http://127.0.0.1:${port}/api/health-not-there`);
    const token = await authority.mint();
    authority.resetCounts();
    const answers = await Promise.all(
      Array.from({ length: 500 }, () => fetch(`http://127.0.0.1:${port}/api/echo`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.headers.get('x-token-echo-verdict'))),
    );
    return { calls: 500, valid: answers.filter((v) => v === 'valid').length, metadataFetches: authority.requests.metadata, keyFetches: authority.requests.keys };
  } finally {
    await stop(child);
  }
}

async function flood(authority: DevAuthority, tokenEchoEnv: Record<string, string>): Promise<Record<string, number>> {
  const port = await freePort();
  const child = node([CLI, 'serve', '--port', String(port)], tokenEchoEnv);
  try {
    await waitReady(`http://127.0.0.1:${port}/api/health-not-there`);
    const valid = await authority.mint();
    await fetch(`http://127.0.0.1:${port}/api/echo`, { headers: { authorization: `Bearer ${valid}` } }).then((r) => r.arrayBuffer());
    authority.resetCounts();
    const [, payload, signature] = valid.split('.');
    let sent = 0;
    let keyNotFound = 0;
    const worker = async (): Promise<void> => {
      while (sent < 10_000) {
        sent += 1;
        const header = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: randomBytes(20).toString('base64url') })).toString('base64url');
        const res = await fetch(`http://127.0.0.1:${port}/api/echo`, { headers: { authorization: `Bearer ${header}.${payload}.${signature}` } });
        const body = (await res.json()) as { reasons: Array<{ code: string }> };
        if (body.reasons.some((r) => r.code === 'KEY_NOT_FOUND')) keyNotFound += 1;
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, worker));
    const tenantKeyFetches = authority.requests.paths.filter((p) => p.endsWith('/discovery/v2.0/keys')).length;
    const appKeyFetches = authority.requests.paths.filter((p) => p.includes('/discovery/v2.0/keys?appid=')).length;
    return { calls: sent, keyNotFound, tenantKeyRefreshes: tenantKeyFetches, appSpecificKeyFetches: appKeyFetches, metadataFetches: authority.requests.metadata };
  } finally {
    await stop(child);
  }
}

async function memory(authority: DevAuthority, tokenEchoEnv: Record<string, string>): Promise<Record<string, number>> {
  const token = await authority.mint({ expiresIn: 7200 });
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', path.join(ROOT, 'dist/bench/memory.js')], {
    env: env({ ...tokenEchoEnv, BENCH_TOKEN: token, TOKEN_ECHO_HISTORY_MAX: '500' }),
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as Record<string, number>;
}

function report(results: Record<string, unknown>): void {
  const t = results['throughput'] as Record<string, LoadResult>;
  console.log(`\n${throughputTable(t)}\n`);

  // A ratio is taken within each round, between phases that ran seconds apart, and the
  // median of the rounds' ratios is the figure: a slow spell of the machine then shifts both sides
  // of a ratio alike instead of one side only.
  const rounds = results['rounds'] as Record<string, LoadResult[]>;
  const perRound = (a: string, b: string, of: (r: LoadResult) => number): number[] =>
    (rounds[a] ?? []).flatMap((ra, i) => {
      const rb = rounds[b]?.[i];
      return rb ? [of(ra) / of(rb)] : [];
    });
  const targets: Target[] = [];
  const add = (name: string, ok: boolean, measured: string): void => {
    targets.push({ name, ok, measured });
  };
  const ratioTarget = (name: string, a: string, b: string, ok: (ratio: number) => boolean, of: (r: LoadResult) => number = (r) => r.rps): void => {
    const ratios = perRound(a, b, of);
    if (ratios.length === 0) return;
    const m = median(ratios);
    // Three decimals for the figure compared, so a miss never reads as the target itself.
    add(name, ok(m), `${m.toFixed(3)} (rounds: ${ratios.map((x) => x.toFixed(2)).join(', ')})`);
  };
  ratioTarget('token-echo ≥ 0.7× framework ceiling', 'tokenEcho', 'frameworkCeiling', (x) => x >= 0.7);
  ratioTarget('token-echo p99 ≤ 1.5× framework ceiling p99', 'tokenEcho', 'frameworkCeiling', (x) => x <= 1.5, (r) => r.p99);
  ratioTarget('token-echo ≥ 1.5× usual Function', 'tokenEcho', 'usualFunction', (x) => x >= 1.5);
  ratioTarget('token-echo ≥ 1.0× usual stack', 'tokenEcho', 'usualStack', (x) => x >= 1.0);
  ratioTarget('MCP tools/call token_report ≥ 0.8× echo, the same POST (same token)', 'tokenEchoMcp', 'tokenEchoPost', (x) => x >= 0.8);
  ratioTarget('rotating tokens: token-echo ≥ 1.0× usual Function', 'tokenEchoRotating', 'usualFunctionRotating', (x) => x >= 1.0);
  const failed = Object.entries(t).filter(([, r]) => r.errors + r.non2xx > 0);
  add('every call answered without error, in every phase', failed.length === 0, failed.length === 0 ? `0 errors in ${Object.keys(t).length} phases` : failed.map(([name, r]) => `${name}: ${r.errors + r.non2xx}`).join(', '));
  const cold = results['coldStart'] as Record<string, number> | undefined;
  if (cold) add('cold start ≤ 1.5× framework ceiling (no telemetry)', (cold['tokenEchoMs'] ?? 0) <= 1.5 * (cold['frameworkCeilingMs'] ?? 0), `${cold['tokenEchoMs']} vs ${cold['frameworkCeilingMs']} ms`);
  const co = results['coalescing'] as Record<string, number> | undefined;
  if (co) add('500 cold calls: one metadata and one key fetch', co['metadataFetches'] === 1 && co['keyFetches'] === 1 && co['valid'] === 500, `${co['metadataFetches']} + ${co['keyFetches']}, ${co['valid']} valid`);
  const fl = results['flood'] as Record<string, number> | undefined;
  if (fl) add('unknown-kid flood: at most one refresh', (fl['tenantKeyRefreshes'] ?? 99) <= 1 && fl['keyNotFound'] === fl['calls'], `${fl['tenantKeyRefreshes']} refresh, ${fl['keyNotFound']}/${fl['calls']} KEY_NOT_FOUND`);
  for (const phase of (results['tableHistory'] as TableHistoryPhase[] | undefined) ?? []) {
    const ratios = phase.rounds.map((r) => r.table.p99 / Math.max(1, r.memory.p99));
    const m = median(ratios);
    add(`table history at ${phase.rows.toLocaleString('en-US')} rows: echo p99 ≤ 1.2× memory history`, m <= 1.2, `${m.toFixed(3)} (rounds: ${ratios.map((x) => x.toFixed(2)).join(', ')})`);
  }
  const mem = results['memory'] as Record<string, number> | undefined;
  if (mem) add('heap after 100,000 calls bounded (≤ 1k-call heap + 32 MiB)', (mem['heapAfter100kMiB'] ?? 1e9) <= (mem['heapAfter1kMiB'] ?? 0) + 32, `${mem['heapAfter1kMiB']} → ${mem['heapAfter100kMiB']} MiB`);
  results['targets'] = targets;
  console.log(`${targetTable(targets)}\n`);
  if (rounds['tokenEchoBaseline']) {
    // Not targets: how this checkout compares with the baseline's, phase by phase within each round.
    const line = (name: string, a: string, b: string, of: (r: LoadResult) => number = (r) => r.rps): string => {
      const ratios = perRound(a, b, of);
      return `${name}: ${median(ratios).toFixed(3)} (rounds: ${ratios.map((x) => x.toFixed(2)).join(', ')})`;
    };
    // This checkout's own ratios to its framework ceiling are the first two targets above.
    console.log(`baseline ${BASELINE}:`);
    console.log(`  ${line('baseline token-echo × baseline framework ceiling', 'tokenEchoBaseline', 'frameworkCeilingBaseline')}`);
    console.log(`  ${line('this token-echo × baseline token-echo', 'tokenEcho', 'tokenEchoBaseline')}`);
    console.log(`  ${line('this framework ceiling × baseline framework ceiling', 'frameworkCeiling', 'frameworkCeilingBaseline')}`);
    console.log(`  ${line('p99: baseline token-echo × baseline framework ceiling', 'tokenEchoBaseline', 'frameworkCeilingBaseline', (r) => r.p99)}`);
    console.log(`  ${line('p99: this token-echo × baseline token-echo', 'tokenEcho', 'tokenEchoBaseline', (r) => r.p99)}\n`);
  }
  if (cold) console.log(`cold start (median of 5): ${JSON.stringify(cold)}`);
  if (co) console.log(`coalescing: ${JSON.stringify(co)}`);
  if (fl) console.log(`flood: ${JSON.stringify(fl)}`);
  if (mem) console.log(`memory: ${JSON.stringify(mem)}`);
  // Only a full run, and only when asked, replaces the results docs/bench.md quotes.
  if (flags.write && (flags.only || BASELINE !== null)) console.log('--write ignored: only a full run without --baseline replaces bench/results.json');
  else if (!flags.write) console.log('bench/results.json and docs/bench.md left as they are (npm run bench -- --write replaces them)');
  if (flags.write && !flags.only && BASELINE === null) {
    writeFileSync(path.join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
    const page = generatedFiles(ROOT)['docs/bench.md'];
    if (page !== undefined) writeFileSync(path.join(ROOT, 'docs/bench.md'), page);
    console.log('wrote bench/results.json and its section of docs/bench.md');
  }
  if (targets.some((target) => !target.ok)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  rmSync(tmp, { recursive: true, force: true });
  process.exitCode = 1;
});
