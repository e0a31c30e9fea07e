import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { type BenchResults, benchSection } from '../bench/results-table.js';
import { SETTINGS_DOC } from '../src/config.js';
import { packageRoot } from '../src/package-info.js';
import { REASONS, REASON_CODES } from '../src/report/reasons.js';
import { reportSchema } from '../src/report/schema.js';

/**
 * The generated artifacts: the report's JSON Schema, and the README tables of settings, reason
 * codes and the last full bench run (bench/results.json), between `<!-- generated:NAME -->`
 * markers. The tests fail when a checked-in copy differs from what the code generates;
 * `npm run generate` rewrites them.
 */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function settingsTable(): string {
  const rows = SETTINGS_DOC.map((s) => `| \`${s.name}\` | ${cell(s.default)} | ${cell(s.meaning)} |`);
  return ['| setting | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

export function reasonTable(): string {
  const rows = REASON_CODES.map((code) => {
    const r = REASONS[code];
    return `| \`${code}\` | ${r.severity} | ${r.check} | ${cell(r.meaning)} | ${cell(r.fix)} |`;
  });
  return ['| code | severity | check | meaning | fix |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

export function fillMarkers(text: string, sections: Record<string, string>): string {
  let out = text;
  for (const [name, body] of Object.entries(sections)) {
    const pattern = new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(<!-- /generated:${name} -->)`);
    if (!pattern.test(out)) throw new Error(`README.md has no <!-- generated:${name} --> section`);
    out = out.replace(pattern, (_m, open: string, close: string) => `${open}${body}\n${close}`);
  }
  return out;
}

export function generatedFiles(root: string = packageRoot()): Record<string, string> {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const bench = JSON.parse(readFileSync(path.join(root, 'bench/results.json'), 'utf8')) as BenchResults;
  return {
    'schema/report.schema.json': `${JSON.stringify(reportSchema, null, 2)}\n`,
    'README.md': fillMarkers(readme, { settings: settingsTable(), reasons: reasonTable(), bench: benchSection(bench) }),
  };
}

if (require.main === module) {
  const root = packageRoot();
  for (const [file, text] of Object.entries(generatedFiles(root))) {
    writeFileSync(path.join(root, file), text);
    console.log(`wrote ${file}`);
  }
}
