import type { CheckName, ReasonCode, Severity } from './reasons.js';
import { REASONS, reasonPriority } from './reasons.js';

/**
 * The report: token-echo's contract. The JSON answer, the telemetry event, the history entry, the
 * viewer and the connector's response schema are all derived from this shape; its JSON Schema is
 * `schema/report.schema.json` (generated from `./schema.ts`).
 */
export const REPORT_VERSION = 1;
/** The longest `request.bodyPreview`, in characters (UTF-16 code units, so at most 3 KiB of UTF-8 per report). */
export const BODY_PREVIEW_MAX_CHARS = 1024;

/**
 * - `valid`: a token passed every configured check.
 * - `invalid`: some check failed (any `error` reason).
 * - `no_token`: no bearer token was sent.
 * - `unverified`: nothing failed, but the signature could not be checked (no tenant configured, or keys unreachable).
 */
export type Verdict = 'valid' | 'invalid' | 'no_token' | 'unverified';
export const VERDICTS: readonly Verdict[] = ['valid', 'invalid', 'no_token', 'unverified'];

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface Check {
  name: CheckName;
  status: CheckStatus;
  expected?: string;
  found?: string;
  detail?: string;
}

export interface Reason {
  code: ReasonCode;
  severity: Severity;
  message: string;
  fix: string;
}

export interface TimeClaim {
  /** Seconds since the epoch, as in the token. */
  epoch: number;
  iso: string;
}

export type TokenVersion = '1.0' | '2.0';
export type TokenKind = 'user' | 'app';
export type Caller = 'copilot-studio' | 'power-automate' | 'unknown';

export interface TokenInfo {
  /** The JOSE header as decoded (null when it could not be decoded). */
  header: Record<string, unknown> | null;
  /** The claims as decoded, unverified unless the verdict is `valid` (null when they could not be decoded). */
  claims: Record<string, unknown> | null;
  times: { iat?: TimeClaim; nbf?: TimeClaim; exp?: TimeClaim };
  /** Seconds until `exp` at the time of the call (negative once expired); null without a numeric `exp`. */
  expiresIn: number | null;
  version: TokenVersion | null;
  kind: TokenKind | null;
  /** The calling application: `azp` (v2.0) or `appid` (v1.0). */
  client: string | null;
  /** `sha256:<hex>` of the token: lets two reports be matched without keeping the token. */
  fingerprint: string;
  /** A plain-language description of each Entra claim present, as jwt.ms shows them. */
  claimDescriptions: Record<string, string>;
}

export interface ConnectorInfo {
  /** The value of `x-ms-apihub-obo` when sent, else null. */
  oboHeader: string | null;
  caller: Caller;
  /** Every `x-ms-*`, `traceparent`, `tracestate` and `request-id` header seen (secrets redacted). */
  headers: Record<string, string>;
}

export interface RequestInfo {
  method: string;
  path: string;
  query: Record<string, string>;
  /** All headers as received, names lower-cased, secret values redacted. */
  headers: Record<string, string>;
  bodySize: number;
  contentType: string | null;
  /**
   * Present when the call had a body: its start as text (at most 1,024 characters, secrets shown by
   * their length; see src/inspect/body-preview.ts), or null when the body is not text.
   */
  bodyPreview?: string | null;
}

/**
 * What an MCP call asked and got, added by the MCP edge (src/mcp) to the report of the request that
 * carried it; absent on every other call. The core never sets it.
 */
export interface McpInfo {
  /** `mcp`: the MCP endpoint; `discovery`: an OAuth discovery or registration path beside it. */
  endpoint: 'mcp' | 'discovery';
  /** The JSON-RPC method of the message (null: none could be read, or not a POST). */
  method: string | null;
  /** The tool named by `tools/call`. */
  tool: string | null;
  /** The protocol version asked for: `initialize`'s `params.protocolVersion`, else the MCP-Protocol-Version header. */
  protocolVersion: string | null;
  /** The HTTP status answered. */
  status: number;
  /** The JSON-RPC error code answered, if any. */
  errorCode: number | null;
}

/** The validators a maker may put in front of (or inside) the API, in the order a report lists them (docs/front-doors.md). */
export const FRONT_DOOR_PROFILES = [
  'microsoft-identity-web',
  'easy-auth',
  'apim-validate-azure-ad-token',
  'apim-validate-jwt',
  'jose',
  'jsonwebtoken',
  'express-jwt',
  'passport-azure-ad',
] as const;
export type FrontDoorProfile = (typeof FRONT_DOOR_PROFILES)[number];
/** The rules the profiles apply, named the same way in every profile (src/validators/types.ts RuleId). */
export const FRONT_DOOR_RULES = ['config', 'alg', 'signature', 'iss', 'tenant', 'aud', 'azp', 'exp', 'nbf', 'scope', 'roles', 'scope-or-roles', 'client', 'principal', 'required-claim'] as const;
export type FrontDoorRule = (typeof FRONT_DOOR_RULES)[number];

/** What one front door would decide on this call's token (src/validators: the judges read the core, never the reverse). */
export interface FrontDoorVerdict {
  profile: FrontDoorProfile;
  name: string;
  verdict: 'accept' | 'refuse' | 'unknown';
  /** The first rule, in the validator's own order, that refuses it (or that cannot be decided). */
  firstRefusal?: { rule: FrontDoorRule; expected: string; found: string; source: string; setting?: string };
  /**
   * A configuration that accepts this token with the settings' intent: settings and claim values
   * only, never the token. The snippets are left out of the echo answer and the history (they would
   * triple its size); `token-echo inspect` and GET /api/reports/{id}/front-doors carry them.
   */
  snippet?: string | null;
  snippetNote?: string;
  /**
   * The configuration the TOKEN_ECHO_* settings stand for, in this validator's terms; absent when it
   * is the very text of `snippet` (the settings' configuration already accepts this token), which
   * keeps the answer small on the common path.
   */
  snippetForSettings?: string | null;
}

export interface Report {
  reportVersion: typeof REPORT_VERSION;
  id: string;
  receivedAt: string;
  verdict: Verdict;
  summary: string;
  checks: Check[];
  reasons: Reason[];
  token: TokenInfo | null;
  connector: ConnectorInfo;
  request: RequestInfo;
  /** Only on calls to the MCP endpoint and its discovery paths. */
  mcp?: McpInfo;
  /**
   * Additive to v1: one verdict per front door (Easy Auth, API Management, Microsoft.Identity.Web,
   * the Node libraries), when the call carried a decodable token. Added to the finished report by
   * src/validators/report-section.ts, not by the core.
   */
  validators?: FrontDoorVerdict[];
}

/**
 * Builds a reason from the catalog: the message is specific to this call, the fix defaults to the catalog's.
 * The severity is the catalog's unless the finding's weight depends on the settings (APP_ONLY_TOKEN: an
 * error when the settings refuse the token, a note when they accept it).
 */
export function reason(code: ReasonCode, message: string, fix?: string, severity?: Severity): Reason {
  const def = REASONS[code];
  return { code, severity: severity ?? def.severity, message, fix: fix ?? def.fix };
}

export function sortReasons(reasons: Reason[]): Reason[] {
  return [...reasons].sort((a, b) => reasonPriority(a.code) - reasonPriority(b.code));
}

export function verdictOf(reasons: readonly Reason[], signatureChecked: boolean): Verdict {
  if (reasons.some((r) => r.code === 'NO_TOKEN')) return 'no_token';
  if (reasons.some((r) => r.severity === 'error')) return 'invalid';
  return signatureChecked ? 'valid' : 'unverified';
}
