import type { DemoResult } from './demo.js';

/** A terminal's usual width: the table fits in it, a long summary is cut with an ellipsis. */
export const TABLE_WIDTH = 100;

/**
 * The demo's results as a table with a header: one row per situation, its call's path (to find it in
 * the viewer), the verdict and the first reason code (error or warning) with how many follow, in at
 * most TABLE_WIDTH columns.
 */
export function demoTable(results: readonly DemoResult[], width: number = TABLE_WIDTH): string[] {
  const rows = results.map((r) => [r.ok ? 'ok' : 'FAIL', r.name, r.path, r.verdict, firstAndCount(r.codes)]);
  const header = ['', 'SITUATION', 'CALL', 'VERDICT', 'FIRST REASON'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => {
    const text = cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
    return text.length > width ? `${text.slice(0, width - 1)}…` : text;
  };
  return [line(header), ...rows.map(line)];
}

function firstAndCount(codes: readonly string[]): string {
  if (codes.length === 0) return '-';
  return codes.length === 1 ? (codes[0] ?? '') : `${codes[0] ?? ''} +${codes.length - 1}`;
}
