import type { Reporter, TestModule } from 'vitest/node';

/**
 * Lists, under vitest's summary, every test skipped with a note (a missing prerequisite, see
 * test/helpers/prerequisites.ts): the default reporter counts skipped tests but names none.
 */
export default class SkipReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const lines: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'skipped' && result.note) lines.push(`  ${module.relativeModuleId} > ${test.fullName}: ${result.note}`);
      }
    }
    if (lines.length > 0) process.stdout.write(`\nSkipped (prerequisite missing; CI=true makes these failures):\n${lines.join('\n')}\n`);
  }
}
