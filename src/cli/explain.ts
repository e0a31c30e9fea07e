import { parseArgs } from 'node:util';

import { type Explanation, MAX_INPUT_CHARS, explainError } from '../explain/aadsts.js';
import { type Palette, paletteFor } from './render.js';
import { UsageError } from './usage-error.js';

export const EXPLAIN_USAGE = `Usage: token-echo explain <"pasted error text" | -> [options]

Explains an Entra sign-in error (AADSTS...) from the text Entra, a flow or Copilot Studio printed:
the code, what the message names (app ID, redirect URI, resource, trace and correlation IDs,
timestamp), and for a catalogued code the connector-specific cause and fix, with its sources.
Prefer "-" (the text on standard input): a pasted message can hold more than the error.
  pbpaste | token-echo explain -

  --json              print the explanation as JSON
  -h, --help          this help

Exit code: 0 explained, 1 no AADSTS code in the text, 2 a code token-echo's catalogue does not
have (what was found is still printed), 64 usage error.`;

/** As inspect's: 0 a full answer, 1 nothing to answer about, 2 found but not concluded. */
export const EXIT_FOR_STATUS: Record<Explanation['status'], number> = { recognised: 0, no_code: 1, not_in_catalogue: 2 };

export interface ExplainIo {
  stdin: () => Promise<string>;
  out: (text: string) => void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

export async function runExplain(args: string[], io: ExplainIo = processIo()): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
  if (values.help) {
    io.out(EXPLAIN_USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('explain needs the error text, or - to read it from standard input');
  // An unquoted message arrives as many words: rejoin them.
  const given = positionals.join(' ');
  const explanation = explainError(given === '-' ? await io.stdin() : given);
  io.out(values.json ? JSON.stringify(explanation, null, 2) : renderExplanation(explanation, paletteFor({ isTTY: io.isTTY }, io.env)));
  return EXIT_FOR_STATUS[explanation.status];
}

const FIELDS: [keyof Explanation['extracted'], string][] = [
  ['error', 'OAuth error'],
  ['appId', 'app ID'],
  ['redirectUri', 'redirect URI'],
  ['resource', 'resource'],
  ['tenant', 'tenant'],
  ['traceId', 'trace ID'],
  ['correlationId', 'correlation ID'],
  ['timestamp', 'timestamp'],
];

export function renderExplanation(e: Explanation, p: Palette): string {
  const lines = [e.status === 'recognised' ? p.bold(e.summary) : e.status === 'no_code' ? p.red(e.summary) : p.yellow(e.summary)];
  if (e.extracted.message !== undefined) lines.push(`Entra said: ${e.extracted.message}`);
  const found = FIELDS.flatMap(([key, label]) => {
    const value = e.extracted[key];
    return typeof value === 'string' ? [`  ${label.padEnd(15)} ${value}`] : [];
  });
  if (e.extracted.codes.length > 1) found.push(`  ${'other codes'.padEnd(15)} ${e.extracted.codes.slice(1).map((c) => `AADSTS${c}`).join(', ')}`);
  if (found.length > 0) lines.push('', p.bold('Found in the message'), ...found);
  if (e.entry !== null) lines.push('', `${p.bold('Cause:')} ${e.entry.cause}`, `${p.bold('Fix:')} ${e.entry.fix}`);
  if (e.notes.length > 0) lines.push('', p.bold('About this message'), ...e.notes.map((n) => `  - ${n}`));
  if (e.entry !== null) lines.push('', p.dim('Sources:'), ...e.entry.sources.map((s) => p.dim(`  ${s}`)));
  if (e.truncated) lines.push('', p.dim(`Only the first ${MAX_INPUT_CHARS} characters were read.`));
  return lines.join('\n');
}

/** Standard input, read up to four times what is examined: a huge paste cannot fill the memory. */
export async function readBoundedStdin(stream: NodeJS.ReadableStream = process.stdin, maxBytes = MAX_INPUT_CHARS * 4): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    chunks.push(buffer.subarray(0, maxBytes - size));
    size += Math.min(buffer.length, maxBytes - size);
    if (size >= maxBytes) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

function processIo(): ExplainIo {
  return { stdin: () => readBoundedStdin(), out: (t) => process.stdout.write(`${t}\n`), env: process.env, isTTY: process.stdout.isTTY === true };
}
