import { randomUUID } from 'node:crypto';

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { inspect } from '../inspect/inspect.js';
import { authorizationServer, mcpResourceUrl, metadataUrl, resourceMetadata } from '../mcp/resource-metadata.js';
import { configErrorResponse } from './config-error.js';
import { type McpDeps, observe } from './mcp.js';

/**
 * The OAuth paths beside the MCP endpoint: {prefix}/.well-known/{*path} and {prefix}/mcp/{*path}.
 * `oauth-protected-resource` (alone, or followed by /mcp or /api/mcp) answers the RFC 9728 document
 * (src/mcp/resource-metadata.ts says why it lives inside the route prefix). Anything else a client
 * tries here (authorization-server metadata, OpenID configuration, dynamic client registration) is
 * answered 404 with an explanation, and recorded: token-echo is a resource server, Entra ID is the
 * authorization server, and Entra ID has no dynamic client registration (RFC 7591). App Service's
 * guide says so: "Some providers support DCR, but many, including Microsoft Entra ID, don't"
 * (learn.microsoft.com/azure/app-service/configure-authentication-mcp, "MCP client considerations");
 * in Copilot Studio the route is OAuth 2.0 "Manual" with an app registration of your own.
 */
const METADATA_PATH = /^oauth-protected-resource(?:\/api)?(?:\/mcp)?\/?$/i;

export async function discoveryHandler(request: HttpRequest, context: InvocationContext, deps: McpDeps): Promise<HttpResponseInit> {
  const { runtime } = deps;
  if (!runtime.ok) return configErrorResponse(runtime.error);
  const report = await inspect({ method: request.method, url: request.url, headers: request.headers.entries(), bodySize: 0 }, runtime.settings, runtime.keys, { now: new Date(), id: randomUUID() });
  const resource = mcpResourceUrl(request.url);
  const wellKnown = request.params['wellKnown'];
  let status: number;
  let body: Record<string, unknown>;
  let cache = 'no-store';
  if (wellKnown !== undefined && METADATA_PATH.test(wellKnown) && request.method === 'GET') {
    status = 200;
    body = resourceMetadata(resource, runtime.settings);
    // Settings change only with a restart; clients may keep the document a few minutes.
    cache = 'public, max-age=300';
  } else {
    status = 404;
    body = explanation(wellKnown ?? `mcp/${request.params['rest'] ?? ''}`, resource, runtime.settings);
  }
  await observe(context, deps, report, { endpoint: 'discovery', method: null, tool: null, protocolVersion: request.headers.get('mcp-protocol-version')?.slice(0, 40) ?? null, status, errorCode: null });
  return {
    status,
    // RFC 9728 §3.2: the metadata is application/json; browser-based clients read it cross-origin.
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': cache, 'access-control-allow-origin': '*', 'x-token-echo-report-id': report.id },
    body: `${JSON.stringify(body, null, 2)}\n`,
  };
}

function explanation(path: string, resource: string, settings: Parameters<typeof authorizationServer>[0]): Record<string, unknown> {
  const issuer = authorizationServer(settings);
  const registration = /regist/i.test(path);
  const asMetadata = /oauth-authorization-server|openid-configuration/i.test(path);
  const message = registration
    ? 'token-echo has no client registration endpoint, and neither has Microsoft Entra ID: it does not support OAuth dynamic client registration (RFC 7591). Register a client app in Entra ID yourself and give its client ID and secret to the MCP client; in Copilot Studio choose OAuth 2.0 "Manual" when adding the MCP server or custom connector.'
    : asMetadata
      ? `token-echo is the protected resource, not the authorization server. The authorization server is Microsoft Entra ID${issuer ? `: its metadata is at ${issuer}/.well-known/openid-configuration` : ' (set TOKEN_ECHO_TENANT_ID to name it)'}. Entra ID offers no dynamic client registration: in Copilot Studio choose OAuth 2.0 "Manual".`
      : `Nothing here. The MCP endpoint is ${resource}; its protected resource metadata is ${metadataUrl(resource)}.`;
  return { error: 'not_found', message, mcpEndpoint: resource, resourceMetadata: metadataUrl(resource), ...(issuer ? { authorizationServer: issuer } : {}) };
}
