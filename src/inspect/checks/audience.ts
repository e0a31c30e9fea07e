import type { Settings } from '../../config.js';
import { show } from '../../report/format.js';
import { reason } from '../../report/report.js';
import { audienceMatch, audiencesOf, isApiHubAudience, isGraphAudience, nearMiss } from '../audience.js';
import { describeAudience, describeClient } from '../../report/microsoft-apps.js';
import { type Findings, str } from '../findings.js';

/**
 * The audience, as Microsoft.IdentityModel's Validators.ValidateAudience with its defaults: some token
 * audience (blank ones skipped) equals a configured one, forgiving one trailing slash on either side
 * (IgnoreTrailingSlashWhenValidatingAudience). A match by the slash is said as a warning: exact-match
 * validators (jose's jwtVerify, jsonwebtoken, API Management's validate-jwt) would refuse the same token.
 * Before that, the audiences that name someone else's API (the connector runtime, Microsoft Graph).
 */
export function checkAudience(claims: Record<string, unknown>, header: Record<string, unknown>, settings: Settings, f: Findings): void {
  const auds = audiencesOf(claims['aud']);
  const found = auds.length === 0 ? 'no aud' : auds.join(', ');
  const configured = settings.audiences;
  const expected = configured.length > 0 ? configured.join(' or ') : 'your API\'s App ID URI or client ID';
  const apiHub = auds.find(isApiHubAudience);
  const graph = auds.find(isGraphAudience);
  if (apiHub !== undefined) {
    f.fail('audience', reason('APIHUB_TOKEN', `the token's aud is ${show(apiHub)}: the first-hop token for the connector runtime, not a token for your API.`), { expected, found });
  } else if (graph !== undefined) {
    f.fail('audience', reason('GRAPH_TOKEN', `the token's aud is ${show(graph)}: a Microsoft Graph token, which only Graph can validate.`), { expected, found });
  }
  if ('nonce' in header && graph === undefined) {
    f.add(reason('GRAPH_TOKEN', 'the token\'s header carries a "nonce": the mark of a Microsoft Graph token, signed over a hashed nonce that only Graph can validate.'));
  }
  if (configured.length === 0) {
    if (!f.checks.has('audience')) {
      const any = auds.some((a) => a.trim() !== '');
      f.set('audience', any ? 'skip' : 'fail', { expected, found, detail: 'TOKEN_ECHO_AUDIENCES is not set: any audience is accepted' });
      if (!any) f.fail('audience', reason('AUDIENCE_MISMATCH', 'the token has no aud claim (IDX10206).'), { expected, found });
    }
    return;
  }
  let bySlash: [string, string] | null = null;
  for (const a of auds) {
    for (const c of configured) {
      const match = audienceMatch(a, c);
      if (match === 'exact') {
        f.set('audience', 'pass', { expected, found });
        return;
      }
      if (match === 'trailing_slash') bySlash ??= [a, c];
    }
  }
  if (bySlash !== null) {
    const [a, c] = bySlash;
    f.add(
      reason(
        'AUDIENCE_TRAILING_SLASH',
        `the token's aud ${show(a)} matches ${show(c)} only once a trailing slash is ignored: Microsoft.IdentityModel accepts it (IgnoreTrailingSlashWhenValidatingAudience), exact-match validators (jose, jsonwebtoken, API Management validate-jwt) refuse it.`,
        `Make the connector's Resource URL and your API's accepted audience the same string, both with or both without the final "/" (today ${show(a)} and ${show(c)}).`,
      ),
    );
    f.set('audience', 'pass', { expected, found, detail: 'matched ignoring one trailing slash, as Microsoft.IdentityModel does' });
    return;
  }
  if (auds.length === 0 || auds.every((a) => a.trim() === '')) {
    f.fail('audience', reason('AUDIENCE_MISMATCH', `the token has ${auds.length === 0 ? 'no aud claim' : 'only blank audiences'} (IDX10206).`), { expected, found });
    return;
  }
  const misses = auds.flatMap((a) => configured.map((c) => nearMiss(a, c))).filter((m): m is string => m !== null);
  const near = misses[0];
  const microsoft = near ? undefined : microsoftAudience(auds);
  const message = near
    ? `the token's aud ${show(found)} is not accepted: ${near}.`
    : `the token's aud ${show(found)} is none of the configured audiences (${configured.join(', ')}), IDX10214${microsoft !== undefined ? `: it is ${microsoft}` : ''}.${callingApp(claims)}`;
  const fix = near
    ? `Add ${show(auds[0])} to TOKEN_ECHO_AUDIENCES (an API accepts both its App ID URI and its client ID), or set the connector's Resource URL to exactly ${show(configured[0])}.`
    : microsoft !== undefined
      ? `The connection asks Entra for a Microsoft service's token, not your API's: set the connector's Resource URL (Security tab) to your API's App ID URI or client ID (${show(configured[0])}), save, and create a new connection.`
      : undefined;
  f.fail('audience', reason('AUDIENCE_MISMATCH', message, fix), { expected, found, ...(near ? { detail: near } : {}) });
}

/** "a Dataverse token for org contoso (...)": the first audience that is a Microsoft service (src/report/microsoft-apps.ts), if any. */
function microsoftAudience(auds: readonly string[]): string | undefined {
  for (const aud of auds) {
    const known = describeAudience(aud);
    if (known !== null) return `${/^[AEIOU]/.test(known.audience.name) ? 'an' : 'a'} ${known.audience.name} token${known.organisation !== undefined ? ` for org ${known.organisation}` : ''} (${known.audience.note})`;
  }
  return undefined;
}

/** " The calling app is Microsoft Azure CLI (...)." when the token's client is a well-known Microsoft app, else "". */
export function callingApp(claims: Record<string, unknown>): string {
  const client = str(claims['azp']) ?? str(claims['appid']);
  const known = client === null ? null : describeClient(client);
  return known === null ? '' : ` The calling app is ${known.name} (${known.note})`;
}
