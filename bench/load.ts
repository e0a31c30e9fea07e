import { readFileSync } from 'node:fs';

import autocannon from 'autocannon';

/**
 * The load generator, in its own process so it does not share the server's event loop:
 * autocannon used as a library. Reads its job as JSON from argv[2]; prints the result as JSON.
 */
interface Job {
  url: string;
  connections: number;
  duration: number;
  /** A file with one token per line; each request takes the next one. */
  tokensFile: string;
  /** GET with no body unless given (the MCP phase POSTs a JSON-RPC message with its headers). */
  method?: string;
  body?: string;
  headers?: Record<string, string>;
}

async function main(): Promise<void> {
const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const tokens = readFileSync(job.tokensFile, 'utf8').split('\n').filter(Boolean);
let next = 0;
const result = await autocannon({
  url: job.url,
  connections: job.connections,
  duration: job.duration,
  ...(job.method ? { method: job.method as 'POST' } : {}),
  ...(job.body !== undefined ? { body: job.body } : {}),
  ...(job.headers ? { headers: job.headers } : {}),
  requests: [
    {
      setupRequest: (request) => {
        const token = tokens[next++ % tokens.length];
        return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
      },
    },
  ],
});
process.stdout.write(
  `${JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  })}\n`,
);
}

void main();
