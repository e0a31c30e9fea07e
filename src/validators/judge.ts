import { apimAzureAdProfile } from './apim-azure-ad-token.js';
import { apimValidateJwtProfile } from './apim-validate-jwt.js';
import { easyAuthProfile } from './easy-auth.js';
import { expressJwtProfile } from './express-jwt.js';
import { identityWebProfile } from './identity-web.js';
import { joseProfile } from './jose.js';
import { jsonwebtokenProfile } from './jsonwebtoken.js';
import { passportProfile } from './passport-azure-ad.js';
import { type ProfileSpec, runProfile } from './profile.js';
import type { FrontDoorInput, ProfileId, ProfileResult } from './types.js';

/*
 * The judges without the configuration parsers (./config-input.ts loads fast-xml-parser and
 * jsonc-parser): what the echo path loads, so its cold start does not pay for them.
 */

/** Every profile, in the order a report lists them (Microsoft's own validators first). */
// Each spec is typed by its own configuration; the list only ever runs them through runProfile.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const PROFILES: ReadonlyArray<ProfileSpec<any>> = [
  identityWebProfile,
  easyAuthProfile,
  apimAzureAdProfile,
  apimValidateJwtProfile,
  joseProfile,
  jsonwebtokenProfile,
  expressJwtProfile,
  passportProfile,
];

/**
 * One verdict per front door for a token, under the TOKEN_ECHO_* settings. Pure: the decoded header
 * and claims, the settings, whether the signature verified with a key of the tenant (as the core
 * found it; nothing is fetched here), and the time. Cheap enough to compute for every report.
 */
export function judgeFrontDoors(input: FrontDoorInput, only?: readonly ProfileId[]): ProfileResult[] {
  return PROFILES.filter((p) => only === undefined || only.includes(p.id)).map((p) => runProfile(p, input));
}

/** The one line a summary shows, only when the front doors disagree ("jose accepts; Easy Auth would refuse: aud ..."). */
export function disagreementLine(results: readonly ProfileResult[]): string | null {
  const accepting = results.filter((r) => r.verdict === 'accept');
  const refusing = results.filter((r) => r.verdict === 'refuse');
  if (accepting.length === 0 || refusing.length === 0) return null;
  const first = refusing[0] as ProfileResult;
  const why = first.firstRefusal ? `: ${first.firstRefusal.rule} (expected ${first.firstRefusal.expected}, found ${first.firstRefusal.found})` : '';
  return `${accepting.map((r) => r.name).join(', ')} ${accepting.length === 1 ? 'accepts' : 'accept'}; ${refusing.map((r) => r.name).join(', ')} would refuse${why}`;
}
