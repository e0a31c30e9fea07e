import fc from 'fast-check';
import { expect, test } from 'vitest';

import { isoTime } from '../../src/report/format.js';

// A report's receivedAt: the same text as Date.prototype.toISOString, whatever order the times come in.
test('isoTime writes exactly what toISOString writes, for times in any order', () => {
  fc.assert(
    fc.property(fc.array(fc.date({ noInvalidDate: true }), { minLength: 1, maxLength: 20 }), (dates) => {
      for (const date of dates) expect(isoTime(date)).toBe(date.toISOString());
    }),
    { numRuns: 500, seed: 5 },
  );
  const base = Date.UTC(2026, 11, 5, 12, 0, 0);
  for (const ms of [base, base + 7, base + 42, base + 999, base + 1000, base - 1, 0, -1]) expect(isoTime(new Date(ms))).toBe(new Date(ms).toISOString());
});
