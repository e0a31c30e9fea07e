import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

import { ConfigError, loadConfig } from '../config.js';
import { EntraKeyStore } from '../entra/key-store.js';
import { inspect } from '../inspect/inspect.js';
import type { Report } from '../report/report.js';
import { withFrontDoors } from '../validators/report-section.js';
import { EXIT_FOR_CONFIG, judgeConfigFile, readConfigFile, renderConfigJudgement, renderFrontDoors } from './front-doors.js';
import { cleanPaste } from './paste.js';
import { paletteFor, renderReport } from './render.js';
import { EXIT_CONFIG, UsageError } from './usage-error.js';

export const INSPECT_USAGE = `Usage: token-echo inspect <token | "Authorization: Bearer …" | -> [options]

Validates and explains one token with the same checks and settings as the endpoint.
Prefer "-" (the token on standard input): it keeps the token out of your shell history.
  pbpaste | token-echo inspect -                 macOS
  Get-Clipboard | token-echo inspect -           Windows PowerShell
  xclip -o -selection clipboard | token-echo inspect -    Linux (X11); wl-paste on Wayland
What you paste is tidied and the tidying named: line breaks and spaces inside the token, quotes,
"Bearer", a whole "Authorization:" line (or pasted headers), or a token response's JSON
(its access_token, else its id_token). Notices that only a connector's call can raise are left out.

  --tenant ID         tenant GUID or verified domain (TOKEN_ECHO_TENANT_ID); without one: decode only
  --audience AUD      accepted aud, repeatable or comma-separated (TOKEN_ECHO_AUDIENCES)
  --scope SCOPE       required delegated scope, repeatable (TOKEN_ECHO_SCOPES)
  --role ROLE         accepted app role, repeatable (TOKEN_ECHO_ROLES)
  --client-id ID      allowed calling app, repeatable (TOKEN_ECHO_CLIENT_IDS)
  --authority URL     authority host (TOKEN_ECHO_AUTHORITY), default https://login.microsoftonline.com
  --validators        also print what each front door would decide (Easy Auth, API Management,
                      Microsoft.Identity.Web, jose, jsonwebtoken, express-jwt, passport-azure-ad)
                      and a configuration that accepts the token (docs/front-doors.md)
  --config FILE       judge the token against your own configuration: an authsettingsV2 JSON
                      (az webapp auth show), an API Management policy XML, or an appsettings.json;
                      the exit code is then its verdict (0 accepts, 1 refuses, 2 unknown)
  --json              print the report as JSON, in the shape the endpoint answers
                      (with --config: {"report": …, "config": …})
  -h, --help          this help

Exit code: 0 valid, 1 invalid or no token, 2 unverified, 64 usage error (or a --config that
cannot be read), 78 bad setting.`;

/** Reason codes about the connector's call itself (src/report/reasons.ts), meaningless for a pasted token. */
export const CONNECTOR_ONLY_CODES: ReadonlySet<string> = new Set(['OBO_HEADER_ABSENT']);

export const EXIT_FOR_VERDICT: Record<Report['verdict'], number> = { valid: 0, invalid: 1, no_token: 1, unverified: 2 };

const FLAG_SETTINGS = {
  tenant: 'TOKEN_ECHO_TENANT_ID',
  audience: 'TOKEN_ECHO_AUDIENCES',
  scope: 'TOKEN_ECHO_SCOPES',
  role: 'TOKEN_ECHO_ROLES',
  'client-id': 'TOKEN_ECHO_CLIENT_IDS',
  authority: 'TOKEN_ECHO_AUTHORITY',
} as const;

export interface InspectIo {
  env: NodeJS.ProcessEnv;
  stdin: () => Promise<string>;
  out: (text: string) => void;
  err: (text: string) => void;
  isTTY: boolean;
}

export async function runInspect(args: string[], io: InspectIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      tenant: { type: 'string' },
      audience: { type: 'string', multiple: true },
      scope: { type: 'string', multiple: true },
      role: { type: 'string', multiple: true },
      'client-id': { type: 'string', multiple: true },
      authority: { type: 'string' },
      json: { type: 'boolean' },
      validators: { type: 'boolean' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    io.out(INSPECT_USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('inspect needs a token, an "Authorization: Bearer …" line, or - to read it from standard input');
  // A token split by the shell (an unquoted header line) arrives as several words: rejoin them.
  const given = positionals.join(' ');
  const fromStdin = given === '-';
  const paste = cleanPaste(fromStdin ? await io.stdin() : given);
  if (paste.kind === 'unusable') throw new UsageError(paste.problem);
  if (paste.kind === 'empty') throw new UsageError(`no token in the ${fromStdin ? 'standard input' : 'argument'}: paste an access token, an "Authorization: Bearer …" line or a token response`);
  // Read before any network call, so a wrong path is said at once.
  const configText = values.config === undefined ? null : readConfigFile(values.config);
  if (paste.cleaned.length > 0) io.err(`token-echo: tidied the input: ${paste.cleaned.join('; ')}.`);

  const flagEnv: Record<string, string> = {};
  for (const [flag, setting] of Object.entries(FLAG_SETTINGS)) {
    const value = values[flag as keyof typeof FLAG_SETTINGS];
    if (value !== undefined) flagEnv[setting] = Array.isArray(value) ? value.join(',') : value;
  }
  let settings;
  try {
    settings = loadConfig({ ...io.env, ...flagEnv });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const fromFlags = error.problems.some((p) => Object.hasOwn(flagEnv, p.setting));
    if (fromFlags) throw new UsageError(error.problems.map((p) => `${p.setting} (flag): ${JSON.stringify(p.value)} is not valid, expected ${p.expected}`).join('; '));
    io.err(`token-echo: invalid settings:\n${error.message}`);
    return EXIT_CONFIG;
  }
  const keys = settings.tenant === null ? null : new EntraKeyStore({ authority: settings.authority, tenant: settings.tenant, fetchTimeoutMs: settings.fetchTimeoutMs });
  const now = new Date();
  const full = await inspect({ method: 'GET', url: '/', headers: [['authorization', paste.authorization]], bodySize: 0 }, settings, keys, { now, id: randomUUID() });
  // A pasted token came through no connector: notices about the connector's call do not apply.
  // The front doors' section is added as the endpoint adds it, to the finished report.
  const report: Report = withFrontDoors({ ...full, reasons: full.reasons.filter((r) => !CONNECTOR_ONLY_CODES.has(r.code)) }, settings, now, { snippets: true });
  const judged = configText === null || values.config === undefined ? null : judgeConfigFile(values.config, configText, report, settings);
  const exit = judged === null ? EXIT_FOR_VERDICT[report.verdict] : EXIT_FOR_CONFIG[judged.result.verdict];
  if (values.json) {
    io.out(JSON.stringify(judged === null ? report : { report, config: { kind: judged.kind, ...judged.result } }, null, 2));
    return exit;
  }
  const palette = paletteFor({ isTTY: io.isTTY }, io.env);
  const parts = [renderReport(report, palette)];
  if (values.validators && report.validators) parts.push(renderFrontDoors(report.validators, palette));
  if (judged !== null && values.config !== undefined) parts.push(renderConfigJudgement(values.config, judged, palette));
  io.out(parts.join('\n\n'));
  return exit;
}
