import { CHECK_NAMES, type CheckName } from '../report/reasons.js';
import type { Check, Reason } from '../report/report.js';
import type { SigningKey } from './key-source.js';

export type CheckFields = { expected?: string; found?: string; detail?: string };

/** What the checks of one call found: a check per name, the reasons (one per code), and what the signature step learnt. */
export class Findings {
  readonly checks = new Map<CheckName, Check>();
  readonly reasons: Reason[] = [];
  signatureVerified = false;
  /** The tenant key that verified the token (found by kid, or by trying every key), for the signing-key issuer check. */
  signingKey: SigningKey | undefined = undefined;

  add(r: Reason): void {
    if (!this.reasons.some((x) => x.code === r.code)) this.reasons.push(r);
  }
  set(name: CheckName, status: Check['status'], fields: CheckFields = {}): void {
    const check: Check = { name, status };
    if (fields.expected !== undefined) check.expected = fields.expected;
    if (fields.found !== undefined) check.found = fields.found;
    if (fields.detail !== undefined) check.detail = fields.detail;
    this.checks.set(name, check);
  }
  fail(name: CheckName, r: Reason, fields: CheckFields = {}): void {
    this.add(r);
    // The first failure of a check is the one shown in it; later reasons still appear in `reasons`.
    if (this.checks.get(name)?.status !== 'fail') this.set(name, 'fail', fields);
  }
  skipRest(detail: string): void {
    for (const name of CHECK_NAMES) if (!this.checks.has(name)) this.set(name, 'skip', { detail });
  }
}

/** A claim as a non-empty string, or null: claims are attacker-controlled JSON of any shape. */
export function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A claim that .NET reads as a list of strings: an array's string members, or a single string (JsonWebToken claims). */
export function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
