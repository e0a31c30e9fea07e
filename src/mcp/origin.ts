/**
 * DNS-rebinding protection for the MCP endpoint. MCP 2025-11-25 basic/transports.mdx, "Security
 * Warning": servers MUST validate the Origin header on all incoming connections, and answer 403 to
 * an invalid one; basic/security_best_practices.mdx ("Local MCP Server Compromise") and the SDK's
 * advisory GHSA-w48q-cv73-mx4w add the Host header for servers on localhost, which is what the
 * conformance scenario `dns-rebinding-protection` checks (Host and Origin evil.example.com → 4xx,
 * localhost → 2xx).
 *
 * - An Origin, when sent (browsers send it; Copilot Studio, the connector runtime and the SDK's Node
 *   client do not), must be the request's own origin, or a loopback origin calling a loopback host
 *   (a local tool such as the MCP Inspector).
 * - Off Azure (`token-echo serve`, Core Tools), the Host must be a loopback name: a rebound name
 *   (evil.example.com resolving to 127.0.0.1) is refused. On Azure the front end routes only the
 *   app's bound host names to it, so the Host is not checked there (custom domains stay usable).
 *   A local token-echo reached through a tunnel therefore refuses MCP calls (docs/mcp.md).
 */
export interface HostPolicy {
  /** True on Azure App Service / Functions, which set WEBSITE_SITE_NAME and WEBSITE_INSTANCE_ID (Kudu wiki, "Azure runtime environment"). */
  inAzure: boolean;
}

/** The policy from the environment: pure, so tests give it their own. */
export function hostPolicy(env: Readonly<Record<string, string | undefined>>): HostPolicy {
  return { inAzure: (env['WEBSITE_INSTANCE_ID'] ?? '') !== '' || (env['WEBSITE_SITE_NAME'] ?? '') !== '' };
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h === '[::1]' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/** The last answer, for the next request from the same Host and Origin (a client repeats them). */
let last: { host: string | null; origin: string | null; policy: HostPolicy; refusal: string | null } | undefined;

/** Null when the request may go on; else why it is refused (for the 403's JSON-RPC error). */
export function rebindingRefusal(host: string | null, origin: string | null, policy: HostPolicy): string | null {
  if (last && last.host === host && last.origin === origin && last.policy === policy) return last.refusal;
  const refusal = decide(host, origin, policy);
  last = { host, origin, policy, refusal };
  return refusal;
}

function decide(host: string | null, origin: string | null, policy: HostPolicy): string | null {
  const hostname = host === null ? null : hostnameOf(host);
  if (!policy.inAzure && (hostname === null || !isLoopbackHost(hostname))) {
    return `Forbidden: Host ${JSON.stringify(host ?? '')} is not a loopback name; a local MCP server answers only localhost, 127.0.0.1 or [::1] (DNS-rebinding protection).`;
  }
  if (origin === null) return null;
  let originUrl: URL;
  try {
    originUrl = new URL(origin);
  } catch {
    return `Forbidden: Origin ${JSON.stringify(origin.slice(0, 100))} is not an origin (DNS-rebinding protection).`;
  }
  if (host !== null && originUrl.host.toLowerCase() === host.toLowerCase()) return null;
  if (hostname !== null && isLoopbackHost(hostname) && isLoopbackHost(originUrl.hostname)) return null;
  return `Forbidden: Origin ${JSON.stringify(origin.slice(0, 100))} is not this server's origin (DNS-rebinding protection).`;
}

function hostnameOf(host: string): string | null {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return null;
  }
}
