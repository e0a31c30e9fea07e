import type { Settings } from '../config.js';
import type { Report } from '../report/report.js';

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) for the MCP endpoint, and the strict-mode
 * challenge that points to it. MCP 2025-06-18 and 2025-11-25 basic/authorization.mdx ("Authorization
 * Server Location"): MCP servers MUST implement RFC 9728, the document MUST list at least one
 * authorization server, and a 401 names the document in WWW-Authenticate `resource_metadata`
 * (RFC 9728 §5.1), with a `scope` parameter (RFC 6750 §3) when the scopes are known.
 *
 * Where it is served: Azure Functions puts every function under host.json's routePrefix (`api`),
 * so the RFC 9728 §3.1 well-known URI of https://host/api/mcp,
 * https://host/.well-known/oauth-protected-resource/api/mcp, and the root
 * https://host/.well-known/oauth-protected-resource are out of a function's reach. The document is
 * therefore served inside the prefix, at {prefix}/.well-known/oauth-protected-resource (and the
 * same with /mcp or /api/mcp appended), and the challenge names it: "MCP clients MUST ... use the
 * resource metadata URL from the parsed WWW-Authenticate headers when present" (2025-11-25
 * authorization.mdx, "Protected Resource Metadata Discovery Requirements"), which the official SDK
 * client does (client/auth.ts `extractWWWAuthenticateParams`, then `discoverOAuthProtectedResourceMetadata`
 * with `resourceMetadataUrl`). Microsoft's guide does the same: advertise the metadata URL in
 * WWW-Authenticate (learn.microsoft.com/entra/agent-id/secure-mcp-server-with-entra-id).
 */
export const METADATA_SEGMENT = '.well-known/oauth-protected-resource';

/** The MCP endpoint's URL (the RFC 9728 `resource`), from the URL of a request to it or beside it. */
export function mcpResourceUrl(requestUrl: string): string {
  const url = new URL(requestUrl);
  const path = url.pathname;
  const wellKnown = path.toLowerCase().indexOf('/.well-known/');
  const mcp = path.toLowerCase().search(/\/mcp(?:\/|$)/);
  // /api/.well-known/... → /api/mcp; /api/mcp/anything → /api/mcp; /api/mcp → /api/mcp.
  const base = wellKnown >= 0 ? path.slice(0, wellKnown) : mcp >= 0 ? path.slice(0, mcp) : path.replace(/\/[^/]*$/, '');
  return `${url.origin}${base}/mcp`;
}

/** The metadata document's URL for an MCP endpoint URL: the prefix's own .well-known (see above). */
export function metadataUrl(resource: string): string {
  return `${resource.replace(/\/mcp$/, '')}/${METADATA_SEGMENT}`;
}

/**
 * Scopes as a client must request them from Entra ID: fully qualified with the API's App ID URI
 * (`api://<client id>/access_as_user`). A scope in TOKEN_ECHO_SCOPES is short (`access_as_user`,
 * as it appears in `scp`); the first App ID URI in TOKEN_ECHO_AUDIENCES qualifies it, or, with a
 * client ID only, `api://<client id>` (Entra's default App ID URI). A scope already holding "://"
 * is kept. With no audience, the short name is all there is.
 */
export function qualifiedScopes(settings: Pick<Settings, 'scopes' | 'audiences'>): string[] {
  const appIdUri = settings.audiences.find((a) => a.includes('://')) ?? (settings.audiences[0] ? `api://${settings.audiences[0]}` : null);
  return settings.scopes.map((s) => (s.includes('://') || appIdUri === null ? s : `${appIdUri.replace(/\/$/, '')}/${s}`));
}

/**
 * The tenant's v2.0 issuer, which is also its authorization server identifier: Entra ID serves
 * `{issuer}/.well-known/openid-configuration` (OIDC Discovery, the third URL the MCP client tries
 * for an issuer with a path: 2025-11-25 authorization.mdx "Authorization Server Metadata Discovery").
 */
export function authorizationServer(settings: Pick<Settings, 'authority' | 'tenant'>): string | null {
  return settings.tenant === null ? null : `${settings.authority}/${settings.tenant}/v2.0`;
}

/** RFC 9728 §2 metadata: `resource` (REQUIRED), `authorization_servers`, `scopes_supported`, `bearer_methods_supported`. */
export function resourceMetadata(resource: string, settings: Settings): Record<string, unknown> {
  const server = authorizationServer(settings);
  const scopes = qualifiedScopes(settings);
  return {
    resource,
    ...(server === null ? {} : { authorization_servers: [server] }),
    ...(scopes.length > 0 ? { scopes_supported: scopes } : {}),
    // RFC 6750 §2.1 only: a token in the query or a form body is refused by Microsoft's validators too.
    bearer_methods_supported: ['header'],
    resource_name: 'token-echo',
  };
}

/**
 * The strict-mode challenge: RFC 9728 §5.1 `resource_metadata`, RFC 6750 §3 `error` (none when no
 * token was sent, §3.1) and `scope`. Quoted values keep to RFC 6750's allowed characters.
 */
export function mcpChallenge(report: Report, resource: string, settings: Settings): string {
  const parts = [`Bearer resource_metadata="${metadataUrl(resource)}"`];
  if (report.verdict !== 'no_token') {
    const description = report.summary.replace(/[^\x20-\x7e]/g, '?').replace(/["\\]/g, "'").slice(0, 300);
    parts.push('error="invalid_token"', `error_description="${description}"`);
  }
  const scopes = qualifiedScopes(settings).filter((s) => /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s));
  if (scopes.length > 0) parts.push(`scope="${scopes.join(' ')}"`);
  return parts.join(', ');
}
