import { readFileSync } from 'node:fs';

import type { Settings } from '../config.js';
import type { FrontDoorVerdict, Report } from '../report/report.js';
import type * as ConfigInputModule from '../validators/config-input.js';
import type { ConfigInputResult } from '../validators/config-input.js';
import { frontDoorInputOf } from '../validators/report-section.js';
import { type Palette, clean } from './render.js';
import { UsageError } from './usage-error.js';

/**
 * `token-echo inspect --validators` and `--config <file>`: the front doors' verdicts on the pasted
 * token, and the maker's own configuration judged against it. Everything shown comes from the
 * report (settings and claim values; never the token) and goes through `clean`, since claim values
 * are attacker-controlled and must not drive the terminal.
 */
const VERDICT_MARK: Record<FrontDoorVerdict['verdict'], (p: Palette) => string> = {
  accept: (p) => p.green('accepts'),
  refuse: (p) => p.red('REFUSES'),
  unknown: (p) => p.yellow('unknown'),
};

function refusalLines(r: FrontDoorVerdict['firstRefusal'], indent: string): string[] {
  if (r === undefined) return [];
  const lines = [`${indent}${clean(r.rule)}: expected ${clean(r.expected)}; found ${clean(r.found)}`];
  lines.push(`${indent}${r.setting !== undefined ? `change: ${clean(r.setting)}  ` : ''}source: ${clean(r.source)} (docs/front-doors.md)`);
  return lines;
}

function snippetLines(title: string, snippet: string, p: Palette): string[] {
  return [`    ${p.dim(title)}`, ...snippet.split('\n').map((l) => `      ${clean(l)}`)];
}

/**
 * One block per profile: its verdict and first refusal; the configuration that accepts this token
 * when the settings' own configuration does not (the fix), else a note that the settings' one does.
 */
export function renderFrontDoors(validators: readonly FrontDoorVerdict[], p: Palette): string {
  const lines = [p.bold('Front doors (would each validator accept this token? docs/front-doors.md)')];
  const width = Math.max(...validators.map((v) => v.name.length));
  for (const v of validators) {
    lines.push(`  ${clean(v.name).padEnd(width)}  ${VERDICT_MARK[v.verdict](p)}`);
    if (v.firstRefusal?.rule === 'config') {
      // The settings cannot be turned into this validator's configuration: one line says which to set.
      lines.push(`    ${p.dim(`cannot be judged: ${clean(v.firstRefusal.found)} (set ${clean(v.firstRefusal.setting ?? 'the settings')})`)}`);
      continue;
    }
    lines.push(...refusalLines(v.firstRefusal, '    '));
    if (v.snippet === undefined) continue;
    if (v.snippet === null) lines.push(`    ${p.dim(`no configuration with the settings' intent accepts it${v.snippetNote ? `: ${clean(v.snippetNote)}` : ''}`)}`);
    else if (v.snippetForSettings === undefined) lines.push(`    ${p.dim('the configuration the settings stand for accepts it (--json shows it)')}`);
    else lines.push(...snippetLines('a configuration that accepts this token:', v.snippet, p));
  }
  return lines.join('\n');
}

/** The maker's configuration file, read; an unreadable file is a usage error naming it. */
export function readConfigFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
    throw new UsageError(`--config ${JSON.stringify(file)} could not be read: ${why}`);
  }
}

/** The maker's configuration judged against the report's token; configuration that cannot be read is a usage error naming what. */
export function judgeConfigFile(file: string, text: string, report: Report, settings: Settings): ConfigInputResult & { ok: true } {
  const input = frontDoorInputOf(report, settings);
  if (input === null) throw new UsageError(`--config ${JSON.stringify(file)}: the token could not be decoded, so there is nothing to judge the configuration against`);
  // Loaded only with --config: the XML and JSONC parsers are not needed otherwise.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { judgeConfigInput } = require('../validators/config-input.js') as typeof ConfigInputModule;
  const judged = judgeConfigInput(text, input);
  if (!judged.ok) {
    throw new UsageError(`--config ${JSON.stringify(file)}${judged.kind ? ` (read as ${judged.kind})` : ''} could not be read: ${judged.problems.map(clean).join('; ')}`);
  }
  return judged;
}

export function renderConfigJudgement(file: string, judged: ConfigInputResult & { ok: true }, p: Palette): string {
  const r = judged.result;
  const lines = [p.bold(`Your configuration (${clean(file)}, ${judged.kind}): ${clean(r.name)} ${VERDICT_MARK[r.verdict](p)} this token`)];
  lines.push(...refusalLines(r.firstRefusal, '  '));
  if (r.verdict !== 'accept') {
    if (r.snippet !== null) lines.push(...snippetLines('the same configuration, changed to accept it:', r.snippet, p));
    else lines.push(`  ${p.dim(`no configuration with the same intent accepts it${r.snippetNote ? `: ${clean(r.snippetNote)}` : ''}`)}`);
  }
  return lines.join('\n');
}

/** With --config the exit code is the configuration's verdict (so a script can ask "does my config accept it?"). */
export const EXIT_FOR_CONFIG: Record<FrontDoorVerdict['verdict'], number> = { accept: 0, refuse: 1, unknown: 2 };
