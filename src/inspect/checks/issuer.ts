import { show } from '../../report/format.js';
import { reason } from '../../report/report.js';
import type { TokenVersion } from '../../report/report.js';
import { type Findings, str } from '../findings.js';
import type { MetadataResult, SigningKey } from '../key-source.js';

export const V1_ISS = /^https:\/\/sts\.[^/]+\/([0-9a-f-]{36})\/$/i;
export const V2_ISS = /^https?:\/\/[^/]+\/([0-9a-f-]{36})\/v2\.0$/i;

/**
 * The issuer, as Microsoft.Identity.Web validates it:
 * - AadIssuerValidator: the metadata of the version the shape of `iss` names (issuerVersion) gives the
 *   issuer, a template whose `{tenantid}` becomes the token's `tid`; compared ordinally (IDX40001).
 *   Source: AadIssuerValidator.IsValidIssuer; AadIssuerValidatorTests; MicrosoftIdentityIssuerValidatorTest.
 * - EnableAadSigningKeyIssuerValidation: the signing key's own `issuer` (blank counts as absent), with
 *   `{tenantid}` → `tid`, must equal `iss` or the metadata issuer with `tid` (IDX40005).
 *   Source: AadTokenValidationParametersExtension.ValidateIssuerSigningKey; AadTokenValidationParametersExtensionTests.
 * `ver` does not choose the metadata; a `ver` that disagrees with `iss` is said as a warning.
 */
export function checkIssuer(
  claims: Record<string, unknown>,
  metadata: MetadataResult | null,
  version: TokenVersion | null,
  f: Findings,
  signingKey: SigningKey | undefined,
): void {
  const iss = str(claims['iss']);
  const ver = claims['ver'];
  if (iss !== null && version !== null && (ver === '1.0' || ver === '2.0') && ver !== version) {
    f.add(
      reason(
        'VERSION_MISMATCH',
        `the token's ver is ${show(ver)} but its iss ${show(iss)} has the v${version} form: like Microsoft.Identity.Web (AadIssuerValidator), token-echo validated it with the v${version} metadata, chosen by iss; validators that choose by ver would refuse it.`,
      ),
    );
  }
  const shownIss = iss ?? 'no iss';
  if (metadata === null) {
    f.set('issuer', 'skip', { detail: 'TOKEN_ECHO_TENANT_ID is not set', found: shownIss });
    return;
  }
  if (!metadata.ok) {
    f.set('issuer', 'skip', { detail: `the tenant's metadata could not be fetched: ${metadata.problem}`, found: shownIss });
    return;
  }
  const tid = typeof claims['tid'] === 'string' ? claims['tid'] : null;
  const template = metadata.metadata.issuer;
  const expected = tid !== null && tid !== '' ? template.replaceAll('{tenantid}', tid) : template;
  const ver2 = version ?? '2.0';
  if (iss === null) {
    f.fail('issuer', reason('ISSUER_MISMATCH', 'the token has no iss claim.'), { expected, found: 'no iss' });
    return;
  }
  if (iss !== expected) {
    let why = '';
    if (iss.replace(/\/$/, '') === expected.replace(/\/$/, '')) why = ' They differ only by a trailing slash; issuers are compared exactly.';
    else if (iss.toLowerCase() === expected.toLowerCase()) why = ' They differ only in letter case; issuers are compared exactly.';
    else if (ver2 === '2.0' && V2_ISS.test(iss) && V2_ISS.test(expected)) why = ' It names another tenant or another cloud.';
    else if (ver2 === '1.0' && V1_ISS.test(iss) && V1_ISS.test(expected)) why = ' It names another tenant.';
    f.fail('issuer', reason('ISSUER_MISMATCH', `the token's iss ${show(iss)} is not the issuer the tenant's v${ver2} metadata names (${show(expected)}), IDX40001.${why}`), {
      expected,
      found: iss,
    });
    return;
  }
  // EnableAadSigningKeyIssuerValidation: a blank issuer on the key counts as absent (string.IsNullOrWhiteSpace).
  const keyIssuerTemplate = signingKey?.issuer;
  if (keyIssuerTemplate !== undefined && keyIssuerTemplate !== null && keyIssuerTemplate.trim() !== '' && tid !== null) {
    const keyIssuer = keyIssuerTemplate.replaceAll('{tenantid}', tid);
    if (keyIssuer !== iss && keyIssuer !== expected) {
      f.fail('issuer', reason('ISSUER_MISMATCH', `the token's iss ${show(iss)} does not match the issuer of the key that signed it (${show(keyIssuer)}), IDX40005.`), {
        expected: `${expected} (and the signing key's issuer)`,
        found: `${iss}, signed by a key for ${keyIssuer}`,
      });
      return;
    }
    f.set('issuer', 'pass', { expected, found: iss, detail: 'the signing key\'s issuer matches too' });
    return;
  }
  f.set('issuer', 'pass', { expected, found: iss });
}
