import { expect, test } from 'vitest';

import { randomHex } from '../../src/host/local-host.js';

// The local host makes a trace ID for a call that brings no traceparent (W3C Trace Context §3.2.2.3):
// cut from a pool of random bytes, they must still be well-formed and never repeat, across refills.
test('new trace and span IDs are hex of the asked length and distinct across pool refills', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i += 1) {
    const traceId = randomHex(16);
    const spanId = randomHex(8);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(spanId).toMatch(/^[0-9a-f]{16}$/);
    seen.add(traceId);
  }
  // 2,000 × 24 bytes: about a dozen refills of the 4 KiB pool.
  expect(seen.size).toBe(2000);
});
