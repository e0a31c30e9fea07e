/**
 * Plain-language descriptions of the claims Entra ID puts in tokens, in the spirit of jwt.ms.
 * Source: Microsoft identity platform "Access token claims reference" and "ID token claims
 * reference" (learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
 */
export const CLAIM_DESCRIPTIONS: Readonly<Record<string, string>> = {
  aud: 'Audience: the API this token is for. v2.0 tokens carry the API\'s client ID; v1.0 tokens the client ID or the App ID URI used in the request.',
  iss: 'Issuer: the security token service and tenant that issued the token (v1.0 https://sts.windows.net/{tid}/, v2.0 https://login.microsoftonline.com/{tid}/v2.0).',
  idp: 'Identity provider that authenticated the subject, when it is not the issuer (e.g. a guest\'s home tenant or a Microsoft account).',
  iat: 'Issued at: when the token was issued (seconds since 1970-01-01 UTC).',
  nbf: 'Not before: the token is not valid before this time.',
  exp: 'Expiration: the token is not valid after this time (usually 60 to 90 minutes after issue).',
  aio: 'Internal claim Entra uses to reuse tokens; opaque, not for authorization.',
  acr: 'Authentication context class (v1.0): 0 means the user authentication did not meet ISO/IEC 29115.',
  acrs: 'Authentication context IDs the user satisfied (Conditional Access authentication contexts).',
  amr: 'Authentication methods used (pwd, mfa, rsa...), v1.0 tokens.',
  appid: 'Application ID of the client that requested the token (v1.0). For a connector: its app registration\'s client ID.',
  appidacr: 'How the client authenticated (v1.0): 0 public client, 1 client secret, 2 certificate.',
  azp: 'Authorized party: application ID of the client that requested the token (v2.0). For a connector: its app registration\'s client ID.',
  azpacr: 'How the client authenticated (v2.0): 0 public client, 1 client secret, 2 certificate.',
  family_name: 'The user\'s last name (display only).',
  given_name: 'The user\'s first name (display only).',
  groups: 'Object IDs of the groups the subject belongs to (subject to group overage).',
  hasgroups: 'Present instead of groups when the user is in too many groups for the token.',
  idtyp: 'Token type: app for app-only tokens, user for delegated tokens (when configured), device.',
  ipaddr: 'IP address the user authenticated from (v1.0).',
  name: 'The user\'s display name (display only, mutable).',
  nonce: 'Nonce from the sign-in request: present in ID tokens, not in access tokens.',
  oid: 'Object ID of the user or service principal in this tenant: immutable, the same across apps. Use it with tid to identify a user.',
  preferred_username: 'The user\'s sign-in name (v2.0; display only, mutable, never for authorization).',
  puid: 'Internal user identifier; opaque.',
  rh: 'Internal claim Entra uses to revalidate tokens; opaque.',
  roles: 'App roles granted: app permissions for app-only tokens, or app roles assigned to the user.',
  scp: 'Scopes: the delegated permissions granted to the client for this user, space-separated. Only in user (delegated) tokens.',
  sid: 'Session ID of the user\'s sign-in session.',
  sub: 'Subject: a pairwise identifier of the user for this application (differs between apps).',
  tid: 'Tenant ID: the GUID of the Entra tenant the user or app signed in to.',
  unique_name: 'A human-readable name of the subject (v1.0; display only, never for authorization).',
  upn: 'User principal name (display only, mutable, never for authorization).',
  uti: 'Token identifier Entra uses internally; opaque.',
  ver: 'Token version: 1.0 or 2.0, chosen by the API app registration\'s accessTokenAcceptedVersion.',
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
