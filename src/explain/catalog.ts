/**
 * The AADSTS catalogue: for each Entra sign-in error a maker meets around a Power Platform custom
 * connector, Entra's own name for it, what it means, the connector-specific cause and the fix.
 * Every entry cites Microsoft's error-code reference and the page for its situation; the text is ours.
 * Pure data (plus, per entry, a pure function of what was extracted from the pasted message).
 */

/** What the explainer pulled out of a pasted message; the catalogue's hints read it. */
export interface ExtractedFacts {
  appId?: string;
  redirectUri?: string;
  resource?: string;
  tenant?: string;
}

export interface CatalogEntry {
  code: number;
  /** Entra's name for the error on the reference page (e.g. InvalidReplyTo). */
  name: string;
  /** One line: what happened. */
  title: string;
  /** Why it happens around a custom connector (Power Automate, Power Apps, Copilot Studio). */
  cause: string;
  fix: string;
  /** Microsoft Learn pages or Microsoft repository files; the first is the error-code reference when the code is listed there. */
  sources: string[];
  /** Extra lines for this very message, from what it named. */
  hints?: (facts: ExtractedFacts) => string[];
}

/** Microsoft Entra authentication and authorization error codes (MicrosoftDocs/entra-docs docs/identity-platform/reference-error-codes.md). */
export const ERROR_CODES_REFERENCE = 'https://learn.microsoft.com/entra/identity-platform/reference-error-codes';
const ADD_MANAGE_CONNECTIONS = 'https://learn.microsoft.com/power-apps/maker/canvas-apps/add-manage-connections';
const COPILOT_STUDIO_OBO = 'https://learn.microsoft.com/microsoft-copilot-studio/advanced-custom-connector-on-behalf-of';
const MCP_OBO_README = 'https://github.com/microsoft/mcp/blob/main/servers/Azure.Mcp.Server/azd-templates/aca-copilot-studio-obo/README.md';
const PACONN_README = 'https://github.com/microsoft/PowerPlatformConnectors/blob/dev/tools/paconn-cli/README.md';
const FLOW_CONDITIONAL_ACCESS = 'https://learn.microsoft.com/troubleshoot/power-platform/power-automate/administration/conditional-access-and-multi-factor-authentication-in-flow';

/** The connector runtime's redirect URL before per-connector redirect URLs (PowerPlatformConnectors READMEs). */
export const GLOBAL_REDIRECT_URL = 'https://global.consent.azure-apim.net/redirect';

const ENTRIES: CatalogEntry[] = [
  {
    code: 50011,
    name: 'InvalidReplyTo',
    title: 'The redirect URI the sign-in sent is not registered on the connector\'s app registration.',
    cause:
      'Custom connectors with OAuth 2.0 now use a per-connector redirect URL (https://global.consent.azure-apim.net/redirect/<connector name>), generated only once the connector is saved; an app registration that still lists only the global https://global.consent.azure-apim.net/redirect, or a connector switched to "Update to unique redirect URL" after the app was registered, fails here.',
    fix: 'Copy the Redirect URL from the connector\'s Security tab (after saving) and add it, exactly, under Authentication > Web > Redirect URIs of the app registration whose Client ID the Security tab uses. Then create the connection again.',
    sources: [
      ERROR_CODES_REFERENCE,
      'https://learn.microsoft.com/troubleshoot/azure/active-directory/error-code-aadsts50011-reply-url-mismatch',
      'https://learn.microsoft.com/connectors/custom-connectors/certification-submission',
    ],
    hints: ({ redirectUri }) => {
      if (redirectUri === undefined) return ['The message did not name the redirect URI; the Security tab shows the one the connector sends.'];
      const trimmed = redirectUri.replace(/\/+$/, '');
      if (trimmed.toLowerCase() === GLOBAL_REDIRECT_URL) return [`${redirectUri} is the global redirect URL: the connector still uses it. Register it, or save the connector with "Update to unique redirect URL" and register the per-connector URL it then shows.`];
      const name = /^https:\/\/global\.consent\.azure-apim\.net\/redirect\/([^/?#]+)/i.exec(trimmed)?.[1];
      if (name !== undefined) return [`${redirectUri} is the per-connector redirect URL of connector "${name}": register exactly this URL as a Web redirect URI.`];
      return [`Register ${redirectUri} exactly (scheme, host, path and trailing slash) as a Web redirect URI.`];
    },
  },
  {
    code: 65001,
    name: 'DelegationDoesNotExist',
    title: 'Nobody has consented to the app using the permission it asked for.',
    cause:
      'With "Enable on-behalf-of login", Power Platform obtains the user\'s token through Azure API Connections (fe053c5f-3692-4f14-aef2-ee34fc081cae): without that app being an authorized client of the connector app, or without admin consent for the connector app\'s permissions, the maker (who consented once) gets through and colleagues do not.',
    fix: 'On the connector app registration: Expose an API > Add a client application > fe053c5f-3692-4f14-aef2-ee34fc081cae for its scope; on API permissions, Grant admin consent for the API\'s scope. Make sure the Azure API Connections service principal exists in the tenant. Then reconnect.',
    sources: [ERROR_CODES_REFERENCE, ADD_MANAGE_CONNECTIONS, COPILOT_STUDIO_OBO],
  },
  {
    code: 500011,
    name: 'InvalidResourceServicePrincipalNotFound',
    title: 'The resource the token was requested for does not exist in the signing-in tenant.',
    cause:
      'The connector\'s Resource URL does not match any API in that tenant: a typo, an App ID URI that differs from "Application ID URI" on the API\'s Expose an API page, or an API app registered in another tenant with no service principal in the user\'s tenant.',
    fix: 'Set the Resource URL to the API\'s Application ID URI exactly (or its client ID). For an API registered in another tenant, create its service principal in the user\'s tenant (az ad sp create --id <API client ID>) and consent to it.',
    sources: [ERROR_CODES_REFERENCE, MCP_OBO_README],
    hints: ({ resource }) =>
      resource === undefined ? [] : [`The resource Entra looked for: ${resource}. Compare it character by character with the API's Application ID URI (a trailing slash counts).`],
  },
  {
    code: 7000218,
    name: 'MissingClientCredential',
    title: 'The token request carried no client secret or client assertion.',
    cause:
      'The connector redeemed the sign-in code without a credential: the client secret was never saved on the Security tab (a connector imported with paconn needs --secret), it was cleared when the connector was edited, or "Use managed identity" was chosen without a federated credential; or the app registration is set to a public client.',
    fix: 'Enter the connector app\'s client secret (its Value) on the Security tab, or with managed identity add the federated credential the tab shows (Issuer and Subject identifier) to the connector app. Update the connector and create the connection again.',
    sources: [ERROR_CODES_REFERENCE, PACONN_README, MCP_OBO_README],
  },
  {
    code: 70021,
    name: 'NoMatchingFederatedIdentityRecord',
    title: 'No federated credential on the app matches the assertion (issuer, subject, audience).',
    cause:
      'The connector is set to "Use managed identity": it presents a token whose issuer and subject must match a federated credential on the connector app; the credential is missing, was created with another subject than the one the Security tab shows, or has an audience other than api://AzureADTokenExchange.',
    fix: 'Copy the Issuer and Subject identifier from the connector\'s Security tab and add a federated credential ("Other issuer") with exactly those values and audience api://AzureADTokenExchange to the connector app registration.',
    sources: ['https://learn.microsoft.com/entra/workload-id/workload-identity-federation-create-trust', MCP_OBO_README],
  },
  {
    code: 90009,
    name: 'TokenForItselfMissingIdenticalAppIdentifier',
    title: 'The app asked for a token for itself by its App ID URI.',
    cause:
      'One app registration is both the connector\'s client (Client ID) and the API (Resource URL api://<same id>): Entra only allows an app to get a token for itself when the resource is its GUID.',
    fix: 'Register a separate client app for the connector (its own Client ID and secret, with permission to the API\'s scope), or set the Resource URL to the API app\'s client ID GUID.',
    sources: [ERROR_CODES_REFERENCE, COPILOT_STUDIO_OBO],
    hints: ({ appId, resource }) =>
      appId !== undefined && resource !== undefined && resource.toLowerCase().includes(appId.toLowerCase())
        ? [`The client ${appId} asked for ${resource}: the same app on both ends.`]
        : [],
  },
  {
    code: 9010010,
    name: 'ResourceDoesNotMatchScopes',
    title: 'The sign-in sent a resource parameter that names another API than its scopes.',
    cause:
      'The v2.0 endpoint received both resource (RFC 8707) and scope, for different resources: an MCP or generic OAuth client that takes "resource" from the server\'s protected resource metadata (RFC 9728) while the scopes belong to another App ID URI.',
    fix: 'Make the resource and every scope name the same API: in the protected resource metadata, "resource" must be the App ID URI whose scopes are listed (api://<id> with api://<id>/access_as_user); on the connector, put that API\'s scope in Scope.',
    sources: ['https://learn.microsoft.com/entra/identity-platform/scopes-oidc', 'https://github.com/microsoft/azure-devops-mcp/issues/1601'],
  },
  {
    code: 50020,
    name: 'UserUnauthorized',
    title: 'The user\'s account is not in the tenant the sign-in went to.',
    cause:
      'The connector signs in to one tenant (its Tenant ID, or the app\'s home tenant for a single-tenant app) and the user comes from another: a guest not invited, or a colleague from another tenant. Custom connectors do not support users from several tenants.',
    fix: 'Invite the user as a guest (B2B) of the tenant, or use a connector per tenant. With Tenant ID "common", make the app registration accept accounts in any organisational directory, then consent in the user\'s tenant.',
    sources: [ERROR_CODES_REFERENCE, 'https://learn.microsoft.com/troubleshoot/azure/active-directory/error-code-aadsts50020-user-account-identity-provider-does-not-exist', MCP_OBO_README],
  },
  {
    code: 50076,
    name: 'UserStrongAuthClientAuthNRequired',
    title: 'Multifactor authentication is required for this resource.',
    cause:
      'A Conditional Access policy (or per-user MFA) requires MFA for the API, Power Platform or the connection service, and the connection\'s token was obtained without it: the connection fails until someone signs in again interactively.',
    fix: 'Open the connection in Power Automate or Power Apps, sign in again and complete MFA; for flows that must run unattended, ask the admin how the Conditional Access policy should treat the connection service.',
    sources: [ERROR_CODES_REFERENCE, FLOW_CONDITIONAL_ACCESS],
  },
  {
    code: 50079,
    name: 'UserStrongAuthEnrollmentRequired',
    title: 'The user must register for multifactor authentication first.',
    cause: 'A policy requires MFA and the user has not registered any MFA method (or a federated user\'s identity provider did not send the MFA claim).',
    fix: 'Have the user register an MFA method (My Sign-Ins > Security info), then sign in to the connection again.',
    sources: [ERROR_CODES_REFERENCE, FLOW_CONDITIONAL_ACCESS],
  },
  {
    code: 53003,
    name: 'BlockedByConditionalAccess',
    title: 'A Conditional Access policy blocked the sign-in.',
    cause:
      'A policy on the API, on Power Platform (https://apihub.azure.com, https://service.flow.microsoft.com/) or on all cloud apps does not allow this sign-in, through conditions such as location, device state or client app.',
    fix: 'Give the admin the correlation ID and timestamp: the sign-in log names the policy. The policy must allow the connection service and the API for the users of the connector.',
    sources: [ERROR_CODES_REFERENCE, 'https://learn.microsoft.com/entra/identity/conditional-access/troubleshoot-conditional-access', 'https://learn.microsoft.com/power-automate/guidance/coding-guidelines/prevent-data-exfiltration'],
  },
  {
    code: 700016,
    name: 'UnauthorizedClient_DoesNotMatchRequest',
    title: 'The Client ID is not an app in the tenant the sign-in went to.',
    cause:
      'The Security tab\'s Client ID is wrong (a typo, the secret ID or the object ID pasted instead of the Application (client) ID, a deleted app), or Tenant ID points to a tenant where a single-tenant app does not exist.',
    fix: 'Copy the Application (client) ID from the connector app\'s Overview page into Client ID, and set Tenant ID to the tenant that holds the app (or make the app multitenant); update the connector.',
    sources: [ERROR_CODES_REFERENCE, MCP_OBO_README],
    hints: ({ appId, tenant }) => (appId === undefined ? [] : [`Entra looked for the app ${appId}${tenant === undefined ? '' : ` in ${tenant}`}.`]),
  },
  {
    code: 7000215,
    name: 'InvalidClientSecret',
    title: 'The client secret is wrong.',
    cause: 'The Security tab holds the secret\'s ID instead of its Value, a secret of another app, or a secret that was rotated since.',
    fix: 'Create a new client secret on the connector app, copy its Value (shown once), paste it into the Security tab and update the connector. Expired secrets give AADSTS7000222 instead.',
    sources: [ERROR_CODES_REFERENCE, PACONN_README],
  },
  {
    code: 65004,
    name: 'UserDeclinedConsent',
    title: 'The user declined the consent prompt.',
    cause: 'The person creating the connection (or answering Copilot Studio\'s consent card) chose Cancel on the permissions prompt.',
    fix: 'Sign in again and accept, or have an admin grant tenant-wide consent for the connector app so users are not asked.',
    sources: [ERROR_CODES_REFERENCE, ADD_MANAGE_CONNECTIONS],
  },
  {
    code: 90094,
    name: 'AdminConsentRequired',
    title: 'Only an administrator can consent to what the app asks for.',
    cause: 'The connector app requests permissions that need admin consent, or the tenant does not let users consent to apps.',
    fix: 'An admin opens the connector app registration > API permissions > Grant admin consent (or approves the admin consent request); then the user reconnects.',
    sources: [ERROR_CODES_REFERENCE, 'https://learn.microsoft.com/entra/identity/enterprise-apps/configure-user-consent', ADD_MANAGE_CONNECTIONS],
  },
  {
    code: 7000222,
    name: 'InvalidClientSecretExpiredKeysProvided',
    title: 'The client secret has expired.',
    cause: 'The secret saved on the connector\'s Security tab reached its expiry date; every connection of the connector fails to get a token from then on.',
    fix: 'Create a new client secret on the connector app, paste its Value into the Security tab and update the connector; existing connections then work again. Note the new expiry date.',
    sources: [ERROR_CODES_REFERENCE, PACONN_README],
  },
  {
    code: 70011,
    name: 'InvalidScope',
    title: 'A scope the sign-in asked for is not valid.',
    cause: 'The connector\'s Scope field names a scope the API does not expose (a typo, a scope of another App ID URI, a bare name without the API\'s prefix where the v2 endpoint needs one), or mixes scopes of several APIs.',
    fix: 'Copy the scope from the API app registration > Expose an API (e.g. api://<API client ID>/access_as_user) into Scope, one API only; then create the connection again.',
    sources: [ERROR_CODES_REFERENCE, 'https://learn.microsoft.com/entra/identity-platform/scopes-oidc'],
  },
  {
    code: 50013,
    name: 'InvalidAssertion',
    title: 'The assertion (the token being exchanged, or the client assertion) is not valid here.',
    cause:
      'A token exchanged on-behalf-of must have the exchanging app as its audience (the OBO flow\'s rule), and must be unexpired and well formed. Around a connector with "Enable on-behalf-of login" this points at a mismatch between the Client ID on the Security tab and the app the first token was requested for.',
    fix: 'Compare the audience the message names with the connector app\'s client ID and Application ID URIs; the Security tab\'s Client ID must be the app that pre-authorizes Azure API Connections. Then create the connection again.',
    sources: [ERROR_CODES_REFERENCE, 'https://learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow', ADD_MANAGE_CONNECTIONS],
  },
  {
    code: 50105,
    name: 'EntitlementGrantsNotFound',
    title: 'The user is not assigned to the app, and the app requires assignment.',
    cause:
      '"Assignment required" is on for the connector app (or the API) in Enterprise applications: the maker, assigned, gets through; colleagues who are not assigned, directly or through a group, are blocked.',
    fix: 'Assign the users or a group to the app under Enterprise applications > Users and groups, or set "Assignment required?" to No if every user of the tenant may use it.',
    sources: [ERROR_CODES_REFERENCE, 'https://learn.microsoft.com/troubleshoot/azure/active-directory/error-code-aadsts50105-user-not-assigned-role'],
  },
  {
    code: 650057,
    name: 'InvalidResource',
    title: 'The app asked for a resource that is not among its API permissions.',
    cause: 'The connector app\'s API permissions do not include the API named in the Resource URL (or Scope), so Entra will not issue a token for it to that client.',
    fix: 'On the connector app registration > API permissions > Add a permission > My APIs, add the API\'s scope (e.g. access_as_user), grant admin consent, then create the connection again.',
    sources: [ERROR_CODES_REFERENCE, 'https://learn.microsoft.com/troubleshoot/azure/active-directory/error-code-aadsts650056-misconfigured-app'],
    hints: ({ resource }) => (resource === undefined ? [] : [`The resource missing from the app's API permissions: ${resource}.`]),
  },
];

export const CATALOGUE: ReadonlyMap<number, CatalogEntry> = new Map(ENTRIES.map((e) => [e.code, e]));

export function catalogueEntry(code: number): CatalogEntry | null {
  return CATALOGUE.get(code) ?? null;
}
