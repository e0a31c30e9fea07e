import type { HttpResponseInit } from '@azure/functions';

/**
 * Rehearsal knobs for /api/echo: make the answer a 401, 403, 429, 500, 502 or 503, late, or large,
 * to see what a flow or an agent does with it. Off unless asked for in the query; the report is
 * built and recorded exactly as without them (only the status, a few headers and trailing
 * whitespace change). Every value is bounded, and what is waiting or padded at once has a budget,
 * so the knobs cannot be used to exhaust the app.
 *
 *   ?status=401|403|429|500|502|503   429 and 503 carry Retry-After (RFC 9110 section 10.2.3)
 *   ?challenge=bearer|invalid_token|insufficient_scope|resource_metadata   the WWW-Authenticate variant
 *   ?delay=<seconds>   0 to 120, up to 3 decimals (Power Automate's outbound request limit is 120 s)
 *   ?size=<bytes>[k|m]   pads the answer to that size, up to 2 MiB (Copilot Studio's limit is 500 KB)
 */

export const REHEARSAL_STATUSES = [401, 403, 429, 500, 502, 503] as const;
export type RehearsalStatus = (typeof REHEARSAL_STATUSES)[number];
export const CHALLENGES = ['bearer', 'invalid_token', 'insufficient_scope', 'resource_metadata'] as const;
export type Challenge = (typeof CHALLENGES)[number];
/**
 * 120 s: long enough to pass Copilot Studio's 100 s limit for flows it calls and Power Automate's 120 s
 * outbound request limit (https://learn.microsoft.com/power-automate/limits-and-config).
 */
export const MAX_DELAY_SECONDS = 120;
/** 2 MiB: well past Copilot Studio's 500 KB connector response limit (https://learn.microsoft.com/microsoft-copilot-studio/generative-answers-connector-request-failure). */
export const MAX_SIZE_BYTES = 2 * 1024 * 1024;
export const RETRY_AFTER_SECONDS = 10;
/** Delayed answers waiting at once; each holds only its report. Past it: 429. */
export const MAX_WAITING = 64;
/** Padding bytes being answered at once (eight answers of the largest size). Past it: 429. */
export const PADDING_BUDGET_BYTES = 8 * MAX_SIZE_BYTES;

export interface RehearsalPlan {
  status: RehearsalStatus | null;
  challenge: Challenge | null;
  delayMs: number;
  /** Total size of the answer body in bytes, or null to leave it as it is. */
  size: number | null;
}

export type RehearsalRequest = { ok: true; plan: RehearsalPlan | null } | { ok: false; parameter: string; message: string };

const refuse = (parameter: string, message: string): RehearsalRequest => ({ ok: false, parameter, message });

/** Reads the knobs from the query string: null when none is given, a message naming the parameter when one is wrong. */
export function parseRehearsal(query: URLSearchParams): RehearsalRequest {
  const given: Record<string, string | undefined> = {};
  for (const name of ['status', 'challenge', 'delay', 'size']) {
    const values = query.getAll(name);
    if (values.length > 1) return refuse(name, `give ?${name}= once (it was given ${values.length} times)`);
    // An empty value is a knob left blank (an optional connector parameter): not asked for.
    const value = values[0]?.trim();
    given[name] = value === '' ? undefined : value;
  }
  const { status: statusText, challenge: challengeText, delay: delayText, size: sizeText } = given;
  if (statusText === undefined && challengeText === undefined && delayText === undefined && sizeText === undefined) return { ok: true, plan: null };

  let status: RehearsalStatus | null = null;
  if (statusText !== undefined) {
    const n = /^\d{3}$/.test(statusText) ? Number(statusText) : NaN;
    if (!(REHEARSAL_STATUSES as readonly number[]).includes(n)) return refuse('status', `?status=${shown(statusText)} is not a rehearsal status: use one of ${REHEARSAL_STATUSES.join(', ')}`);
    status = n as RehearsalStatus;
  }
  let challenge: Challenge | null = null;
  if (challengeText !== undefined) {
    if (!(CHALLENGES as readonly string[]).includes(challengeText)) return refuse('challenge', `?challenge=${shown(challengeText)} is not a challenge token-echo can send: use one of ${CHALLENGES.join(', ')}`);
    challenge = challengeText as Challenge;
    // RFC 6750 section 3.1: insufficient_scope is a 403; a missing or invalid token is a 401.
    const expected = challenge === 'insufficient_scope' ? 403 : 401;
    if (status === null) status = expected;
    else if (status !== expected) return refuse('challenge', `?challenge=${challenge} goes with ?status=${expected} (RFC 6750 section 3.1), not ${status}`);
  }
  // RFC 9110 section 15.5.2: a 401 always carries a challenge.
  if (status === 401 && challenge === null) challenge = 'invalid_token';

  let delayMs = 0;
  if (delayText !== undefined) {
    const seconds = /^\d{1,3}(\.\d{1,3})?$/.test(delayText) ? Number(delayText) : NaN;
    if (!(seconds >= 0 && seconds <= MAX_DELAY_SECONDS)) return refuse('delay', `?delay=${shown(delayText)} is out of range: give seconds from 0 to ${MAX_DELAY_SECONDS} (e.g. 30 or 2.5)`);
    delayMs = Math.round(seconds * 1000);
  }
  let size: number | null = null;
  if (sizeText !== undefined) {
    const m = /^(\d{1,8})(k|kb|m|mb)?$/i.exec(sizeText);
    const unit = m?.[2]?.[0]?.toLowerCase();
    const bytes = m === null ? NaN : Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : 1);
    if (!(bytes >= 0 && bytes <= MAX_SIZE_BYTES)) return refuse('size', `?size=${shown(sizeText)} is out of range: give bytes from 0 to ${MAX_SIZE_BYTES} (2 MiB), optionally with k or m (e.g. 600k)`);
    size = bytes;
  }
  return { ok: true, plan: { status, challenge, delayMs, size } };
}

/** A value echoed in a message is cut and kept printable: it came from the caller. */
function shown(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value).replace(/[^\x20-\x7e]/g, '?');
}

/** The clear 400 for a knob out of range; no report is made for a call that asked for the impossible. */
export function rehearsalRefused(refusal: { parameter: string; message: string }): HttpResponseInit {
  return jsonAnswer(400, { error: 'invalid_rehearsal', parameter: refusal.parameter, message: refusal.message });
}

let waiting = 0;
let paddingInFlight = 0;
/** One padding string for the life of the process: each padded answer is a slice of it, not a new string. */
let padding: string | null = null;

/** What is held right now (for tests and the bench). */
export function rehearsalLoad(): { waiting: number; paddingBytes: number } {
  return { waiting, paddingBytes: paddingInFlight };
}

/**
 * Applies a plan to the answer the echo function built: waits, sets the status, the challenge and
 * Retry-After, pads the body. `url` is the request's (for the RFC 9728 metadata URL); `scopes` the
 * configured ones (the scope attribute of insufficient_scope, RFC 6750 section 3).
 */
export async function rehearse(response: HttpResponseInit, plan: RehearsalPlan, url: string, scopes: readonly string[] = []): Promise<HttpResponseInit> {
  const body = typeof response.body === 'string' ? response.body : '';
  const pad = plan.size === null ? 0 : Math.max(0, plan.size - Buffer.byteLength(body));
  if ((plan.delayMs > 0 && waiting >= MAX_WAITING) || paddingInFlight + pad > PADDING_BUDGET_BYTES) {
    return { ...jsonAnswer(429, { error: 'rehearsal_busy', message: `token-echo is already answering as many delayed or padded rehearsals as it allows at once (${MAX_WAITING} waiting, ${PADDING_BUDGET_BYTES} padding bytes); retry later` }), headers: { ...jsonHeaders, 'retry-after': String(RETRY_AFTER_SECONDS) } };
  }
  const delayed = plan.delayMs > 0;
  if (delayed) waiting++;
  paddingInFlight += pad;
  try {
    if (delayed) await new Promise((resolve) => setTimeout(resolve, plan.delayMs));
    const headers: Record<string, string> = { ...(response.headers as Record<string, string> | undefined), 'x-token-echo-rehearsal': describe(plan) };
    let status = response.status ?? 200;
    if (plan.status !== null) {
      status = plan.status;
      delete headers['www-authenticate'];
      if (plan.status === 429 || plan.status === 503) headers['retry-after'] = String(RETRY_AFTER_SECONDS);
    }
    if (plan.challenge !== null) headers['www-authenticate'] = challengeFor(plan.challenge, url, scopes);
    // Trailing whitespace keeps the body the same JSON document (RFC 8259 section 2).
    return { ...response, status, headers, body: pad > 0 ? body + paddingOf(pad) : response.body };
  } finally {
    if (delayed) waiting--;
    paddingInFlight -= pad;
  }
}

function paddingOf(bytes: number): string {
  padding ??= ' '.repeat(MAX_SIZE_BYTES);
  return padding.slice(0, bytes);
}

function describe(plan: RehearsalPlan): string {
  const parts = [];
  if (plan.status !== null) parts.push(`status=${plan.status}`);
  if (plan.challenge !== null) parts.push(`challenge=${plan.challenge}`);
  if (plan.delayMs > 0) parts.push(`delay=${plan.delayMs / 1000}s`);
  if (plan.size !== null) parts.push(`size=${plan.size}`);
  return parts.join('; ');
}

/** The WWW-Authenticate variants of RFC 6750 section 3 and RFC 9728 section 5.1. */
export function challengeFor(challenge: Challenge, url: string, scopes: readonly string[]): string {
  const realm = 'Bearer realm="token-echo"';
  switch (challenge) {
    case 'bearer':
      // No error code: the request carried no credentials (RFC 6750 section 3).
      return realm;
    case 'invalid_token':
      return `${realm}, error="invalid_token", error_description="rehearsal: token-echo was asked to refuse this call"`;
    case 'insufficient_scope':
      return `${realm}, error="insufficient_scope", error_description="rehearsal: token-echo was asked to refuse this call"${scopes.length > 0 ? `, scope="${scopes.join(' ').replace(/["\\]/g, '')}"` : ''}`;
    case 'resource_metadata':
      return `Bearer resource_metadata="${metadataUrl(url)}"`;
  }
}

/** RFC 9728 section 3.1: /.well-known/oauth-protected-resource goes between the host and the resource's path. */
export function metadataUrl(resource: string): string {
  const u = new URL(resource);
  const path = u.pathname === '/' ? '' : u.pathname.replace(/\/+$/, '');
  return `${u.origin}/.well-known/oauth-protected-resource${path}`;
}

const jsonHeaders = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
function jsonAnswer(status: number, body: Record<string, string>): HttpResponseInit {
  return { status, headers: { ...jsonHeaders }, body: `${JSON.stringify(body)}\n` };
}
