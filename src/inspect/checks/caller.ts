import { isGuid } from '../../config.js';
import { show } from '../../report/format.js';
import { describeClient } from '../../report/microsoft-apps.js';
import { reason } from '../../report/report.js';
import { type Findings, str } from '../findings.js';

/**
 * The caller's identity as the connector runtime states it in headers, against the token's. Facts
 * (shared/reference/power-platform-connectors.md §2.2A, Copilot Studio captures): Copilot Studio sends
 * `x-ms-client-object-id` and `x-ms-client-principal-id` (the same value: the user's object ID in the
 * Power Platform tenant), `x-ms-client-tenant-id` (that tenant), `x-ms-client-app-id`,
 * `x-ms-entra-agent-id`, and `x-ms-client-principal-name` (the user's UPN) only with OAuth. None of this
 * is documented by Microsoft (§2.1): the headers are hints, not proof, since any caller can send them.
 *
 * App Service Easy Auth (§2.1, learn.microsoft.com/azure/app-service/configure-authentication-user-identities)
 * owns the names `X-MS-CLIENT-PRINCIPAL*` when it is on: it sets them from the identity it validated,
 * with the base64 JSON principal in `X-MS-CLIENT-PRINCIPAL`, and strips them from outside requests.
 * So the principal headers come from Easy Auth when that JSON is present, and from the caller otherwise.
 *
 * Diagnostics only: warnings and notes, never errors, since Microsoft.Identity.Web reads none of these
 * headers; absent headers say nothing.
 */
export interface CallerHeaders {
  objectId: string | null;
  /** `x-ms-client-object-id`, or the principal ID when only that came. */
  objectIdHeader: string | null;
  principalName: string | null;
  tenantId: string | null;
  appId: string | null;
  agentId: string | null;
  /** Who set `x-ms-client-principal-*`: App Service Easy Auth (its JSON principal came) or the caller. */
  principalSource: 'easy-auth' | 'caller' | null;
}

const HINT = 'these headers are hints from the connector runtime, not proof (any caller can send them)';
const EASY_AUTH = 'set by App Service Easy Auth from the identity it validated (it strips these headers from outside requests)';

/** The caller headers of a call; null when none came. */
export function callerHeaders(headers: ReadonlyMap<string, string>): CallerHeaders | null {
  const get = (name: string): string | null => {
    const value = headers.get(name)?.trim();
    return value === undefined || value === '' ? null : value;
  };
  const principalId = get('x-ms-client-principal-id');
  const principalName = get('x-ms-client-principal-name');
  const objectId = get('x-ms-client-object-id');
  const tenantId = get('x-ms-client-tenant-id');
  const appId = get('x-ms-client-app-id');
  const agentId = get('x-ms-entra-agent-id');
  const easyAuth = isEasyAuthPrincipal(headers.get('x-ms-client-principal'));
  const anyPrincipal = principalId !== null || principalName !== null || headers.has('x-ms-client-principal');
  if (objectId === null && !anyPrincipal && tenantId === null && appId === null && agentId === null) return null;
  // With Easy Auth on, its principal ID is the validated user: the stronger statement of the two.
  const usePrincipal = principalId !== null && (easyAuth || objectId === null);
  return {
    objectId: usePrincipal ? principalId : objectId,
    objectIdHeader: usePrincipal ? 'x-ms-client-principal-id' : objectId !== null ? 'x-ms-client-object-id' : null,
    principalName,
    tenantId,
    appId,
    agentId,
    principalSource: anyPrincipal ? (easyAuth ? 'easy-auth' : 'caller') : null,
  };
}

/**
 * Easy Auth's principal: base64 of a JSON object with `auth_typ` and `claims` (configure-authentication-user-identities,
 * "Decoding the client principal header"). Only its shape is read; its value is never shown (redaction treats it as a secret).
 */
export function isEasyAuthPrincipal(value: string | undefined): boolean {
  if (value === undefined || value.length > 16_384 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(value.trim())) return false;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value.trim(), 'base64').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && ('auth_typ' in parsed || 'claims' in parsed);
  } catch {
    return false;
  }
}

const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

function appName(appId: string): string {
  const known = describeClient(appId);
  return known === null ? show(appId) : `${show(appId)} (${known.name})`;
}

/** Compares the caller headers with the token's `oid`, `upn`/`preferred_username`, `tid` and client. */
export function checkCaller(claims: Record<string, unknown>, client: string | null, headers: ReadonlyMap<string, string>, f: Findings): void {
  const caller = callerHeaders(headers);
  if (caller === null) return;
  const oid = str(claims['oid']);
  const tid = str(claims['tid']);
  const userName = str(claims['upn']) ?? str(claims['preferred_username']) ?? str(claims['unique_name']);
  // Whether a statement came from Easy Auth (a principal header while its JSON principal is present) or from the caller.
  const source = (principalHeader: boolean): string => (principalHeader && caller.principalSource === 'easy-auth' ? EASY_AUTH : HINT);

  // The Power Platform tenant first: a user of another tenant has another object ID there (§3.2, CS capture without auth).
  const otherTenant = caller.tenantId !== null && tid !== null && isGuid(caller.tenantId) && !same(caller.tenantId, tid);
  if (otherTenant) {
    f.add(
      reason(
        'CALLER_TENANT_MISMATCH',
        `x-ms-client-tenant-id says the call came from tenant ${caller.tenantId}, but the token is from tenant ${show(tid)} (${HINT}). The connection signed in with an account of another directory (a guest's home tenant, or another tenant's account), so its object ID differs too.`,
      ),
    );
  }
  if (!otherTenant && oid !== null && caller.objectId !== null && !same(caller.objectId, oid)) {
    const agent = caller.agentId !== null && same(caller.agentId, oid) ? ' The token\'s oid is the agent\'s own identity (x-ms-entra-agent-id): the agent called with its identity, not the user\'s.' : '';
    f.add(
      reason(
        'CALLER_NOT_TOKEN_USER',
        `${caller.objectIdHeader} says the caller is user ${show(caller.objectId)}, but the token is for user ${show(oid)}${userName !== null ? ` (${show(userName)})` : ''} (${source(caller.objectIdHeader === 'x-ms-client-principal-id')}): the call was made with someone else's connection, usually the maker's credentials shared with every user.${agent}`,
      ),
    );
  } else if (!otherTenant && caller.objectId === null && caller.principalName !== null && userName !== null && !same(caller.principalName, userName)) {
    f.add(
      reason(
        'CALLER_NOT_TOKEN_USER',
        `x-ms-client-principal-name says the caller is ${show(caller.principalName)}, but the token is for ${show(userName)} (${source(true)}): the call was made with someone else's connection, usually the maker's credentials.`,
      ),
    );
  }
  if (caller.appId !== null && client !== null && !same(caller.appId, client)) {
    f.add(
      reason(
        'CALLER_APP_NOT_TOKEN_CLIENT',
        `x-ms-client-app-id names app ${appName(caller.appId)}, but the token was issued to ${appName(client)} (${HINT}). With on-behalf-of login the token's client is the connector's app, so a Power Platform app in the header is expected; another app there means the token was obtained by a different client than the one calling.`,
      ),
    );
  }
}
