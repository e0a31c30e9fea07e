import { type Settings, isGuid } from '../../config.js';
import { show } from '../../report/format.js';
import { reason } from '../../report/report.js';
import { type Findings, str } from '../findings.js';
import type { MetadataResult } from '../key-source.js';
import { V1_ISS, V2_ISS } from './issuer.js';

const GUID_IN = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

/**
 * The tenant: `tid` as Microsoft.IdentityModel's signing-key issuer validation reads it (Microsoft.Identity.Web
 * always validates with v2 keys, which carry an issuer): exactly one `tid` claim, names compared ignoring case
 * (IDX40011), present (IDX40009), and contained in `iss` exactly as written, ordinal (IDX40004).
 * Source: AadTokenValidationParametersExtension.GetTid / ValidateIssuerSigningKey; AadTokenValidationParametersExtensionTests.
 * Then Microsoft's guidance: `tid` a GUID equal to the GUID in `iss` (access-tokens "Validate the issuer"),
 * and the configured tenant.
 */
export function checkTenant(claims: Record<string, unknown>, settings: Settings, metadata: MetadataResult | null, f: Findings): void {
  const tidNames = Object.keys(claims).filter((name) => name.toLowerCase() === 'tid');
  const tid = str(claims['tid']);
  const iss = str(claims['iss']) ?? '';
  const issTenant = (V1_ISS.exec(iss) ?? V2_ISS.exec(iss))?.[1]?.toLowerCase() ?? null;
  // The tenant the configuration trusts: the configured GUID, or the GUID in a domain tenant's metadata issuer.
  let expectedTenant: string | null = null;
  if (settings.tenant !== null && isGuid(settings.tenant)) expectedTenant = settings.tenant;
  else if (metadata?.ok) expectedTenant = GUID_IN.exec(metadata.metadata.issuer)?.[1]?.toLowerCase() ?? null;
  const expected = expectedTenant ?? (settings.tenant === null ? 'a GUID equal to the tenant in iss' : `the tenant of ${settings.tenant}`);

  if (tidNames.length > 1) {
    f.fail('tenant', reason('TENANT_MISMATCH', `the token carries ${tidNames.length} tenant claims whose names differ only in case (${tidNames.map((n) => show(n)).join(', ')}), IDX40011: which one is the tenant is ambiguous.`), {
      expected: 'exactly one tid claim',
      found: tidNames.join(', '),
    });
    return;
  }
  if (tid === null || !isGuid(tid)) {
    const raw = claims['tid'];
    // .NET reads tid as a string (TryGetPayloadValue<string>): another JSON type counts as missing (IDX40009).
    const why = tid !== null ? `${show(tid)} is not a GUID` : raw === undefined ? 'is missing (IDX40009)' : `${show(raw)} is not a string, so it counts as missing (IDX40009)`;
    f.fail('tenant', reason('TENANT_MISMATCH', `the token's tid ${why}; Entra access tokens always carry the tenant GUID.`), {
      expected,
      found: tid === null ? (claims['tid'] === undefined ? 'no tid' : show(claims['tid'])) : show(tid),
    });
    return;
  }
  if (iss !== '' && !iss.includes(tid)) {
    const onlyCase = iss.toLowerCase().includes(tid.toLowerCase());
    f.fail(
      'tenant',
      reason('TENANT_MISMATCH', `the token's iss ${show(iss)} does not contain its tid ${show(tid)} as written (IDX40004, an exact comparison)${onlyCase ? ': they differ only in letter case' : issTenant !== null ? `: iss names tenant ${issTenant}` : ''}.`),
      { expected: `tid contained in iss${issTenant !== null ? ` (${issTenant})` : ''}`, found: tid },
    );
    return;
  }
  if (issTenant !== null && issTenant !== tid.toLowerCase()) {
    f.fail('tenant', reason('TENANT_MISMATCH', `the token's tid ${tid} differs from the tenant in its iss (${issTenant}).`), { expected: `tid equal to the tenant in iss (${issTenant})`, found: tid });
    return;
  }
  if (expectedTenant !== null && tid.toLowerCase() !== expectedTenant) {
    f.fail('tenant', reason('TENANT_MISMATCH', `the token is from tenant ${tid}, not the configured tenant ${expectedTenant}: the user signed in to another directory.${guestHint(claims, expectedTenant)}`), {
      expected: expectedTenant,
      found: tid,
    });
    return;
  }
  if (settings.tenant === null) f.set('tenant', 'pass', { expected, found: tid, detail: 'no tenant configured: only checked that tid is a GUID matching iss' });
  else if (expectedTenant === null) f.set('tenant', 'skip', { expected, found: tid, detail: 'the tenant GUID behind the configured domain is unknown until its metadata can be fetched' });
  else f.set('tenant', 'pass', { expected, found: tid });
}

/**
 * Why a user lands in another tenant. A connector's Tenant ID defaults to `common`
 * (shared/reference/power-platform-connectors.md §1.1): Entra then signs each user in to their home
 * tenant, so a guest of the API's tenant brings a home-tenant token. `idp` names the home tenant's
 * issuer of a guest signed in to a resource tenant (learn.microsoft.com/entra/identity-platform/access-token-claims-reference, "idp").
 */
function guestHint(claims: Record<string, unknown>, expectedTenant: string): string {
  const iss = str(claims['iss']) ?? '';
  const idp = str(claims['idp']);
  const idpTenant = idp === null ? null : (GUID_IN.exec(idp)?.[1]?.toLowerCase() ?? null);
  const guest = idp !== null && idpTenant !== null && !iss.toLowerCase().includes(idpTenant) ? ` Its idp ${show(idp)} shows the user is a guest whose home is tenant ${idpTenant}.` : '';
  return `${guest} If the user is a guest of your tenant (${expectedTenant}), the connector's Tenant ID is probably "common", which signs guests in to their home tenant (iss ${show(iss)}): set Tenant ID to your tenant's GUID and recreate the connection.`;
}
