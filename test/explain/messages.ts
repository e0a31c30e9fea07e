/**
 * Real-shaped AADSTS messages, one sentence per catalogued code as Entra prints it (IDs invented),
 * and the three places a maker copies one from: the sign-in page's troubleshooting details, the token
 * endpoint's JSON error (reference-error-codes, "Handling error codes in your application"), and a
 * flow action's output when the connection's token could not be refreshed.
 */
export const IDS = {
  app: '3f6c2a1e-8d4b-4c2a-9e1f-0a1b2c3d4e5f',
  api: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  tenant: '72f988bf-0000-4000-8000-00000000cafe',
  trace: '0b3c4d5e-6f70-4a81-92b3-c4d5e6f70812',
  correlation: '1a2b3c4d-5e6f-4789-8abc-def012345678',
};
export const PER_CONNECTOR_REDIRECT = 'https://global.consent.azure-apim.net/redirect/contoso-20echo-5f1a2b3c4d5e6f7a8b';

export interface Sample {
  code: number;
  /** The OAuth error Entra pairs with it. */
  error: string;
  sentence: string;
  /** What the explainer must pull out of the sentence. */
  expect: { appId?: string; redirectUri?: string; resource?: string; tenant?: string };
}

export const SAMPLES: Sample[] = [
  {
    code: 50011,
    error: 'invalid_request',
    sentence: `AADSTS50011: The redirect URI '${PER_CONNECTOR_REDIRECT}' specified in the request does not match the redirect URIs configured for the application '${IDS.app}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
    expect: { appId: IDS.app, redirectUri: PER_CONNECTOR_REDIRECT },
  },
  {
    code: 65001,
    error: 'invalid_grant',
    sentence: `AADSTS65001: The user or administrator has not consented to use the application with ID '${IDS.app}' named 'Contoso Echo connector'. Send an interactive authorization request for this user and resource.`,
    expect: { appId: IDS.app },
  },
  {
    code: 500011,
    error: 'invalid_resource',
    sentence: `AADSTS500011: The resource principal named api://${IDS.api} was not found in the tenant named Contoso. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    expect: { resource: `api://${IDS.api}`, tenant: 'Contoso' },
  },
  {
    code: 7000218,
    error: 'invalid_client',
    sentence: "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    expect: {},
  },
  {
    code: 70021,
    error: 'invalid_request',
    sentence:
      "AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: 'https://login.microsoftonline.com/72f988bf-0000-4000-8000-00000000cafe/v2.0'. Assertion Subject: '/eid1/c/pub/t/v4-AAAA/a/BBBB/cr/contoso-20echo'. Assertion Audience: 'api://AzureADTokenExchange'.",
    expect: {},
  },
  {
    code: 90009,
    error: 'invalid_request',
    sentence: `AADSTS90009: Application '${IDS.app}'(Contoso Echo) is requesting a token for itself. This scenario is supported only if resource is specified using the GUID based App Identifier.`,
    expect: { appId: IDS.app },
  },
  {
    code: 9010010,
    error: 'invalid_target',
    sentence: "AADSTS9010010: The resource parameter provided in the request doesn't match with the requested scopes.",
    expect: {},
  },
  {
    code: 50020,
    error: 'invalid_request',
    sentence: `AADSTS50020: User account 'ana@fabrikam.example' from identity provider 'https://sts.windows.net/${IDS.tenant}/' does not exist in tenant 'Contoso' and cannot access the application '${IDS.app}'(Contoso Echo connector) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.`,
    expect: { appId: IDS.app, tenant: 'Contoso' },
  },
  {
    code: 50076,
    error: 'interaction_required',
    sentence: `AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${IDS.api}'.`,
    expect: { resource: IDS.api },
  },
  {
    code: 50079,
    error: 'interaction_required',
    sentence: "AADSTS50079: Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access 'https://service.flow.microsoft.com/'.",
    expect: { resource: 'https://service.flow.microsoft.com/' },
  },
  {
    code: 53003,
    error: 'invalid_grant',
    sentence: 'AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
    expect: {},
  },
  {
    code: 700016,
    error: 'unauthorized_client',
    sentence: `AADSTS700016: Application with identifier '${IDS.app}' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    expect: { appId: IDS.app, tenant: 'Contoso' },
  },
  {
    code: 7000215,
    error: 'invalid_client',
    sentence: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${IDS.app}'.`,
    expect: { appId: IDS.app },
  },
  {
    code: 65004,
    error: 'access_denied',
    sentence: 'AADSTS65004: User declined to consent to access the app.',
    expect: {},
  },
  {
    code: 90094,
    error: 'invalid_grant',
    sentence: 'AADSTS90094: The grant requires admin permission.',
    expect: {},
  },
  {
    code: 7000222,
    error: 'invalid_client',
    sentence: `AADSTS7000222: The provided client secret keys for app '${IDS.app}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
    expect: { appId: IDS.app },
  },
  {
    code: 70011,
    error: 'invalid_scope',
    sentence: `AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope api://${IDS.api}/access_as_user https://graph.microsoft.com/User.Read is not valid.`,
    expect: {},
  },
  {
    code: 50013,
    error: 'invalid_grant',
    sentence: `AADSTS50013: Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was 'api://${IDS.api}' and the expected audience is '${IDS.app}' or one of the Application Uris of this application with App ID '${IDS.app}'(Contoso Echo connector).`,
    expect: { appId: IDS.app },
  },
  {
    code: 50105,
    error: 'invalid_grant',
    sentence: `AADSTS50105: Your administrator has configured the application Contoso Echo connector ('${IDS.app}') to block users unless they are specifically granted ('assigned') access to the application. The signed in user 'ana@contoso.example' is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator. Please contact your administrator to assign access to this application.`,
    expect: { appId: IDS.app },
  },
  {
    code: 650057,
    error: 'invalid_client',
    sentence: `AADSTS650057: Invalid resource. The client has requested access to a resource which is not listed in the requested permissions in the client's application registration. Client app ID: ${IDS.app}(Contoso Echo connector). Resource value from request: api://${IDS.api}. Resource app ID: ${IDS.api}. List of valid resources from app registration: 00000003-0000-0000-c000-000000000000.`,
    expect: { appId: IDS.app, resource: `api://${IDS.api}` },
  },
];

/** The sign-in page (login.microsoftonline.com) as a person selects and copies it. */
export function signInPage(sentence: string): string {
  return [
    'Sign in',
    "Sorry, but we're having trouble signing you in.",
    '',
    sentence,
    '',
    'Troubleshooting details',
    'If you contact your administrator, send this info to them.',
    'Copy info to clipboard',
    `Request Id: ${IDS.trace}`,
    `Correlation Id: ${IDS.correlation}`,
    'Timestamp: 2026-12-05T07:01:02.345Z',
    `Message: ${sentence}`,
    '',
    'Advanced diagnostics: Disable',
    'If you plan on getting support for an issue, turn this on and try to reproduce the error.',
  ].join('\n');
}

/** The token endpoint's error body (RFC 6749 section 5.2 plus Entra's fields), as JSON.stringify writes it. */
export function tokenEndpointBody(sample: Sample): string {
  return JSON.stringify({
    error: sample.error,
    error_description: `${sample.sentence}\r\nTrace ID: ${IDS.trace}\r\nCorrelation ID: ${IDS.correlation}\r\nTimestamp: 2026-12-05 07:01:02Z`,
    error_codes: [sample.code],
    timestamp: '2026-12-05 07:01:02Z',
    trace_id: IDS.trace,
    correlation_id: IDS.correlation,
    error_uri: `https://login.microsoftonline.com/error?code=${sample.code}`,
  });
}

/** A flow action's output after the connection's token refresh failed (the Entra text nested, escaped). */
export function flowActionOutput(sentence: string): string {
  const inner = `Failed to refresh access token for service: aad. Correlation Id=g-${IDS.correlation}, UTC TimeStamp=12/5/2026 7:01:02 AM, Error: ${sentence}\r\nTrace ID: ${IDS.trace}\r\nCorrelation ID: ${IDS.correlation}\r\nTimestamp: 2026-12-05 07:01:02Z`;
  return JSON.stringify({ statusCode: 401, headers: { 'x-ms-apihub-obo': 'true' }, body: { status: 401, error: { message: inner }, source: 'europe-002.azure-apim.net' } }, null, 2);
}
