/**
 * The bench's results as Markdown: what `npm run bench` prints, and what `npm run generate` writes
 * into docs/bench.md from the checked-in bench/results.json (so it quotes a real run, verbatim).
 */
export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  total: number;
}

export interface Target {
  name: string;
  ok: boolean;
  measured: string;
}

export interface BenchResults {
  machine: { node: string; cpus: number; model: string; memoryGiB: number };
  settings: { connections: number; duration: number; warmup: number; rounds: number };
  throughput: Record<string, LoadResult>;
  targets: Target[];
  coldStart?: Record<string, number>;
}

const SERVERS: Array<[string, string]> = [
  ['ceiling', 'ceiling: node:http, fixed JSON'],
  ['usualStack', 'usual stack: express + express-jwt + jwks-rsa'],
  ['frameworkCeiling', 'framework ceiling: Function, fixed JSON (local host)'],
  ['usualFunction', 'usual Function: jsonwebtoken + jwks-rsa'],
  ['usualFunctionRotating', 'usual Function, 1,000 tokens in rotation'],
  ['tokenEcho', 'token-echo'],
  ['tokenEchoPost', 'token-echo, POST of the MCP phase\'s body to /api/echo'],
  ['tokenEchoMcp', 'token-echo over MCP: tools/call token_report'],
  ['tokenEchoRotating', 'token-echo, 1,000 tokens in rotation'],
  ['frameworkCeilingBaseline', 'baseline (--baseline): framework ceiling'],
  ['tokenEchoBaseline', 'baseline (--baseline): token-echo'],
];

export function throughputTable(throughput: Record<string, LoadResult>): string {
  const rows = SERVERS.flatMap(([name, title]) => {
    const r = throughput[name];
    return r ? [`| ${title} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.max} | ${r.errors + r.non2xx} |`] : [];
  });
  return ['| server | req/s | p50 ms | p99 ms | max ms | errors |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

export function targetTable(targets: readonly Target[]): string {
  const rows = targets.map((t) => `| ${t.name} | ${t.measured} | ${t.ok ? 'met' : '**missed**'} |`);
  return ['| target | measured | |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The section of docs/bench.md: the machine and settings, both tables, and cold start in words. */
export function benchSection(results: BenchResults): string {
  const { machine: m, settings: s } = results;
  const cold = results.coldStart;
  return [
    `Latest full run (\`npm run bench\`, defaults): ${m.cpus} × ${m.model}, ${m.memoryGiB} GiB, Node ${m.node}, ${s.connections} connections, medians of ${s.rounds} rounds of ${s.duration} s.`,
    '',
    throughputTable(results.throughput),
    '',
    targetTable(results.targets),
    ...(cold
      ? [
          '',
          `Cold start, spawn to first validated answer (median of 5): token-echo ${cold['tokenEchoMs']} ms, framework ceiling ${cold['frameworkCeilingMs']} ms; ` +
            `with Application Insights configured ${cold['tokenEchoWithAppInsightsMs']} ms and ${cold['frameworkCeilingWithAppInsightsMs']} ms (the SDK takes most of a second to load, which is why token-echo loads it only when configured).`,
        ]
      : []),
  ].join('\n');
}
