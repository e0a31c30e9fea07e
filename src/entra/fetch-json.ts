/**
 * The only HTTP client of token-echo: GET a JSON document from the configured authority, with a
 * timeout, a size cap, and no redirects (a 3xx is an error, as in jose's remote JWKS: a redirect
 * could lead anywhere, and only the configured authority is trusted).
 */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

export class FetchProblem extends Error {
  override name = 'FetchProblem';
}

export async function fetchJson(url: string, timeoutMs: number): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
  } catch (error) {
    throw new FetchProblem(`${url}: ${describeNetworkError(error, timeoutMs)}`);
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
    throw new FetchProblem(`${url}: expected HTTP 200, got ${response.status}${redirect}`);
  }
  const text = await readCapped(url, response, timeoutMs);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new FetchProblem(`${url}: the answer is not JSON (starts with ${JSON.stringify(text.slice(0, 40))})`);
  }
}

async function readCapped(url: string, response: Response, timeoutMs: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_DOCUMENT_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    throw new FetchProblem(`${url}: the answer is larger than ${MAX_DOCUMENT_BYTES} bytes`);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_DOCUMENT_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw new FetchProblem(`${url}: the answer is larger than ${MAX_DOCUMENT_BYTES} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof FetchProblem) throw error;
    throw new FetchProblem(`${url}: ${describeNetworkError(error, timeoutMs)}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    if (cause && typeof cause.code === 'string') return `${cause.code}${typeof cause.message === 'string' ? ` (${cause.message})` : ''}`;
    return error.message;
  }
  return String(error);
}
