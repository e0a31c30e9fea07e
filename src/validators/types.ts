import type { Settings } from '../config.js';

/**
 * Front-door profiles: what one validator in front of (or inside) the maker's API would decide on
 * the token token-echo received. Every rule is cited in docs/front-doors.md; each profile module
 * is a pure function of (decoded token, settings, whether the signature verified with a key of the
 * tenant, now).
 */
export type ProfileId =
  | 'microsoft-identity-web'
  | 'easy-auth'
  | 'apim-validate-azure-ad-token'
  | 'apim-validate-jwt'
  | 'jose'
  | 'jsonwebtoken'
  | 'express-jwt'
  | 'passport-azure-ad';

export type Verdict = 'accept' | 'refuse' | 'unknown';

/** A rule a validator applies, named the same way in every profile. */
export type RuleId =
  | 'config'
  | 'alg'
  | 'signature'
  | 'iss'
  | 'tenant'
  | 'aud'
  | 'azp'
  | 'exp'
  | 'nbf'
  | 'scope'
  | 'roles'
  | 'scope-or-roles'
  | 'client'
  | 'principal'
  | 'required-claim';

export interface Refusal {
  rule: RuleId;
  expected: string;
  found: string;
  /** Where the rule comes from: a short name resolved in docs/front-doors.md (e.g. "DOC EA-AAD"). */
  source: string;
  /** The setting of the judged configuration to change, when the refusal comes from it. */
  setting?: string;
}

export interface ProfileResult {
  profile: ProfileId;
  /** Display name, e.g. "App Service authentication (Easy Auth)". */
  name: string;
  verdict: Verdict;
  /** The first rule, in the validator's own order, that refuses (or cannot be decided, for `unknown`). */
  firstRefusal?: Refusal;
  /**
   * A configuration that accepts THIS token while keeping the intent of the TOKEN_ECHO_* settings
   * (same tenant, same API, same scopes/roles/clients; only the forms the settings mean but did not
   * spell out are added). null when no such configuration exists (expired, other tenant, other API…).
   */
  snippet: string | null;
  /** Why there is no snippet for this token, when `snippet` is null. */
  snippetNote?: string;
  /** The configuration the TOKEN_ECHO_* settings stand for, in this validator's terms. */
  snippetForSettings: string | null;
}

/** What every profile reads. Claims and header are as decoded (untrusted, never re-verified here). */
export interface FrontDoorInput {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  settings: Settings;
  /** The signature verified with a key from the configured tenant's key set; null: not checked (keys unavailable). */
  signatureVerified: boolean | null;
  now: Date;
  /**
   * The tenant GUID behind TOKEN_ECHO_TENANT_ID when it is a domain (from the tenant's metadata).
   * Without it a domain tenant leaves issuer rules `unknown`.
   */
  tenantGuid?: string;
}

export type Profile = (input: FrontDoorInput) => ProfileResult;
