import { humanDuration } from '../report/format.js';
import type { Check, Report } from '../report/report.js';

/**
 * The report for a person at a terminal. Colour only on a TTY and never with NO_COLOR
 * (no-color.org) or TERM=dumb. Nothing here can print the raw token: the report never holds it.
 */
export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
}

const plain: Palette = { bold: (t) => t, dim: (t) => t, green: (t) => t, red: (t) => t, yellow: (t) => t };
const ansi = (code: number, reset: number) => (t: string) => `\u001b[${code}m${t}\u001b[${reset}m`;
const coloured: Palette = { bold: ansi(1, 22), dim: ansi(2, 22), green: ansi(32, 39), red: ansi(31, 39), yellow: ansi(33, 39) };

export function paletteFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Palette {
  // no-color.org: "when present and not an empty string (regardless of its value)".
  const off = !stream.isTTY || (env['NO_COLOR'] ?? '') !== '' || env['TERM'] === 'dumb';
  return off ? plain : coloured;
}

const VERDICT_LINE: Record<Report['verdict'], (p: Palette) => string> = {
  valid: (p) => p.green(p.bold('VALID')),
  invalid: (p) => p.red(p.bold('INVALID')),
  no_token: (p) => p.red(p.bold('NO TOKEN')),
  unverified: (p) => p.yellow(p.bold('UNVERIFIED')),
};

const STATUS_MARK: Record<Check['status'], (p: Palette) => string> = {
  pass: (p) => p.green('pass'),
  fail: (p) => p.red('FAIL'),
  skip: (p) => p.dim('skip'),
};

/** Control characters in attacker-controlled text must not drive the terminal. */
export function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function renderReport(report: Report, p: Palette, nowSeconds: number = Math.floor(Date.now() / 1000)): string {
  const lines: string[] = [];
  lines.push(`${VERDICT_LINE[report.verdict](p)}  ${clean(report.summary)}`);
  lines.push('');
  lines.push(p.bold('Checks'));
  const width = Math.max(...report.checks.map((c) => c.name.length));
  for (const c of report.checks) {
    lines.push(`  ${c.name.padEnd(width)}  ${STATUS_MARK[c.status](p)}${c.detail ? `  ${p.dim(clean(c.detail))}` : ''}`);
    if (c.expected !== undefined) lines.push(`  ${' '.repeat(width)}        expected: ${clean(c.expected)}`);
    if (c.found !== undefined) lines.push(`  ${' '.repeat(width)}        found:    ${clean(c.found)}`);
  }
  if (report.reasons.length > 0) {
    lines.push('');
    lines.push(p.bold('Reasons'));
    for (const r of report.reasons) {
      const tag = r.severity === 'error' ? p.red(r.code) : r.severity === 'warning' ? p.yellow(r.code) : p.dim(r.code);
      lines.push(`  ${tag} (${r.severity}): ${clean(r.message)}`);
      lines.push(`    fix: ${clean(r.fix)}`);
    }
  }
  const token = report.token;
  if (token?.claims) {
    lines.push('');
    lines.push(p.bold(`Claims${token.version ? ` (v${token.version} ${token.kind ?? ''} token)` : ''}`));
    for (const [name, value] of Object.entries(token.claims)) {
      let shown = typeof value === 'string' ? value : JSON.stringify(value);
      const time = name === 'iat' || name === 'nbf' || name === 'exp' ? token.times[name] : undefined;
      if (time) {
        const delta = time.epoch - nowSeconds;
        const relative = name === 'exp' ? (delta >= 0 ? `expires in ${humanDuration(delta)}` : `expired ${humanDuration(delta)} ago`) : delta <= 0 ? `${humanDuration(delta)} ago` : `in ${humanDuration(delta)}`;
        shown = `${time.iso} (${relative})`;
      }
      lines.push(`  ${p.bold(clean(name))}: ${clean(shown.length > 300 ? `${shown.slice(0, 299)}…` : shown)}`);
      const description = Object.hasOwn(token.claimDescriptions, name) ? token.claimDescriptions[name] : undefined;
      if (description) lines.push(`    ${p.dim(description)}`);
    }
    lines.push(`  ${p.dim(`fingerprint ${token.fingerprint}`)}`);
  }
  return lines.join('\n');
}
