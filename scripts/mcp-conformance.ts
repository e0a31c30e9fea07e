import { type ChildProcess, execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { packageRoot } from '../src/package-info.js';

/**
 * `npm run conformance`: the official MCP conformance suite (@modelcontextprotocol/conformance,
 * pinned) against /api/mcp of the built app on the local host. The suite needs Node 22 (its
 * dependencies say so), hence `npx -p node@22`; it comes from the npm registry, as CI has it.
 *
 * Only the scenarios that apply to a server with one tool and no resources, prompts, logging,
 * completions, sampling, elicitation or server-sent events are run. The others call the test
 * tools, resources and prompts of the suite's own "everything" server (test_simple_text,
 * test://static-text, ...) or features token-echo does not offer; the list and the reason for
 * each is in docs/mcp.md.
 */
export const CONFORMANCE_PACKAGE = '@modelcontextprotocol/conformance@0.1.16';
export const APPLICABLE_SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'] as const;

const ROOT = packageRoot();

async function startHost(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/cli/main.js'), 'serve', '--port', '0'], {
    cwd: ROOT,
    // No tenant: the diagnostic answers whatever the token (the suite sends none).
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', TOKEN_ECHO_HISTORY: 'memory' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host did not start:\n${output}`)), 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      const found = /(http:\/\/localhost:\d+)\/api\/mcp\b/.exec(output)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.once('exit', (code) => reject(new Error(`the host exited with ${code}:\n${output}`)));
  });
  child.stdout?.resume();
  return { url: `${url}/api/mcp`, child };
}

export interface ScenarioResult {
  scenario: string;
  passed: number;
  failed: number;
  output: string;
}

export async function runConformance(log: (line: string) => void = console.log): Promise<ScenarioResult[]> {
  const { url, child } = await startHost();
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of APPLICABLE_SCENARIOS) {
      const args = ['-y', '-p', 'node@22', '-p', CONFORMANCE_PACKAGE, 'conformance', 'server', '--url', url, '--scenario', scenario];
      const output = await promisify(execFile)('npx', args, { cwd: ROOT, timeout: 180_000, maxBuffer: 4 << 20 }).then(
        ({ stdout, stderr }) => `${stdout}\n${stderr}`,
        (error: { stdout?: string; stderr?: string; message: string }) => `${error.stdout ?? ''}\n${error.stderr ?? ''}\n${error.message}`,
      );
      // The suite's summary line: "Passed: 2/2, 0 failed, 0 warnings".
      const summary = /Passed: (\d+)\/(\d+), (\d+) failed/.exec(output);
      const result = { scenario, passed: Number(summary?.[1] ?? 0), failed: summary ? Number(summary[3]) : 1, output };
      results.push(result);
      log(`${scenario}: ${summary ? `${result.passed} passed, ${result.failed} failed` : 'no result (see the output below)'}`);
      // eslint-disable-next-line no-control-regex -- the suite colours its output with ANSI escapes
      if (!summary || result.failed > 0) log(output.replace(/\x1b\[[0-9;]*m/g, ''));
    }
  } finally {
    child.kill('SIGTERM');
  }
  return results;
}

if (require.main === module) {
  runConformance().then(
    (results) => {
      const passed = results.reduce((n, r) => n + r.passed, 0);
      const failed = results.reduce((n, r) => n + r.failed, 0);
      console.log(`${passed} passed, ${failed} failed`);
      if (failed > 0 || results.some((r) => r.passed === 0)) process.exitCode = 1;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
