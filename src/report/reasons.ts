/**
 * The reason-code catalog: every finding token-echo can report, with its severity, the check it
 * belongs to, what it means and the default fix. The order of this object is the order reasons are
 * listed in a report: specific diagnoses first (an `aud` of https://apihub.azure.com says more than
 * "audience mismatch"), generic failures after, notes last.
 *
 * Codes are a stable contract (like jose's `ERR_*` codes): the answer, the telemetry event, the
 * viewer, the README table and the tests all use these exact strings.
 */
export const REASONS = {
  NO_TOKEN: {
    severity: 'error',
    check: 'format',
    meaning: 'The call carried no bearer token (no Authorization header, or "Bearer" with nothing after it).',
    fix: 'Set the connector\'s Security tab to "OAuth 2.0" with identity provider "Azure Active Directory", save it, and create a new connection. A connector with "No authentication" or "API key" sends no bearer token.',
  },
  REPEATED_AUTHORIZATION: {
    severity: 'error',
    check: 'format',
    meaning: 'Two Authorization headers arrived; the Functions host joins them into one value separated by ", " (RFC 9110 section 5.3), which no validator can read as a bearer token (ASP.NET Core\'s JwtBearer reads one malformed token).',
    fix: 'Send the header once: remove the Authorization header parameter or policy from the connector and let the connection add its own token.',
  },
  NOT_BEARER: {
    severity: 'error',
    check: 'format',
    meaning: 'The Authorization header uses another scheme (Basic, a raw key...), not "Bearer <token>" (RFC 6750).',
    fix: 'Use OAuth 2.0 on the connector\'s Security tab; do not add an Authorization header as a parameter or policy.',
  },
  TOKEN_TOO_LARGE: {
    severity: 'error',
    check: 'format',
    meaning: 'The bearer value is longer than 16 KiB and was refused before any parsing.',
    fix: 'Entra access tokens are a few KiB. A huge token usually carries too many group claims: configure group overage or emit only assigned groups on the API app registration.',
  },
  ENCRYPTED_TOKEN: {
    severity: 'error',
    check: 'format',
    meaning: 'The token has five parts: it is an encrypted JWE, which only the resource that holds the decryption key can read.',
    fix: 'Request a token for your own API (its App ID URI as the Resource URL); encrypted tokens are for Microsoft services or apps with token encryption configured.',
  },
  MALFORMED_TOKEN: {
    severity: 'error',
    check: 'format',
    meaning: 'The bearer value is not a compact JWT (three base64url parts with a JSON header and claims), or a required claim has the wrong shape.',
    fix: 'Send the access token itself ("eyJ..."), not a reference, an ID, a quoted string or a token with line breaks.',
  },
  ALG_NOT_ALLOWED: {
    severity: 'error',
    check: 'algorithm',
    meaning: 'The token\'s "alg" is not RS256, the only algorithm Entra ID signs access tokens with; "none" and HMAC are refused before any key is used (RFC 8725 section 3.1).',
    fix: 'Use a token issued by Microsoft Entra ID. A token signed with another algorithm was made by something else, or tampered with.',
  },
  APIHUB_TOKEN: {
    severity: 'error',
    check: 'audience',
    meaning: 'The token is for the Power Platform connector runtime (API Hub), the first hop, not for your API.',
    fix: 'On the connector\'s Security tab set Resource URL to your API\'s App ID URI (or client ID) and, for delegated calls, "Enable on-behalf-of login" to true; then create a new connection.',
  },
  GRAPH_TOKEN: {
    severity: 'error',
    check: 'audience',
    meaning: 'The token is for Microsoft Graph (by its audience or a "nonce" in its header); only Graph can validate it.',
    fix: 'Set the connector\'s Resource URL to your API\'s App ID URI instead of https://graph.microsoft.com, and request a scope your API exposes.',
  },
  ID_TOKEN: {
    severity: 'error',
    check: 'scope',
    meaning: 'An ID token was sent as an access token (no "scp", and a payload "nonce" or hash, no "azp"/"appid", or "aud" equal to the client app): it describes the sign-in for the client app and grants nothing to an API, even when it carries "roles".',
    fix: 'Call the API with the access token. The connector sends the right token once Resource URL names your API.',
  },
  TENANT_MISMATCH: {
    severity: 'error',
    check: 'tenant',
    meaning: 'The token\'s tenant ("tid") is not the configured tenant, is missing (IDX40009) or not a GUID, appears twice with names differing in case (IDX40011), is not contained in "iss" exactly as written (IDX40004), or disagrees with the tenant in "iss".',
    fix: 'Sign in with an account of the configured tenant, or set TOKEN_ECHO_TENANT_ID to the tenant the callers belong to. Custom connectors do not support users from several tenants.',
  },
  ISSUER_MISMATCH: {
    severity: 'error',
    check: 'issuer',
    meaning: 'The token\'s "iss" is not the issuer the tenant\'s metadata names (v1 or v2 metadata, chosen by the shape of "iss" as AadIssuerValidator does; IDX40001), or does not match the issuer of the key that signed it (IDX40005).',
    fix: 'Validate v1.0 tokens (iss https://sts.windows.net/{tid}/) with v1 metadata and v2.0 tokens (iss .../{tid}/v2.0) with v2 metadata; the API\'s accessTokenAcceptedVersion decides which one Entra issues.',
  },
  AUDIENCE_MISMATCH: {
    severity: 'error',
    check: 'audience',
    meaning: 'The token\'s "aud" is not one of the configured audiences (TOKEN_ECHO_AUDIENCES).',
    fix: 'Make the connector\'s Resource URL and TOKEN_ECHO_AUDIENCES name the same API: v2.0 tokens carry the API\'s client ID, v1.0 tokens the Resource URL exactly as configured (App ID URI or client ID).',
  },
  NBF_AFTER_EXP: {
    severity: 'error',
    check: 'lifetime',
    meaning: 'The token\'s "nbf" is after its "exp" (IDX10224): it is valid at no moment, whatever the clocks say. Checked before expiry, as Microsoft.IdentityModel does.',
    fix: 'The token was not issued by Entra ID as is: Entra sets nbf before exp. Get a new token from the connection; a token built or edited by hand must have nbf <= exp.',
  },
  EXPIRED: {
    severity: 'error',
    check: 'lifetime',
    meaning: 'The token\'s "exp" is in the past, beyond the allowed clock skew.',
    fix: 'Get a new token. If a connection keeps sending expired tokens, its refresh failed: edit the connection, sign in again, or recreate it.',
  },
  NOT_YET_VALID: {
    severity: 'error',
    check: 'lifetime',
    meaning: 'The token\'s "nbf" is in the future, beyond the allowed clock skew.',
    fix: 'Check the clocks: this server\'s time or the issuer\'s is off by more than TOKEN_ECHO_CLOCK_SKEW seconds.',
  },
  APP_SPECIFIC_KEY: {
    severity: 'error',
    check: 'signature',
    meaning: 'The signing key is not in the tenant\'s key set but in the app-specific one (jwks_uri?appid=...): the app has claims mapping, a custom signing key or SAML single sign-on.',
    fix: 'Validate with the app-specific metadata (.../openid-configuration?appid=<client ID>), or remove the claims-mapping policy / SAML configuration from the API app registration.',
  },
  KEY_NOT_FOUND: {
    severity: 'error',
    check: 'signature',
    meaning: 'No key in the configured tenant\'s key set has the token\'s "kid", and none of them verifies its signature (IDX10503). An unknown kid refreshes the key set at most once per 5 minutes; the message says whether this call fetched or refreshed it.',
    fix: 'The token was signed by another tenant, another cloud or a custom key; check TOKEN_ECHO_TENANT_ID and TOKEN_ECHO_AUTHORITY against the token\'s "iss".',
  },
  SIGNATURE_INVALID: {
    severity: 'error',
    check: 'signature',
    meaning: 'The key was found but the signature does not verify (IDX10511): the token was altered, or it is a Microsoft-service token signed over a hashed header nonce.',
    fix: 'Send the token exactly as issued; a token edited by hand (or on a website) no longer verifies.',
  },
  APP_ONLY_TOKEN: {
    severity: 'error',
    check: 'scope',
    meaning: 'The token has no "scp" but "roles": it was issued to an application by the client-credentials flow, so no user is behind it and it cannot be an on-behalf-of call. An error when the settings refuse it (TOKEN_ECHO_SCOPES without a matching TOKEN_ECHO_ROLES); a note (info) when they accept it, as Microsoft.Identity.Web does with no scopes or roles required (IDW10201 satisfied) or with an accepted role (RequiredScopeOrAppPermission).',
    fix: 'For delegated calls use OAuth 2.0 with a signed-in user on the connector; to accept app-only tokens list their app roles in TOKEN_ECHO_ROLES.',
  },
  SCOPE_MISSING: {
    severity: 'error',
    check: 'scope',
    meaning: 'The token carries none of the required delegated scopes (TOKEN_ECHO_SCOPES) nor, when TOKEN_ECHO_ROLES is set, an accepted role (RequiredScopeOrAppPermission), or neither "scp" nor "roles" (IDW10201).',
    fix: 'Add the scope to the connector app\'s API permissions, grant admin consent, and request it on the connector (Scope field, or Resource URL with .default).',
  },
  CLIENT_NOT_ALLOWED: {
    severity: 'error',
    check: 'client',
    meaning: 'The calling application ("azp" in v2.0, "appid" in v1.0) is not in TOKEN_ECHO_CLIENT_IDS.',
    fix: 'Use the connector\'s own app registration as Client ID on its Security tab, or add that client ID to TOKEN_ECHO_CLIENT_IDS.',
  },
  KID_UNMATCHED: {
    severity: 'warning',
    check: 'signature',
    meaning: 'No key of the tenant has the token\'s "kid" (or it has none), but its signature verifies with one of them: Microsoft.IdentityModel tries every key (TryAllIssuerSigningKeys) and accepts it; validators that pick the key by kid (jose, jwks-rsa, API Management validate-jwt) refuse it.',
    fix: 'Tokens issued by Entra ID name their key. Send the token exactly as issued, with its header unedited.',
  },
  AUDIENCE_TRAILING_SLASH: {
    severity: 'warning',
    check: 'audience',
    meaning: 'The token\'s "aud" matches a configured audience only once one trailing "/" is ignored: accepted, as Microsoft.IdentityModel does by default (IgnoreTrailingSlashWhenValidatingAudience), but exact-match validators (jose, jsonwebtoken, API Management validate-jwt) refuse it.',
    fix: 'Make the connector\'s Resource URL and the audiences your API accepts the same string, both with or both without the final "/".',
  },
  VERSION_MISMATCH: {
    severity: 'warning',
    check: 'issuer',
    meaning: 'The token\'s "ver" disagrees with the form of its "iss" (v1 https://sts.windows.net/{tid}/, v2 .../{tid}/v2.0). Like AadIssuerValidator, token-echo chose the metadata by "iss"; validators that choose by "ver" refuse the token.',
    fix: 'Tokens issued by Entra ID agree on both; the API\'s accessTokenAcceptedVersion decides which form Entra issues. A token with both edited was not issued as is.',
  },
  REPEATED_QUERY_PARAMETER: {
    severity: 'warning',
    check: 'format',
    meaning: 'A query parameter appears more than once; the Azure Functions host joins the values with a comma, so the app reads one value such as "false,true" (for "strict": neither true nor false, so strict mode stays off unless TOKEN_ECHO_STRICT is set).',
    fix: 'Give each query parameter once, e.g. ?strict=true.',
  },
  KEYS_UNAVAILABLE: {
    severity: 'warning',
    check: 'signature',
    meaning: 'The tenant\'s metadata or keys could not be fetched and no good copy was cached, so the signature was not checked.',
    fix: 'Check TOKEN_ECHO_TENANT_ID and TOKEN_ECHO_AUTHORITY, and that the function app can reach the authority (outbound network, DNS, proxy).',
  },
  CALLER_NOT_TOKEN_USER: {
    severity: 'warning',
    check: 'client',
    meaning: 'The caller headers of the connector runtime (x-ms-client-object-id or x-ms-client-principal-id, else x-ms-client-principal-name) name another user than the token\'s "oid" ("upn"/"preferred_username"): the call was made with someone else\'s connection, typically the maker\'s credentials shared with every user of an agent or flow. A hint, not proof: any caller can send these headers (shared/reference/power-platform-connectors.md section 2.2); with App Service Easy Auth on, the principal headers come from Easy Auth.',
    fix: 'In Copilot Studio set the tool\'s credentials to "End user credentials" (not "Maker-provided", learn.microsoft.com/microsoft-copilot-studio/configure-no-maker-authentication); in a flow, run the action with the invoker\'s connection. For a second user to get their own token, the connector app must list Azure API Connections (fe053c5f-3692-4f14-aef2-ee34fc081cae) as an authorized client with admin consent.',
  },
  CALLER_TENANT_MISMATCH: {
    severity: 'warning',
    check: 'tenant',
    meaning: 'x-ms-client-tenant-id (the caller\'s Power Platform tenant, sent by the connector runtime) is not the token\'s "tid": the connection signed in with an account of another directory, such as a guest\'s home tenant when the connector\'s Tenant ID is "common". A hint, not proof: any caller can send the header.',
    fix: 'Set the connector\'s Tenant ID (Security tab) to your tenant\'s GUID instead of "common" and recreate the connection, so guests sign in to your tenant; custom connectors do not support users from several tenants.',
  },
  NOT_CONFIGURED: {
    severity: 'info',
    check: 'signature',
    meaning: 'No tenant is configured: the token was decoded and explained, but its signature, issuer and tenant were not checked.',
    fix: 'Set TOKEN_ECHO_TENANT_ID (and TOKEN_ECHO_AUDIENCES) to validate tokens as your API would.',
  },
  OBO_HEADER_ABSENT: {
    severity: 'info',
    check: 'client',
    meaning: 'No x-ms-apihub-obo header arrived. The connector runtime shows that header on the response it hands the flow, not on the call to your API, so the token\'s "azp"/"appid" and "aud" are the evidence of on-behalf-of.',
    fix: 'To see x-ms-apihub-obo, open the flow run\'s outputs for this action. With OBO on, "aud" is your API and "azp"/"appid" the connector\'s app.',
  },
  CALLER_APP_NOT_TOKEN_CLIENT: {
    severity: 'info',
    check: 'client',
    meaning: 'x-ms-client-app-id (the app the connector runtime says is calling) is not the token\'s client ("azp"/"appid"). With on-behalf-of login the token\'s client is the connector\'s app while the header names the Power Platform app in front, so this is often expected; a hint, not proof.',
    fix: 'Nothing to do when the header names a Power Platform app and the token\'s client is the connector\'s Client ID. Otherwise check the connector\'s Client ID on its Security tab, and TOKEN_ECHO_CLIENT_IDS.',
  },
} as const satisfies Record<string, ReasonDefinition>;

export type Severity = 'error' | 'warning' | 'info';
export type CheckName =
  | 'format'
  | 'algorithm'
  | 'signature'
  | 'issuer'
  | 'tenant'
  | 'audience'
  | 'lifetime'
  | 'scope'
  | 'client';

export interface ReasonDefinition {
  readonly severity: Severity;
  readonly check: CheckName;
  readonly meaning: string;
  readonly fix: string;
}

export type ReasonCode = keyof typeof REASONS;

export const REASON_CODES = Object.keys(REASONS) as ReasonCode[];

/** The order checks appear in a report: Microsoft.IdentityModel's order (signature, then lifetime, audience, issuer) after the parse. */
export const CHECK_NAMES: readonly CheckName[] = [
  'format',
  'algorithm',
  'signature',
  'issuer',
  'tenant',
  'audience',
  'lifetime',
  'scope',
  'client',
];

const PRIORITY = new Map(REASON_CODES.map((code, index) => [code, index]));

export function reasonPriority(code: ReasonCode): number {
  return PRIORITY.get(code) ?? REASON_CODES.length;
}
