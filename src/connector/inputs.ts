import { type Env, GUID, isGuid } from '../config.js';

/**
 * What the connector definition needs, from flags or falling back to the settings:
 * TOKEN_ECHO_CLIENT_IDS' first entry is the connector app, TOKEN_ECHO_AUDIENCES' first api:// entry
 * the resource, TOKEN_ECHO_SCOPES' first entry the scope.
 */
export interface ConnectorInputs {
  /** The function app's host name, e.g. contoso-echo.azurewebsites.net (no scheme, no path). */
  host: string;
  /** The connector app registration's client ID. */
  clientId: string;
  /** The API's App ID URI (the Resource URL), e.g. api://<API client ID>. */
  resourceUri: string;
  /** A delegated scope of the API, as a full scope (api://…/access_as_user), or null. */
  scope: string | null;
  tenant: string;
  /** Authority origin: the login URI of the connection. */
  authority: string;
  onBehalfOf: boolean;
  /** `GlobalPerConnector` (what Microsoft requires for certification since 2023) or `Global`. */
  redirectMode: 'GlobalPerConnector' | 'Global';
}

export interface ConnectorFlags {
  redirectMode?: string | undefined;
  host?: string | undefined;
  clientId?: string | undefined;
  resource?: string | undefined;
  scope?: string | undefined;
  tenant?: string | undefined;
  authority?: string | undefined;
  obo?: boolean | undefined;
}

export class ConnectorInputError extends Error {
  override name = 'ConnectorInputError';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

// The custom-connector schema's host pattern (no scheme, path, braces or spaces), narrowed to DNS names.
const HOST = /^(?=.{1,253}(?::\d+)?$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?$/i;

const list = (value: string | undefined): string[] => (value ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');

export function connectorInputs(flags: ConnectorFlags, env: Env): ConnectorInputs {
  const problems: string[] = [];
  const host = flags.host?.trim() ?? '';
  if (host === '') problems.push('the function app host name is missing: --host <app>.azurewebsites.net');
  else if (!HOST.test(host)) problems.push(`host ${JSON.stringify(host)} is not a host name: give it without scheme, path or spaces, e.g. contoso-echo.azurewebsites.net`);

  const clientId = (flags.clientId ?? list(env['TOKEN_ECHO_CLIENT_IDS'])[0] ?? '').trim();
  if (clientId === '') problems.push('the connector app\'s client ID is missing: --client-id <GUID> or TOKEN_ECHO_CLIENT_IDS');
  else if (!isGuid(clientId)) problems.push(`client ID ${JSON.stringify(clientId)} is not a GUID`);

  const resourceUri = (flags.resource ?? list(env['TOKEN_ECHO_AUDIENCES']).find((a) => a.startsWith('api://')) ?? '').trim();
  if (resourceUri === '') problems.push('the API\'s App ID URI is missing: --resource api://<API client ID> or an api:// entry in TOKEN_ECHO_AUDIENCES');
  else if (!/^(api|https):\/\/[^\s/?#]+(\/[^\s?#]*)?$/i.test(resourceUri) && !isGuid(resourceUri)) {
    problems.push(`resource ${JSON.stringify(resourceUri)} is not an App ID URI (api://… or https://…) or a client ID`);
  }

  const scopeRaw = (flags.scope ?? list(env['TOKEN_ECHO_SCOPES'])[0] ?? '').trim();
  let scope: string | null = null;
  if (scopeRaw !== '') {
    if (/\s/.test(scopeRaw)) problems.push(`scope ${JSON.stringify(scopeRaw)} contains a space`);
    // A bare scope name is one of the resource's: api://<API>/access_as_user.
    scope = /^[a-z]+:\/\//i.test(scopeRaw) ? scopeRaw : `${resourceUri.replace(/\/+$/, '')}/${scopeRaw}`;
  }

  const tenant = (flags.tenant ?? env['TOKEN_ECHO_TENANT_ID'] ?? '').trim() || 'common';
  if (!GUID.test(tenant) && !/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(tenant) && !['common', 'organizations'].includes(tenant)) {
    problems.push(`tenant ${JSON.stringify(tenant)} is not a tenant GUID, a domain, "common" or "organizations"`);
  }
  const authorityRaw = (flags.authority ?? env['TOKEN_ECHO_AUTHORITY'] ?? '').trim() || 'https://login.microsoftonline.com';
  let authority = 'https://login.microsoftonline.com';
  try {
    const url = new URL(authorityRaw);
    if (url.protocol !== 'https:' || url.pathname.length > 1) throw new Error('not an https origin');
    authority = url.origin;
  } catch {
    problems.push(`authority ${JSON.stringify(authorityRaw)} is not an https URL such as https://login.microsoftonline.com`);
  }
  const redirect = (flags.redirectMode ?? 'per-connector').toLowerCase();
  if (redirect !== 'per-connector' && redirect !== 'global') problems.push(`redirect mode ${JSON.stringify(flags.redirectMode)} is not per-connector or global`);
  if (problems.length > 0) throw new ConnectorInputError(problems);
  return {
    host: host.toLowerCase(),
    clientId: clientId.toLowerCase(),
    resourceUri,
    scope,
    tenant,
    authority,
    onBehalfOf: flags.obo ?? true,
    redirectMode: redirect === 'global' ? 'Global' : 'GlobalPerConnector',
  };
}
