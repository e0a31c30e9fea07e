import type { TokenKind, TokenVersion } from '../../report/report.js';
import { str, stringList } from '../findings.js';

/** The version a token says it is (`ver`), or, without it, the shape of `iss`: shown in the report. */
export function tokenVersion(claims: Record<string, unknown>): TokenVersion | null {
  const ver = claims['ver'];
  if (ver === '1.0' || ver === '2.0') return ver;
  return issuerVersion(claims);
}

/**
 * Which metadata validates the token: Microsoft.IdentityModel's AadIssuerValidator.GetTokenIssuerVersion
 * picks v2 when `iss` ends with "/v2.0" or "/v2.0/" (ordinal, ignoring case) and v1 otherwise; `ver` plays
 * no part (AadIssuerValidator.cs; AadIssuerValidatorTests). Null without an `iss`.
 */
export function issuerVersion(claims: Record<string, unknown>): TokenVersion | null {
  const iss = str(claims['iss']);
  if (iss === null) return null;
  return /\/v2\.0\/?$/i.test(iss) ? '2.0' : '1.0';
}

/**
 * An ID token, whatever else it carries: no `scp`, not marked app-only (`idtyp: app`), and a sign-in's
 * marks: a payload `nonce`, `at_hash`/`c_hash`, no calling-client claim (azp/appid), or `aud` equal to
 * that client (an ID token's audience is the client app). ID tokens may carry `roles` (id-token-claims-reference,
 * learn.microsoft.com/entra/identity-platform/id-token-claims-reference).
 */
export function isIdToken(claims: Record<string, unknown>): boolean {
  if (str(claims['scp']) !== null || claims['idtyp'] === 'app') return false;
  if ('nonce' in claims || 'at_hash' in claims || 'c_hash' in claims) return true;
  const client = str(claims['azp']) ?? str(claims['appid']);
  if (client === null) return true;
  return claims['aud'] === client;
}

/**
 * `scp` means a user (delegated) token; `idtyp: app`, or roles without `scp`, an app-only one
 * (claims-validation guidance). An ID token is neither: null.
 */
export function tokenKind(claims: Record<string, unknown>): TokenKind | null {
  if (str(claims['scp']) !== null) return 'user';
  if (isIdToken(claims)) return null;
  if (claims['idtyp'] === 'app') return 'app';
  if (claims['idtyp'] === 'user') return 'user';
  if (stringList(claims['roles']).length > 0) return 'app';
  return null;
}
