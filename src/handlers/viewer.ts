import { randomBytes } from 'node:crypto';

import type { HttpResponseInit } from '@azure/functions';

import { viewerPage } from '../viewer/page.js';

/** GET /api/viewer (anonymous): the page; its data comes from /api/reports with the function key in the page's ?code=. */
export function viewerHandler(): Promise<HttpResponseInit> {
  const nonce = randomBytes(16).toString('base64');
  return Promise.resolve({
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // The page's URL carries the function key: send it nowhere, load nothing from elsewhere.
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    },
    body: viewerPage(nonce),
  });
}
