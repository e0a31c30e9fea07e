import { type Settings, isGuid } from '../config.js';
import type { FrontDoorVerdict, Report } from '../report/report.js';
import { disagreementLine, judgeFrontDoors } from './judge.js';
import type { FrontDoorInput, ProfileResult } from './types.js';

/**
 * The report's `validators` section and its summary line, added to the FINISHED report by the edges
 * (the echo handler, the CLI, the front-doors endpoint), never by the core: "judges read the core;
 * the core knows none of them" (docs/architecture). Everything comes from the report itself: the
 * decoded header and claims, whether the signature check passed (with the keys the core already
 * fetched; nothing is fetched here), the tenant GUID the tenant check was held to, and the time of
 * the call. Snippets hold settings and claim values only: the raw token is not in a report, so it
 * cannot reach one.
 */

/** A profile's result as the report carries it: the settings' snippet only when it differs from this token's. */
function entryOf(r: ProfileResult): FrontDoorVerdict {
  // The report's types and the judges' stay one shape: a profile result is assignable to an entry.
  const entry: FrontDoorVerdict = { ...r };
  if (r.snippetForSettings === r.snippet) delete entry.snippetForSettings;
  return entry;
}

/** What the judges read, from a finished report; null when the call carried no decodable token. */
export function frontDoorInputOf(report: Report, settings: Settings, now: Date = new Date(report.receivedAt)): FrontDoorInput | null {
  const token = report.token;
  if (!token || token.header === null || token.claims === null) return null;
  const input: FrontDoorInput = { header: token.header, claims: token.claims, settings, signatureVerified: signatureVerifiedOf(report), now };
  const tenantGuid = tenantGuidOf(report, settings);
  if (tenantGuid !== undefined) input.tenantGuid = tenantGuid;
  return input;
}

/**
 * The core's signature check: pass is a signature by a key of the configured tenant; fail is not;
 * skip means it was not checked (no tenant, keys unavailable, or refused earlier on the algorithm,
 * which every profile refuses on its own `alg` rule first).
 */
function signatureVerifiedOf(report: Report): boolean | null {
  const status = report.checks.find((c) => c.name === 'signature')?.status;
  return status === 'pass' ? true : status === 'fail' ? false : null;
}

/** With TOKEN_ECHO_TENANT_ID a domain, the tenant check's expected value is the GUID from the tenant's metadata (src/inspect/checks/tenant.ts). */
function tenantGuidOf(report: Report, settings: Settings): string | undefined {
  if (settings.tenant === null || isGuid(settings.tenant)) return undefined;
  const expected = report.checks.find((c) => c.name === 'tenant')?.expected;
  return expected !== undefined && isGuid(expected) ? expected.toLowerCase() : undefined;
}

/**
 * A connector repeats one token until it expires, and the core shares that token's frozen claims
 * object between its reports (src/inspect/token-memo.ts): the section is worked out once per claims
 * object, settings, signature outcome and tenant GUID, and shared (frozen) by the reports after it.
 * Only the lifetime rules depend on the time, and every one of them refuses (or cannot decide) only
 * when now is at or past exp (minus nothing: skews only ever widen, [CODE] Validators.ValidateLifetime,
 * jose/jsonwebtoken clockTolerance, passport clockSkew, APIM clock-skew; undocumented skews are
 * `unknown` from exp on, src/validators/microsoft-rules.ts) or before nbf. So a kept section is
 * reused only while nbf < now < exp (a second of margin each side): there no profile refuses on time
 * and no text names it, so the section is the same at every such instant. Outside that window it is
 * worked out on each call (about 60 µs), so expiry is always current.
 */
interface SectionMemo {
  settings: Settings;
  signatureVerified: boolean | null;
  tenantGuid: string | undefined;
  section: Readonly<FrontDoorSection>;
}
const sectionMemo = new WeakMap<object, SectionMemo>();

export interface FrontDoorSection {
  /** Every entry whole, snippets included (the CLI, GET /api/reports/{id}/front-doors). */
  validators: readonly FrontDoorVerdict[];
  /** The same entries without their snippets: what the echo answer and the history carry. */
  compact: readonly FrontDoorVerdict[];
  /** The summary's extra line, only when the front doors disagree. */
  disagreement: string | null;
}

function insideLifetime(input: FrontDoorInput): boolean {
  const nowSec = Math.floor(input.now.getTime() / 1000);
  const { exp, nbf } = input.claims;
  if (typeof exp === 'number' && !(nowSec + 1 < exp)) return false;
  if (typeof nbf === 'number' && !(nbf + 1 < nowSec)) return false;
  return true;
}

export function frontDoorSection(input: FrontDoorInput): Readonly<FrontDoorSection> {
  const claims = input.claims;
  const memoizable = Object.isFrozen(claims) && insideLifetime(input);
  if (memoizable) {
    const known = sectionMemo.get(claims);
    if (known && known.settings === input.settings && known.signatureVerified === input.signatureVerified && known.tenantGuid === input.tenantGuid) return known.section;
  }
  const results = judgeFrontDoors(input);
  const validators = results.map(entryOf);
  const section: FrontDoorSection = { validators, compact: validators.map(compactOf), disagreement: disagreementLine(results) };
  if (!memoizable) return section;
  for (const list of [section.validators, section.compact]) {
    for (const v of list) {
      if (v.firstRefusal) Object.freeze(v.firstRefusal);
      Object.freeze(v);
    }
    Object.freeze(list);
  }
  Object.freeze(section);
  sectionMemo.set(claims, { settings: input.settings, signatureVerified: input.signatureVerified, tenantGuid: input.tenantGuid, section });
  return section;
}

/** The summary with the front doors' disagreement, when they disagree. */
export function summaryWith(summary: string, disagreement: string | null): string {
  if (disagreement === null) return summary;
  return `${summary.replace(/\.$/, '')}. Front doors disagree: ${disagreement}.`;
}

/**
 * An entry without its snippets. The snippets are about 1 KB each, 8 to 16 of them: in every echo
 * answer they tripled its size (4.6 KB to 14 KB) and cost 10-25 % of the calls per second through
 * the local Functions host (quick loopback run, 20 connections), which the bench targets
 * (docs/bench.md) cannot spare. A connector's flow needs the verdicts; a person needs the snippets,
 * and gets them from the CLI and from GET /api/reports/{id}/front-doors (the viewer's panel).
 */
function compactOf(v: FrontDoorVerdict): FrontDoorVerdict {
  const entry: FrontDoorVerdict = { profile: v.profile, name: v.name, verdict: v.verdict };
  if (v.firstRefusal) entry.firstRefusal = v.firstRefusal;
  return entry;
}

/**
 * The finished report with its `validators` section (and summary line); the report itself when it
 * has no decodable token. `snippets`: whole entries (the CLI) rather than the echo answer's compact ones.
 */
export function withFrontDoors(report: Report, settings: Settings, now?: Date, options: { snippets?: boolean } = {}): Report {
  const input = frontDoorInputOf(report, settings, now);
  if (input === null) return report;
  const section = frontDoorSection(input);
  const validators = (options.snippets === true ? section.validators : section.compact) as FrontDoorVerdict[];
  // Spread keeps the key order (summary in its place, validators last): serializeReport relies on it.
  return { ...report, summary: summaryWith(report.summary, section.disagreement), validators };
}
