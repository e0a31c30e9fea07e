import { expect, test } from 'vitest';

import { APPLICABLE_SCENARIOS, runConformance } from '../../scripts/mcp-conformance.js';

/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance, on Node 22 through npx)
 * against /api/mcp of the built app on the local host: every scenario that applies to a server with
 * one tool and nothing else passes (docs/mcp.md lists the others and why they do not apply).
 * Needs the npm registry, as CI has it.
 */
test('the conformance scenarios that apply all pass', { timeout: 400_000 }, async () => {
  const lines: string[] = [];
  const results = await runConformance((line) => lines.push(line));
  expect(results.map((r) => r.scenario), lines.join('\n')).toEqual([...APPLICABLE_SCENARIOS]);
  for (const r of results) {
    expect(r.failed, `${r.scenario}:\n${r.output}`).toBe(0);
    expect(r.passed, `${r.scenario}:\n${r.output}`).toBeGreaterThan(0);
  }
});
