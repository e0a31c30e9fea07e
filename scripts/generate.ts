import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { type BenchResults, benchSection } from '../bench/results-table.js';
import { SETTINGS_DOC } from '../src/config.js';
import { packageRoot } from '../src/package-info.js';
import { REASONS, REASON_CODES } from '../src/report/reasons.js';
import { reportSchema } from '../src/report/schema.js';

/**
 * The generated artifacts: the report's JSON Schema; the README's tables of settings and reason
 * codes; the full reason table in docs/internals.md; and the last full bench run
 * (bench/results.json) in docs/bench.md. Tables go between `<!-- generated:NAME -->` markers.
 * The tests fail when a checked-in copy differs from what the code generates;
 * `npm run generate` rewrites them.
 */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function settingsTable(): string {
  const rows = SETTINGS_DOC.map((s) => `| \`${s.name}\` | ${cell(s.default)} | ${cell(s.meaning)} |`);
  return ['| setting | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/**
 * The README's table: every code, grouped by the check it belongs to, in catalog order (warnings and
 * notes marked). What each means and its fix are in every report and in docs/internals.md; the README
 * stays short enough to read (test/docs.test.ts holds it under 2,500 words).
 */
export function reasonSummaryTable(): string {
  const byCheck = new Map<string, string[]>();
  for (const code of REASON_CODES) {
    const r = REASONS[code];
    const shown = r.severity === 'error' ? `\`${code}\`` : `\`${code}\` (${r.severity})`;
    byCheck.set(r.check, [...(byCheck.get(r.check) ?? []), shown]);
  }
  const rows = [...byCheck].map(([check, codes]) => `| ${check} | ${codes.join(', ')} |`);
  return ['| check | codes |', '| --- | --- |', ...rows].join('\n');
}

export function reasonTable(): string {
  const rows = REASON_CODES.map((code) => {
    const r = REASONS[code];
    return `| \`${code}\` | ${r.severity} | ${r.check} | ${cell(r.meaning)} | ${cell(r.fix)} |`;
  });
  return ['| code | severity | check | meaning | fix |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

export function fillMarkers(text: string, sections: Record<string, string>, file = 'README.md'): string {
  let out = text;
  for (const [name, body] of Object.entries(sections)) {
    const pattern = new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(<!-- /generated:${name} -->)`);
    if (!pattern.test(out)) throw new Error(`${file} has no <!-- generated:${name} --> section`);
    out = out.replace(pattern, (_m, open: string, close: string) => `${open}${body}\n${close}`);
  }
  return out;
}

export function generatedFiles(root: string = packageRoot()): Record<string, string> {
  const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');
  const bench = JSON.parse(read('bench/results.json')) as BenchResults;
  return {
    'schema/report.schema.json': `${JSON.stringify(reportSchema, null, 2)}\n`,
    'README.md': fillMarkers(read('README.md'), { settings: settingsTable(), reasons: reasonSummaryTable() }),
    'docs/internals.md': fillMarkers(read('docs/internals.md'), { reasons: reasonTable() }, 'docs/internals.md'),
    'docs/bench.md': fillMarkers(read('docs/bench.md'), { bench: benchSection(bench) }, 'docs/bench.md'),
  };
}

if (require.main === module) {
  const root = packageRoot();
  for (const [file, text] of Object.entries(generatedFiles(root))) {
    writeFileSync(path.join(root, file), text);
    console.log(`wrote ${file}`);
  }
}
