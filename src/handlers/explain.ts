import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { explainError } from '../explain/aadsts.js';

/** What the paste box sends at most: a pasted error is a few KiB; a whole sign-in page still fits. */
export const MAX_EXPLAIN_BYTES = 64 * 1024;

const json = (status: number, body: unknown): HttpResponseInit => ({
  status,
  headers: { 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' },
  body: `${JSON.stringify(body, null, 2)}\n`,
});

/**
 * POST /api/explain (function key): the body is the pasted error text (plain text); the answer is
 * `token-echo explain`'s explanation as JSON (src/explain, pure: it keeps nothing and scrubs what it
 * quotes). Bounded: a body over MAX_EXPLAIN_BYTES is refused, by its declared length before reading.
 */
export async function explainHandler(request: HttpRequest): Promise<HttpResponseInit> {
  const tooLarge = json(413, { error: 'too_large', message: `Paste at most ${MAX_EXPLAIN_BYTES / 1024} KiB of error text.` });
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > MAX_EXPLAIN_BYTES) return tooLarge;
  const body = Buffer.from(await request.arrayBuffer());
  if (body.length > MAX_EXPLAIN_BYTES) return tooLarge;
  const text = body.toString('utf8');
  if (text.trim() === '') return json(400, { error: 'empty', message: 'Send the error text as the body (text/plain), e.g. the message with its AADSTS code.' });
  return json(200, explainError(text));
}
