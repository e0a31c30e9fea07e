import { describe, expect, test } from 'vitest';

import { MICROSOFT_AUDIENCES, MICROSOFT_CLIENTS, describeAudience, describeClient } from '../../src/report/microsoft-apps.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A Microsoft Learn page or a file or thread in a Microsoft-owned GitHub repository. */
const MICROSOFT_SOURCE = /^https:\/\/(learn\.microsoft\.com\/|github\.com\/(microsoft|MicrosoftDocs|Azure|AzureAD)\/)/;

describe('the dictionaries are data with sources', () => {
  test.each(MICROSOFT_CLIENTS.map((c) => [c.name, c] as const))('client %s: a GUID, a note and a Microsoft source', (_name, client) => {
    expect(client.appId).toMatch(GUID);
    expect(client.source).toMatch(MICROSOFT_SOURCE);
    expect(client.note.length).toBeGreaterThan(10);
  });

  test.each(MICROSOFT_AUDIENCES.map((a) => [a.name, a] as const))('audience %s: URIs or a pattern, a GUID when it has an app ID, a Microsoft source', (_name, audience) => {
    expect(audience.uris.length > 0 || audience.pattern !== undefined).toBe(true);
    for (const uri of audience.uris) expect(uri).toMatch(/^https:\/\/[^/]+$/);
    if (audience.appId !== undefined) expect(audience.appId).toMatch(GUID);
    expect(audience.source).toMatch(MICROSOFT_SOURCE);
  });

  test('no app ID is listed twice with different meanings', () => {
    const ids = MICROSOFT_CLIENTS.map((c) => c.appId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('the entries the issue names are there', () => {
    for (const id of ['fe053c5f-3692-4f14-aef2-ee34fc081cae', '04b07795-8ddb-461a-bbee-02f9e1bf7b46', '1950a258-227b-4e31-a9cf-717495945fc2', 'de8bc8b5-d9f9-48b1-a8ad-b748da725064', '9d8f559b-5984-46a4-902a-ad4271e83efa']) {
      expect(describeClient(id), id).not.toBeNull();
    }
    for (const key of ['dataverse', 'power-platform-api', 'flow-service', 'azure-resource-manager', 'key-vault', 'storage', 'graph', 'apihub']) {
      expect(MICROSOFT_AUDIENCES.some((a) => a.key === key), key).toBe(true);
    }
  });
});

describe('describeAudience', () => {
  test.each([
    ['https://contoso.crm.dynamics.com', 'Dataverse', 'contoso'],
    ['https://contoso-dev.crm4.dynamics.com/', 'Dataverse', 'contoso-dev'],
    ['https://org1.api.crm11.dynamics.com', 'Dataverse', 'org1'],
    ['00000007-0000-0000-c000-000000000000', 'Dataverse', undefined],
    ['https://api.powerplatform.com', 'Power Platform API', undefined],
    ['https://service.flow.microsoft.com/', 'Power Automate (flow service)', undefined],
    ['https://management.azure.com/', 'Azure Resource Manager', undefined],
    ['https://management.core.windows.net/', 'Azure Resource Manager', undefined],
    ['https://vault.azure.net', 'Azure Key Vault', undefined],
    ['https://storage.azure.com/', 'Azure Storage', undefined],
    ['https://graph.microsoft.com', 'Microsoft Graph', undefined],
    ['00000003-0000-0000-c000-000000000000', 'Microsoft Graph', undefined],
    ['HTTPS://APIHUB.AZURE.COM', 'Power Platform connections (API Hub)', undefined],
  ])('%s is %s', (aud, name, org) => {
    const d = describeAudience(aud);
    expect(d?.audience.name).toBe(name);
    expect(d?.organisation).toBe(org);
    expect(d?.summary).toContain(name);
  });

  test.each(['api://3f6c2a1e-8d4b-4c2a-9e1f-0a1b2c3d4e5f', '3f6c2a1e-8d4b-4c2a-9e1f-0a1b2c3d4e5f', 'https://contoso.crm.dynamics.com.evil.example', 'https://evil.example/?https://graph.microsoft.com', '', ' '])(
    '%j is not Microsoft\'s',
    (aud) => {
      expect(describeAudience(aud)).toBeNull();
    },
  );
});

describe('describeClient', () => {
  test('matches case-insensitively and knows resources named as apps', () => {
    expect(describeClient('FE053C5F-3692-4F14-AEF2-EE34FC081CAE')?.name).toBe('Azure API Connections');
    expect(describeClient(' 04b07795-8ddb-461a-bbee-02f9e1bf7b46 ')?.name).toBe('Microsoft Azure CLI');
    expect(describeClient('8578e004-a5c6-46e7-913e-12f58912df43')?.name).toBe('Power Platform API');
    expect(describeClient('3f6c2a1e-8d4b-4c2a-9e1f-0a1b2c3d4e5f')).toBeNull();
  });
});
