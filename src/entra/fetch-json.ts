import http from 'node:http';
import https from 'node:https';

/**
 * The only HTTP client of token-echo: GET a JSON document from the configured authority, with a
 * timeout, a size cap, and no redirects (a 3xx is an error, as in jose's remote JWKS: a redirect
 * could lead anywhere, and only the configured authority is trusted).
 *
 * node:http(s) rather than fetch: the first fetch() of a process loads and compiles undici's HTTP
 * client (45 ms or more on a 2-core machine, against a few for node:http), which would fall on the
 * first call after every cold start.
 */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

export class FetchProblem extends Error {
  override name = 'FetchProblem';
}

export function fetchJson(url: string, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const fail = (problem: string): void => reject(new FetchProblem(`${url}: ${problem}`));
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      fail('not a URL');
      return;
    }
    const client = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : null;
    if (client === null) {
      fail(`only http and https are fetched, not ${target.protocol}`);
      return;
    }
    // One deadline for the whole exchange: connecting, the status line, and every byte of the body.
    const deadline = setTimeout(() => {
      fail(`no answer within ${timeoutMs} ms`);
      request.destroy();
    }, timeoutMs);
    const settle = (): void => clearTimeout(deadline);

    const request = client.get(target, { headers: { accept: 'application/json' } }, (response) => {
      const status = response.statusCode ?? 0;
      if (status !== 200) {
        settle();
        const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
        fail(`expected HTTP 200, got ${status}${redirect}`);
        response.destroy();
        return;
      }
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > MAX_DOCUMENT_BYTES) {
        settle();
        fail(`the answer is larger than ${MAX_DOCUMENT_BYTES} bytes`);
        response.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_DOCUMENT_BYTES) {
          settle();
          fail(`the answer is larger than ${MAX_DOCUMENT_BYTES} bytes`);
          response.destroy();
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => {
        settle();
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve(JSON.parse(text) as unknown);
        } catch {
          fail(`the answer is not JSON (starts with ${JSON.stringify(text.slice(0, 40))})`);
        }
      });
      // The connection closed before the body ended (a later reject after settling is ignored).
      response.on('close', () => {
        settle();
        if (!response.complete) fail('the connection closed before the answer was complete');
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      settle();
      fail(typeof error.code === 'string' ? `${error.code} (${error.message})` : error.message);
    });
  });
}
