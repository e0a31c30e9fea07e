import { defineConfig } from 'vitest/config';

export default defineConfig({
  cacheDir: '.vitest-cache',
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // In CI, also write the results for .ci/run's closing line. The skip reporter names every suite
    // skipped for a missing prerequisite (test/helpers/prerequisites.ts) under the summary.
    reporters: process.env['CI'] ? ['default', 'json', './test/helpers/skip-reporter.ts'] : ['default', './test/helpers/skip-reporter.ts'],
    outputFile: { json: '.vitest-cache/results.json' },
  },
});
