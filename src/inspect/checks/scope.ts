import type { Settings } from '../../config.js';
import { show } from '../../report/format.js';
import { reason } from '../../report/report.js';
import type { TokenKind } from '../../report/report.js';
import { type Findings, str, stringList } from '../findings.js';
import { isIdToken } from './token-kind.js';

const APP_ONLY = 'it is an app-only (client-credentials) token, so no user is behind this call and it cannot be on-behalf-of';

/**
 * Permissions, as Microsoft.Identity.Web decides them with the settings given:
 * - always: a token with neither `scp` nor `roles` is refused (IDW10201, MicrosoftIdentityWebApiAuthenticationBuilderExtensions);
 * - TOKEN_ECHO_SCOPES only: RequiredScope, some `scp` value among them (ScopeAuthorizationHandler; RequiredScopePolicyTests);
 * - TOKEN_ECHO_ROLES set (with or without scopes): RequiredScopeOrAppPermission, an accepted scope or an accepted role
 *   (ScopeOrAppPermissionAuthorizationHandler; RequiredScopeOrAppPermissionPolicyTests);
 * - neither: nothing more (an app-only token with roles passes IDW10201 and is accepted).
 * An ID token is never accepted, whatever it carries. APP_ONLY_TOKEN explains an app-only token: an error
 * when these rules refuse it, a note when they accept it.
 */
export function checkScope(claims: Record<string, unknown>, kind: TokenKind | null, settings: Settings, f: Findings): void {
  const scp = str(claims['scp']);
  const scopes = scp === null ? [] : scp.split(' ').filter((s) => s !== '');
  // .NET splits each scope and role claim value on spaces (ScopeOrAppPermissionAuthorizationHandler: s.Value.Split(' ')).
  const roles = stringList(claims['roles']).flatMap((r) => r.split(' ')).filter((r) => r !== '');
  const found = `${scp !== null ? `scp ${show(scp)}` : 'no scp'}${roles.length > 0 ? `, roles ${show(roles)}` : ''}`;
  const wantScopes = settings.scopes;
  const wantRoles = settings.roles;
  const expectedParts: string[] = [];
  if (wantScopes.length > 0) expectedParts.push(`scp with one of ${wantScopes.join(', ')}`);
  if (wantRoles.length > 0) expectedParts.push(`roles with one of ${wantRoles.join(', ')}`);
  const expected = expectedParts.length > 0 ? expectedParts.join(' or ') : 'scp or roles (IDW10201)';
  if (isIdToken(claims)) {
    f.fail(
      'scope',
      reason('ID_TOKEN', `this is an ID token (no scp${roles.length > 0 ? `, roles ${show(roles)}` : ''}, and a sign-in's marks: a payload nonce or hash, no azp/appid, or aud equal to the client): it describes a sign-in, it does not grant access to an API.`),
      { expected, found },
    );
    return;
  }
  if (scopes.length === 0 && roles.length === 0) {
    f.fail('scope', reason('SCOPE_MISSING', 'the token has neither scp nor roles (IDW10201): it grants nothing.'), { expected, found });
    return;
  }
  const appOnly = kind === 'app';
  const hasScope = wantScopes.length > 0 && scopes.some((s) => wantScopes.includes(s));
  const hasRole = wantRoles.length > 0 && roles.some((r) => wantRoles.includes(r));
  let accepted: boolean;
  let detail: string;
  if (wantScopes.length === 0 && wantRoles.length === 0) {
    accepted = true;
    detail = 'TOKEN_ECHO_SCOPES and TOKEN_ECHO_ROLES are not set: any scp or roles is accepted (IDW10201 only)';
  } else if (wantRoles.length === 0) {
    accepted = hasScope;
    detail = 'RequiredScope: a scp value among TOKEN_ECHO_SCOPES';
  } else {
    accepted = hasScope || hasRole;
    detail = `RequiredScopeOrAppPermission: ${wantScopes.length > 0 ? 'a scp value among TOKEN_ECHO_SCOPES or ' : ''}a role among TOKEN_ECHO_ROLES`;
  }
  if (accepted) {
    if (appOnly) f.add(reason('APP_ONLY_TOKEN', `the token has no scp but roles ${show(roles)}: ${APP_ONLY}. Accepted, as Microsoft.Identity.Web would with these settings.`, undefined, 'info'));
    f.set('scope', 'pass', { expected, found, detail: appOnly ? `${detail}; an app-only token` : detail });
    return;
  }
  if (appOnly) {
    const why =
      wantRoles.length === 0
        ? 'TOKEN_ECHO_SCOPES requires a delegated scope and TOKEN_ECHO_ROLES accepts no app role'
        : `none of its roles is among TOKEN_ECHO_ROLES (${wantRoles.join(', ')})`;
    f.fail('scope', reason('APP_ONLY_TOKEN', `the token has no scp but roles ${show(roles)}: ${APP_ONLY}; refused: ${why}.`), { expected, found });
    return;
  }
  const message =
    wantScopes.length === 0
      ? `the token's ${found} has none of the accepted app roles (${wantRoles.join(', ')}); with TOKEN_ECHO_ROLES set and TOKEN_ECHO_SCOPES not, delegated scopes are not enough (RequiredScopeOrAppPermission).`
      : `the token's ${found} has none of the required scopes (${wantScopes.join(', ')})${wantRoles.length > 0 ? ` nor accepted roles (${wantRoles.join(', ')})` : ''}.`;
  f.fail('scope', reason('SCOPE_MISSING', message), { expected, found });
}
