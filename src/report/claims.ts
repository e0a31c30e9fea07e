/**
 * Plain-language descriptions of the claims Entra ID puts in tokens, in the spirit of jwt.ms.
 * Source: Microsoft identity platform "Access token claims reference" and "ID token claims
 * reference" (learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
 */
export const CLAIM_DESCRIPTIONS: Readonly<Record<string, string>> = {
  aud: 'Audience: the API this token is for (v2.0: its client ID; v1.0: client ID or App ID URI as requested).',
  iss: 'Issuer: the token service and tenant that issued the token (v1.0 sts.windows.net/{tid}/, v2.0 .../{tid}/v2.0).',
  idp: 'Identity provider that authenticated the subject, when it is not the issuer (e.g. a guest\'s home tenant or a Microsoft account).',
  iat: 'Issued at: when the token was issued.',
  nbf: 'Not before: the token is not valid before this time.',
  exp: 'Expires: not valid after this time (usually 60 to 90 minutes after issue).',
  aio: 'Internal to Entra ID; opaque.',
  acr: 'Authentication context class (v1.0): 0 means the user authentication did not meet ISO/IEC 29115.',
  acrs: 'Authentication context IDs the user satisfied (Conditional Access authentication contexts).',
  amr: 'Authentication methods used (pwd, mfa, rsa...), v1.0 tokens.',
  appid: 'Calling app (v1.0): client ID of the app that requested the token, e.g. the connector\'s.',
  appidacr: 'How the calling app authenticated: 0 public client, 1 secret, 2 certificate.',
  azp: 'Calling app (v2.0): client ID of the app that requested the token, e.g. the connector\'s.',
  azpacr: 'How the calling app authenticated: 0 public client, 1 secret, 2 certificate.',
  family_name: 'The user\'s last name (display only).',
  given_name: 'The user\'s first name (display only).',
  groups: 'Object IDs of the groups the subject belongs to (subject to group overage).',
  hasgroups: 'Present instead of groups when the user is in too many groups for the token.',
  idtyp: 'Token type: app for app-only tokens, user for delegated tokens (when configured), device.',
  ipaddr: 'IP address the user authenticated from (v1.0).',
  name: 'Display name (mutable).',
  nonce: 'Nonce from the sign-in request: present in ID tokens, not in access tokens.',
  oid: 'Object ID of the user or app in the tenant: immutable, the same in every app; use it with tid.',
  preferred_username: 'Sign-in name (display only, mutable; never for authorization).',
  puid: 'Internal user identifier; opaque.',
  rh: 'Internal to Entra ID; opaque.',
  roles: 'App roles granted: app permissions for app-only tokens, or app roles assigned to the user.',
  scp: 'Scopes: delegated permissions granted to the calling app for this user (user tokens only).',
  sid: 'Session ID of the user\'s sign-in session.',
  sub: 'Subject: the user, as seen by this app only (differs between apps).',
  tid: 'Tenant ID: the directory the user or app signed in to.',
  unique_name: 'A human-readable name of the subject (v1.0; display only, never for authorization).',
  upn: 'User principal name (display only, mutable, never for authorization).',
  uti: 'Internal to Entra ID; opaque.',
  ver: 'Token version, chosen by the API\'s accessTokenAcceptedVersion.',
  wids: 'Directory role template IDs assigned to the user across the tenant.',
  xms_cc: 'Client capabilities: cp1 means the client can handle claims challenges (continuous access evaluation).',
  xms_tcdt: 'Tenant creation date (seconds since the epoch).',
  email: 'The user\'s e-mail address (display only, mutable, never for authorization).',
  at_hash: 'Access-token hash: present in ID tokens issued together with an access token.',
  c_hash: 'Code hash: present in ID tokens issued together with an authorization code.',
};

export function describeClaims(claims: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(claims)) {
    // Claim names are attacker-controlled: look up own properties only ("constructor", "__proto__").
    if (Object.hasOwn(CLAIM_DESCRIPTIONS, name)) out[name] = CLAIM_DESCRIPTIONS[name] as string;
  }
  return out;
}
