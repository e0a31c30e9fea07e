/**
 * Microsoft's own audiences and first-party client apps, as data: what a token's `aud` or a caller's
 * app ID is when it is not the maker's own. Every entry names the page (or Microsoft repository file)
 * it was checked against; test/report/microsoft-apps.test.ts fails when one lacks a source or an ID is
 * not a GUID. Pure data and two lookups: nothing here fetches, and nothing of the project is imported.
 */

/** Sources cited by more than one entry (Microsoft Learn pages; the repository file in parentheses). */
export const SOURCES = {
  /** "Commonly used Microsoft first-party services and portal apps" (MicrosoftDocs/power-platform power-platform/admin/apps-to-allow.md). */
  powerPlatformApps: 'https://learn.microsoft.com/power-platform/admin/apps-to-allow',
  /** "Verify first-party Microsoft applications in sign-in reports" (MicrosoftDocs/SupportArticles-docs support/entra/entra-id/governance/verify-first-party-apps-sign-in.md). */
  firstPartySignIns: 'https://learn.microsoft.com/troubleshoot/entra/entra-id/governance/verify-first-party-apps-sign-in',
  /** Power Automate guidance "Prevent data exfiltration", table of the audiences a Conditional Access policy should cover (MicrosoftDocs/power-automate-docs). */
  powerAutomateAudiences: 'https://learn.microsoft.com/power-automate/guidance/coding-guidelines/prevent-data-exfiltration',
  /** "Add and manage connections": the Azure API Connections service principal and the authorized-client step (MicrosoftDocs/powerapps-docs add-manage-connections.md). */
  addManageConnections: 'https://learn.microsoft.com/power-apps/maker/canvas-apps/add-manage-connections',
  /** Power Platform API authentication: the API's app ID and its `https://api.powerplatform.com` resource. */
  powerPlatformApiAuth: 'https://learn.microsoft.com/power-platform/admin/programmability-authentication-v2',
} as const;

export interface MicrosoftClient {
  /** Application (client) ID, a GUID in lower case. */
  appId: string;
  name: string;
  /** What it means to see this app as the caller of a connector's API. */
  note: string;
  source: string;
}

export interface MicrosoftAudience {
  /** A stable key, e.g. `dataverse`. */
  key: string;
  name: string;
  /** Exact `aud` values (compared without a trailing slash, case-insensitively). */
  uris: string[];
  /** Host patterns for audiences that carry an organisation name (Dataverse). */
  pattern?: RegExp;
  /** The resource's application ID, also seen as `aud` in v2 tokens. */
  appId?: string;
  note: string;
  source: string;
}

export const MICROSOFT_CLIENTS: readonly MicrosoftClient[] = [
  {
    appId: 'fe053c5f-3692-4f14-aef2-ee34fc081cae',
    name: 'Azure API Connections',
    note: 'Power Platform\'s connector runtime; it is the client that must be an authorized client application of the connector app for on-behalf-of login.',
    source: SOURCES.addManageConnections,
  },
  { appId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46', name: 'Microsoft Azure CLI', note: 'A token from `az account get-access-token`, not from a connector.', source: SOURCES.firstPartySignIns },
  { appId: '1950a258-227b-4e31-a9cf-717495945fc2', name: 'Microsoft Azure PowerShell', note: 'A token from Azure PowerShell (Get-AzAccessToken), not from a connector.', source: SOURCES.firstPartySignIns },
  { appId: 'de8bc8b5-d9f9-48b1-a8ad-b748da725064', name: 'Graph Explorer', note: 'A token copied from Graph Explorer: it is for Microsoft Graph, not for your API.', source: SOURCES.firstPartySignIns },
  { appId: '14d82eec-204b-4c2f-b7e8-296a70dab67e', name: 'Microsoft Graph Command Line Tools', note: 'A token from the Microsoft Graph PowerShell SDK (Connect-MgGraph).', source: SOURCES.firstPartySignIns },
  { appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', name: 'Azure Portal', note: 'A token the Azure portal obtained for itself.', source: SOURCES.firstPartySignIns },
  { appId: '7df0a125-d3be-4c96-aa54-591f83ff541c', name: 'Microsoft Flow Service', note: 'Power Automate\'s service (the flow runtime).', source: SOURCES.powerPlatformApps },
  { appId: '6204c1d1-4712-4c46-a7d9-3ed63d992682', name: 'Microsoft Flow Portal', note: 'The Power Automate maker portal.', source: SOURCES.powerPlatformApps },
  { appId: '57fcbcfa-7cee-4eb1-8b25-12d2030b4ee0', name: 'Microsoft Flow', note: 'Power Automate (Microsoft Flow) client app.', source: SOURCES.powerPlatformApps },
  { appId: '4e291c71-d680-4d0e-9640-0a3358e31177', name: 'Power Apps', note: 'The Power Apps client app.', source: SOURCES.powerPlatformApps },
  { appId: 'a8f7a65c-f5ba-4859-b2d6-df772c264e9d', name: 'make.powerapps.com', note: 'The Power Apps maker portal.', source: SOURCES.powerPlatformApps },
  { appId: '3e62f81e-590b-425b-9531-cad6683656cf', name: 'PowerApps - apps.powerapps.com', note: 'The Power Apps player.', source: SOURCES.powerPlatformApps },
  { appId: '9cee029c-6210-4654-90bb-17e6e9d36617', name: 'Power Platform CLI - pac', note: 'A token from the Power Platform CLI (pac).', source: SOURCES.powerPlatformApps },
  { appId: '48af08dc-f6d2-435f-b2a7-069abd99c086', name: 'Connectors', note: 'A Power Platform connectors first-party app.', source: SOURCES.powerPlatformApps },
  { appId: '065d9450-1e87-434e-ac2f-69af271549ed', name: 'PowerPlatformAdminCenter', note: 'The Power Platform admin center.', source: SOURCES.powerPlatformApps },
  {
    appId: '9d8f559b-5984-46a4-902a-ad4271e83efa',
    name: 'Power Virtual Agents Service (Microsoft Copilot Studio)',
    note: 'Copilot Studio\'s service (Power Virtual Agents is its former name).',
    source: 'https://learn.microsoft.com/entra/identity/monitoring-health/reference-service-principal-table',
  },
  { appId: '04f0c124-f2bc-4f59-8241-bf6df9866bbd', name: 'Visual Studio', note: 'A token from Visual Studio.', source: SOURCES.powerPlatformApps },
  { appId: 'aebc6443-996d-45c2-90f0-388ff96faa56', name: 'Visual Studio Code', note: 'A token from Visual Studio Code.', source: SOURCES.powerPlatformApps },
  { appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', name: 'Microsoft Office', note: 'An Office client app.', source: SOURCES.firstPartySignIns },
  { appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', name: 'Microsoft Teams', note: 'The Teams client app.', source: SOURCES.firstPartySignIns },
];

export const MICROSOFT_AUDIENCES: readonly MicrosoftAudience[] = [
  {
    key: 'dataverse',
    name: 'Dataverse',
    uris: [],
    // Environment URLs are https://<org>.crm<region digits>.dynamics.com (the Power Automate guidance
    // names "https://{your-org}.crm.dynamics.com/"; regional hosts carry a number, e.g. crm4), and the
    // Web API host https://<org>.api.crm.dynamics.com (learn.microsoft.com/power-apps/developer/data-platform/webapi/web-api-types-operations).
    // Public cloud only: sovereign-cloud hosts are not recognised.
    pattern: /^https:\/\/([a-z0-9-]+)\.(?:api\.)?crm\d*\.dynamics\.com$/i,
    appId: '00000007-0000-0000-c000-000000000000',
    note: 'A Dataverse token: the connection is to Dataverse, not to your API.',
    source: SOURCES.powerAutomateAudiences,
  },
  {
    key: 'power-platform-api',
    name: 'Power Platform API',
    uris: ['https://api.powerplatform.com'],
    appId: '8578e004-a5c6-46e7-913e-12f58912df43',
    note: 'A Power Platform API token (admin and management API), not one for your API.',
    source: SOURCES.powerPlatformApiAuth,
  },
  {
    key: 'flow-service',
    name: 'Power Automate (flow service)',
    uris: ['https://service.flow.microsoft.com'],
    appId: '7df0a125-d3be-4c96-aa54-591f83ff541c',
    note: 'A token for the Power Automate service itself.',
    source: SOURCES.powerAutomateAudiences,
  },
  {
    key: 'power-apps-service',
    name: 'Power Apps service',
    uris: ['https://service.powerapps.com'],
    note: 'A token for the Power Apps service itself.',
    source: SOURCES.powerAutomateAudiences,
  },
  {
    key: 'apihub',
    name: 'Power Platform connections (API Hub)',
    uris: ['https://apihub.azure.com'],
    note: 'The token Power Platform clients send to the connector runtime, the first hop: not for your API.',
    source: SOURCES.powerAutomateAudiences,
  },
  {
    key: 'azure-resource-manager',
    name: 'Azure Resource Manager',
    uris: ['https://management.azure.com', 'https://management.core.windows.net'],
    appId: '797f4846-ba00-4fd7-ba43-dac1f8f63013',
    note: 'An Azure Resource Manager (Windows Azure Service Management API) token, e.g. from `az account get-access-token`.',
    source: SOURCES.firstPartySignIns,
  },
  {
    key: 'key-vault',
    name: 'Azure Key Vault',
    uris: ['https://vault.azure.net'],
    appId: 'cfa8b339-82a2-471a-a3c9-0fc0be7a4093',
    note: 'A Key Vault data-plane token.',
    source: 'https://learn.microsoft.com/azure/key-vault/secrets/overview-storage-keys',
  },
  {
    key: 'storage',
    name: 'Azure Storage',
    uris: ['https://storage.azure.com'],
    appId: 'e406a681-f3d4-42a8-90b6-c2b029497af1',
    note: 'An Azure Storage data-plane token.',
    source: 'https://learn.microsoft.com/fabric/workload-development-kit/quickstart-sample',
  },
  {
    key: 'graph',
    name: 'Microsoft Graph',
    uris: ['https://graph.microsoft.com'],
    appId: '00000003-0000-0000-c000-000000000000',
    note: 'A Microsoft Graph token: only Graph can validate it.',
    source: SOURCES.firstPartySignIns,
  },
];

export interface AudienceDescription {
  audience: MicrosoftAudience;
  /** The organisation name for audiences that carry one (Dataverse's `<org>`). */
  organisation?: string;
  /** One line for a person: "a Dataverse token for org contoso". */
  summary: string;
}

const trimSlash = (value: string): string => value.replace(/\/+$/, '');

/** The Microsoft audience an `aud` (or a Resource URL) names, or null for anything else (the maker's own API). */
export function describeAudience(aud: string): AudienceDescription | null {
  const value = trimSlash(aud.trim()).toLowerCase();
  if (value === '') return null;
  for (const audience of MICROSOFT_AUDIENCES) {
    if (audience.appId === value || audience.uris.some((u) => u.toLowerCase() === value)) {
      return { audience, summary: `${audience.name} (${audience.note})` };
    }
    const org = audience.pattern?.exec(value)?.[1];
    if (org !== undefined) return { audience, organisation: org, summary: `${audience.name} for org ${org} (${audience.note})` };
  }
  return null;
}

/** The Microsoft first-party app a client ID (`azp`/`appid`, or an app ID in an error) is, or null. */
export function describeClient(appId: string): MicrosoftClient | null {
  const value = appId.trim().toLowerCase();
  return MICROSOFT_CLIENTS.find((c) => c.appId === value) ?? MICROSOFT_AUDIENCES.flatMap(resourceAsClient).find((c) => c.appId === value) ?? null;
}

/** A resource's own app ID can appear where a client is expected (AADSTS65001 names the app in a consent). */
function resourceAsClient(audience: MicrosoftAudience): MicrosoftClient[] {
  return audience.appId === undefined ? [] : [{ appId: audience.appId, name: audience.name, note: audience.note, source: audience.source }];
}
