import { SignJWT, exportJWK, importJWK } from 'jose';

import type { DevAuthority } from '../../../src/dev/authority.js';
import { DEMO_API_CLIENT_ID, DEMO_API_URI } from '../../../src/dev/authority.js';
import type { ReasonCode } from '../../../src/report/reasons.js';

/**
 * Cases taken from Microsoft's own tests, each turned into a token from the local Entra stand-in and the
 * token-echo settings that mean what the test's parameters mean. `source` names the file (repository,
 * path) and the test or theory-data name. `microsoft` is the verdict of Microsoft.Identity.Web's web-API
 * pipeline with its defaults; `difference` names the README row ("Where token-echo and
 * Microsoft.Identity.Web differ") when token-echo deliberately answers otherwise.
 * Snapshots read: identitymodel-extensions c6b3b6a4 (2024-10), microsoft-identity-web dfeab823 (2026-08).
 */
export interface ParityCase {
  source: string;
  /** Settings that differ from the baseline (test/helpers/world.ts settingsFor). */
  env?: Record<string, string>;
  /** Prepares the stand-in (a tenant's key issuer...) before the token is minted. */
  setup?: (a: DevAuthority) => void | Promise<void>;
  token: (a: DevAuthority) => Promise<string>;
  microsoft: 'valid' | 'invalid';
  /** A code the report must carry. */
  code?: ReasonCode;
  difference?: 'RS256 only' | 'ID token';
}

const IMX = 'AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet';
const MIW = 'AzureAD/microsoft-identity-web';
const VALIDATORS = `${IMX} test/Microsoft.IdentityModel.Tokens.Tests/Validation/ValidatorsTests.cs`;
const JWT_AUD = `${IMX} test/Microsoft.IdentityModel.JsonWebTokens.Tests/JsonWebTokenHandler.ValidateTokenAsyncTests.Audience.cs`;
const JWT_LIFE = `${IMX} test/Microsoft.IdentityModel.JsonWebTokens.Tests/JsonWebTokenHandler.ValidateTokenAsyncTests.Lifetime.cs`;
const JWT_ALG = `${IMX} test/Microsoft.IdentityModel.JsonWebTokens.Tests/JsonWebTokenHandler.ValidateTokenAsyncTests.Algorithm.cs`;
const AAD_ISS = `${IMX} test/Microsoft.IdentityModel.Validators.Tests/AadIssuerValidatorTests.cs`;
const MS_ISS = `${IMX} test/Microsoft.IdentityModel.Validators.Tests/MicrosoftIdentityIssuerValidatorTest.cs`;
const AAD_EXT = `${IMX} test/Microsoft.IdentityModel.Validators.Tests/AadTokenValidationParametersExtensionTests.cs`;
const SCOPE = `${MIW} tests/Microsoft.Identity.Web.Test/Resource/RequiredScopePolicyTests.cs`;
const SCOPE_OR_APP = `${MIW} tests/Microsoft.Identity.Web.Test/Resource/RequiredScopeOrAppPermissionPolicyTests.cs`;
const SCOPE_OR_APP_HANDLER = `${MIW} src/Microsoft.Identity.Web/Policy/ScopeOrAppPermissionAuthorizationHandler.cs`;
const IDW10201 = `${MIW} src/Microsoft.Identity.Web/WebApiExtensions/MicrosoftIdentityWebApiAuthenticationBuilderExtensions.cs (IDW10201)`;

// ValidatorsTests.ValidateAudienceTheoryData: audience1/2 and token audience lists that start with "".
const A1 = 'http://audience1.com';
const A2 = 'http://audience2.com';
const aud = (cfg: string, token: string | string[] | undefined, source: string, microsoft: 'valid' | 'invalid', code?: ReasonCode): ParityCase => ({
  source,
  env: { TOKEN_ECHO_AUDIENCES: cfg },
  token: (a) => (token === undefined ? a.mint({ version: '1.0', claims: { aud: undefined } }) : a.mint({ version: '1.0', aud: token })),
  microsoft,
  ...(code ? { code } : {}),
});

// JsonWebTokenHandler tests' Default.Audience.
const DEFAULT_AUD = 'http://Default.Audience.com';

const MIN = 60;
const HOUR = 3600;
const life = (source: string, o: { iat?: number; nbf?: number; exp?: number | null }, microsoft: 'valid' | 'invalid', code?: ReasonCode, skew?: number): ParityCase => ({
  source,
  ...(skew !== undefined ? { env: { TOKEN_ECHO_CLOCK_SKEW: String(skew) } } : {}),
  token: (a) =>
    a.mint({
      issuedAt: o.iat ?? 0,
      ...(o.nbf !== undefined ? { notBefore: o.nbf } : {}),
      ...(o.exp !== undefined && o.exp !== null ? { expiresIn: o.exp } : {}),
      claims: { ...(o.exp === null ? { exp: undefined } : {}), ...(o.nbf === undefined ? { nbf: undefined } : {}) },
    }),
  microsoft,
  ...(code ? { code } : {}),
});

/** A token signed by the tenant's first key under another RSA algorithm (the key's type allows it in .NET). */
async function signedAs(a: DevAuthority, alg: 'RS384' | 'RS512' | 'PS256'): Promise<string> {
  const key = a.tenant.keys[0];
  if (!key) throw new Error('no key');
  const claims = JSON.parse(Buffer.from((await a.mint()).split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
  const jwk = await exportJWK(key.privateKey);
  const privateKey = await importJWK({ ...jwk, alg }, alg);
  return new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT', kid: key.kid }).sign(privateKey);
}

const OTHER_GUID = '9a6c4d2e-1b3f-4e5a-8c7d-0f1e2d3c4b5a';

export const CASES: ParityCase[] = [
  // ── Audience: Validators.ValidateAudience (IgnoreTrailingSlashWhenValidatingAudience true by default) ──
  aud(A1, ['', A1], `${VALIDATORS} ValidateAudienceTheoryData "SameLengthMatched"`, 'valid'),
  aud(A2, ['', A1], `${VALIDATORS} ValidateAudienceTheoryData "SameLengthNotMatched"`, 'invalid', 'AUDIENCE_MISMATCH'),
  aud(`${A2}/`, ['', A1], `${VALIDATORS} ValidateAudienceTheoryData "AudiencesValidAudienceWithSlashNotMatched"`, 'invalid', 'AUDIENCE_MISMATCH'),
  aud(A1, ['', `${A2}/`], `${VALIDATORS} ValidateAudienceTheoryData "AudiencesWithSlashValidAudienceSameLengthNotMatched"`, 'invalid', 'AUDIENCE_MISMATCH'),
  aud(`${A1}/`, ['', A1], `${VALIDATORS} ValidateAudienceTheoryData "ValidAudienceWithSlashTVPTrue"`, 'valid', 'AUDIENCE_TRAILING_SLASH'),
  aud(`${A1}/`, ['', A1], `${VALIDATORS} ValidateAudienceTheoryData "ValidAudiencesWithSlashTVPTrue"`, 'valid', 'AUDIENCE_TRAILING_SLASH'),
  aud(`${A1}A`, ['', A1], `${VALIDATORS} ValidateAudienceTheoryData "ValidAudienceWithExtraChar"`, 'invalid', 'AUDIENCE_MISMATCH'),
  aud(`${A1}//`, ['', A1], `${VALIDATORS} ValidateAudienceTheoryData "ValidAudienceWithDoubleSlashTVPTrue"`, 'invalid', 'AUDIENCE_MISMATCH'),
  aud(`${A1}//,${A2}`, ['', A1], `${VALIDATORS} ValidateAudienceTheoryData "ValidAudiencesWithDoubleSlashTVPTrue"`, 'invalid', 'AUDIENCE_MISMATCH'),
  aud(A1, ['', `${A1}/`], `${VALIDATORS} ValidateAudienceTheoryData "TokenAudienceWithSlashTVPTrue"`, 'valid', 'AUDIENCE_TRAILING_SLASH'),
  aud(A1, ['', `${A2}/`], `${VALIDATORS} ValidateAudienceTheoryData "TokenAudienceWithSlashNotEqual"`, 'invalid', 'AUDIENCE_MISMATCH'),
  aud(A1, ['', `${A1}/`], `${VALIDATORS} ValidateAudienceTheoryData "TokenAudiencesWithSlashTVPTrue"`, 'valid', 'AUDIENCE_TRAILING_SLASH'),
  aud(A2, ['', `${A1}/`], `${VALIDATORS} ValidateAudienceTheoryData "TokenAudiencesWithSlashValidAudiencesNotMatchedTVPTrue"`, 'invalid', 'AUDIENCE_MISMATCH'),
  aud(A1, ['', `${A1}//`], `${VALIDATORS} ValidateAudienceTheoryData "TokenAudienceWithTwoSlashesTVPTrue"`, 'invalid', 'AUDIENCE_MISMATCH'),
  aud('audience', [''], `${VALIDATORS} ValidateAudienceParametersTheoryData "AudiencesEmptyString"`, 'invalid', 'AUDIENCE_MISMATCH'),
  aud('audience', ['    '], `${VALIDATORS} ValidateAudienceParametersTheoryData "AudiencesWhiteSpace"`, 'invalid', 'AUDIENCE_MISMATCH'),
  aud('audience', [], `${VALIDATORS} ValidateAudienceParametersTheoryData "AudiencesEmptyList"`, 'invalid', 'AUDIENCE_MISMATCH'),
  aud(DEFAULT_AUD, DEFAULT_AUD, `${JWT_AUD} "Valid_AudiencesMatch"`, 'valid'),
  aud(DEFAULT_AUD, 'InvalidAudience', `${JWT_AUD} "Invalid_AudiencesDontMatch"`, 'invalid', 'AUDIENCE_MISMATCH'),
  aud(`ExtraAudience,${DEFAULT_AUD},AnotherAudience`, DEFAULT_AUD, `${JWT_AUD} "Valid_AudienceWithinValidAudiences"`, 'valid'),
  aud(DEFAULT_AUD, `${DEFAULT_AUD}/`, `${JWT_AUD} "Valid_AudienceWithSlash_IgnoreTrailingSlashTrue"`, 'valid', 'AUDIENCE_TRAILING_SLASH'),
  aud(`${DEFAULT_AUD}/`, DEFAULT_AUD, `${JWT_AUD} "Valid_ValidAudiencesWithSlash_IgnoreTrailingSlashTrue"`, 'valid', 'AUDIENCE_TRAILING_SLASH'),
  aud(DEFAULT_AUD, undefined, `${JWT_AUD} "Invalid_AudienceNullIsTreatedAsEmptyList"`, 'invalid', 'AUDIENCE_MISMATCH'),
  aud(DEMO_API_URI, `${DEMO_API_URI}/`, `${JWT_AUD} "Valid_AudienceWithSlash_IgnoreTrailingSlashTrue" (a v1 token for "api://<client ID>/")`, 'valid', 'AUDIENCE_TRAILING_SLASH'),

  // ── Lifetime: Validators.ValidateLifetime, default clock skew 5 minutes ──
  life(`${JWT_LIFE} "Valid_LifetimeIsValid"`, { iat: 0, nbf: -HOUR, exp: HOUR }, 'valid'),
  life(`${JWT_LIFE} "Invalid_TokenHasNoExpiration"`, { iat: 0, nbf: -HOUR, exp: null }, 'invalid', 'MALFORMED_TOKEN'),
  life(`${JWT_LIFE} "Invalid_NotBeforeIsAfterExpires"`, { iat: -HOUR, nbf: HOUR, exp: 0 }, 'invalid', 'NBF_AFTER_EXP'),
  life(`${JWT_LIFE} "Valid_ExpiredThreeMinutesAgoButSkewIsFiveMinutes"`, { iat: -HOUR, nbf: -HOUR, exp: -3 * MIN }, 'valid'),
  life(`${JWT_LIFE} "Invalid_ExpiredThreeMinutesAgoButSkewIsTwoMinutes"`, { iat: -HOUR, nbf: -HOUR, exp: -3 * MIN }, 'invalid', 'EXPIRED', 2 * MIN),
  life(`${JWT_LIFE} "Valid_ValidInThreeMinutesButSkewIsFiveMinutes"`, { iat: -HOUR, nbf: 3 * MIN, exp: HOUR }, 'valid'),
  life(`${JWT_LIFE} "Invalid_ValidInThreeMinutesButSkewIsTwoMinutes"`, { iat: -HOUR, nbf: 3 * MIN, exp: HOUR }, 'invalid', 'NOT_YET_VALID', 2 * MIN),
  life(`${VALIDATORS} LifeTimeDataSet[2] (no nbf, no exp: IDX10225)`, { exp: null }, 'invalid', 'MALFORMED_TOKEN'),
  life(`${VALIDATORS} LifeTimeDataSet[3] (nbf now+1h, exp now: IDX10224)`, { nbf: HOUR, exp: 0 }, 'invalid', 'NBF_AFTER_EXP'),
  life(`${VALIDATORS} LifeTimeDataSet[4] (nbf now+1h, exp now+2h: IDX10222)`, { nbf: HOUR, exp: 2 * HOUR }, 'invalid', 'NOT_YET_VALID'),
  life(`${VALIDATORS} LifeTimeDataSet[5] (nbf now-2h, exp now-1h: IDX10223)`, { nbf: -2 * HOUR, exp: -HOUR }, 'invalid', 'EXPIRED'),
  life(`${VALIDATORS} LifeTimeDataSet[6] (nbf now-2h, exp now+1h)`, { nbf: -2 * HOUR, exp: HOUR }, 'valid'),
  life(`${VALIDATORS} LifeTimeDataSet[7] (nbf now+2min, skew 5 min)`, { nbf: 2 * MIN, exp: HOUR }, 'valid', undefined, 5 * MIN),
  life(`${VALIDATORS} LifeTimeDataSet[8] (exp now-1min, skew 5 min)`, { nbf: -2 * MIN, exp: -MIN }, 'valid', undefined, 5 * MIN),
  life(`${VALIDATORS} LifeTimeDataSet[9] (nbf now+6min, skew 5 min: IDX10222)`, { nbf: 6 * MIN, exp: HOUR }, 'invalid', 'NOT_YET_VALID', 5 * MIN),
  life(`${VALIDATORS} LifeTimeDataSet[10] (exp now-6min, skew 5 min: IDX10223)`, { nbf: -2 * HOUR, exp: -6 * MIN }, 'invalid', 'EXPIRED', 5 * MIN),

  // ── Algorithm: ValidAlgorithms null by default; the key type decides. token-echo allows RS256 only. ──
  { source: `${JWT_ALG} "Valid_AlgorithmIsValid"`, token: (a) => a.mint(), microsoft: 'valid' },
  { source: `${JWT_ALG} "Valid_ValidAlgorithmsIsEmptyList"`, token: (a) => a.mint(), microsoft: 'valid' },
  { source: `${JWT_ALG} "Valid_ValidAlgorithmsIsNull" (RS384 by a tenant RSA key)`, token: (a) => signedAs(a, 'RS384'), microsoft: 'valid', code: 'ALG_NOT_ALLOWED', difference: 'RS256 only' },
  { source: `${JWT_ALG} "Valid_ValidAlgorithmsIsNull" (RS512 by a tenant RSA key)`, token: (a) => signedAs(a, 'RS512'), microsoft: 'valid', code: 'ALG_NOT_ALLOWED', difference: 'RS256 only' },
  { source: `${JWT_ALG} "Valid_ValidAlgorithmsIsNull" (PS256 by a tenant RSA key)`, token: (a) => signedAs(a, 'PS256'), microsoft: 'valid', code: 'ALG_NOT_ALLOWED', difference: 'RS256 only' },
  {
    source: `${JWT_ALG} "Invalid_TokenIsSignedWithAnInvalidAlgorithm" (HS256)`,
    token: async (a) => {
      const claims = JSON.parse(Buffer.from((await a.mint()).split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
      return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode('a shared secret of thirty-two by'));
    },
    microsoft: 'invalid',
    code: 'ALG_NOT_ALLOWED',
  },

  // ── Issuer: AadIssuerValidator.IsValidIssuer (ordinal, {tenantid} → tid), metadata chosen by the shape of iss ──
  { source: `${AAD_ISS} "V1_Template_Matches_V1_Issuer_Success"`, token: (a) => a.mint({ version: '1.0' }), microsoft: 'valid' },
  { source: `${AAD_ISS} "V2_Template_Matches_V2_Issuer_Success"`, token: (a) => a.mint({ version: '2.0' }), microsoft: 'valid' },
  { source: `${AAD_ISS} "IssuerTemplate_WithTenantId_TokenIssuer_Match_Success"`, token: (a) => a.mint(), microsoft: 'valid' },
  { source: `${AAD_ISS} "V1_Template_With_V2_Issuer_Failure" (a v2-form iss on the v1 host)`, token: (a) => a.mint({ claims: { iss: `https://sts.windows.net/${a.tenant.id}/v2.0` } }), microsoft: 'invalid', code: 'ISSUER_MISMATCH' },
  { source: `${AAD_ISS} "V2_Template_With_V1_Issuer_Failure" (a v1-form iss on the v2 host)`, token: (a) => a.mint({ claims: { iss: `${a.url}/${a.tenant.id}/` } }), microsoft: 'invalid', code: 'ISSUER_MISMATCH' },
  { source: `${AAD_ISS} "Null_TokenIssuer_Failure"`, token: (a) => a.mint({ claims: { iss: '' } }), microsoft: 'invalid', code: 'ISSUER_MISMATCH' },
  { source: `${AAD_ISS} "Null_TenantId_Failure"`, token: (a) => a.mint({ claims: { tid: '' } }), microsoft: 'invalid', code: 'TENANT_MISMATCH' },
  { source: `${AAD_ISS} "PPE_Template_With_V1_Issuer_Failure"`, token: (a) => a.mint({ claims: { iss: `https://login.windows-ppe.net/${a.tenant.id}` } }), microsoft: 'invalid', code: 'ISSUER_MISMATCH' },
  { source: `${AAD_ISS} "Malformed_V2_TokenIssuer_Failure"`, token: (a) => a.mint({ claims: { iss: `${a.url}/{tenantid}/v2.0` } }), microsoft: 'invalid', code: 'ISSUER_MISMATCH' },
  { source: `${AAD_ISS} "IssuerTemplate_WithTenantId_TokenIssuer_NoMatch_Failure"`, token: (a) => a.mint({ claims: { iss: `https://login.windows-ppe.net/${a.tenant.id}/v2.0` } }), microsoft: 'invalid', code: 'ISSUER_MISMATCH' },
  { source: `${MS_ISS} Validate_NoHttpclientFactory_ReturnsIssuer (tid, AadIssuer)`, token: (a) => a.mint(), microsoft: 'valid' },
  { source: `${MS_ISS} Validate_NoHttpclientFactory_ReturnsIssuer (tid, V1Issuer)`, token: (a) => a.mint({ version: '1.0' }), microsoft: 'valid' },
  { source: `${MS_ISS} Validate_IssuerMatchedInValidV1Issuer_ReturnsIssuer`, token: (a) => a.mint({ version: '1.0' }), microsoft: 'valid' },
  { source: `${MS_ISS} ValidateJsonWebToken_ReturnsIssuer (tid, AadIssuer)`, token: (a) => a.mint(), microsoft: 'valid' },
  { source: `${MS_ISS} ValidateJsonWebToken_ReturnsIssuer (tid, V1Issuer)`, token: (a) => a.mint({ version: '1.0' }), microsoft: 'valid' },
  { source: `${MS_ISS} Validate_V1IssuerNotInTokenValidationParameters_ReturnsV1Issuer`, token: (a) => a.mint({ version: '1.0' }), microsoft: 'valid' },
  { source: `${MS_ISS} Validate_TidClaimInToken_ReturnsIssuer`, token: (a) => a.mint(), microsoft: 'valid' },
  { source: `${MS_ISS} Validate_NullOrEmptyTenantId_ThrowsException`, token: (a) => a.mint({ claims: { tid: undefined } }), microsoft: 'invalid', code: 'TENANT_MISMATCH' },
  { source: `${MS_ISS} Validate_InvalidIssuerToValidate_ThrowsException`, token: (a) => a.mint({ claims: { iss: `${a.url}/${OTHER_GUID}/v2.0`, tid: OTHER_GUID } }), microsoft: 'invalid', code: 'ISSUER_MISMATCH' },
  { source: `${MS_ISS} Validate_WithAuthorityUsingConfigurationProvider(V1, V1)`, token: (a) => a.mint({ version: '1.0' }), microsoft: 'valid' },
  { source: `${MS_ISS} Validate_WithAuthorityUsingConfigurationProvider(V2, V1) (a v1 token, metadata by iss)`, token: (a) => a.mint({ version: '1.0', claims: { ver: '2.0' } }), microsoft: 'valid', code: 'VERSION_MISMATCH' },
  { source: `${MS_ISS} Validate_WithAuthorityUsingConfigurationProvider(V1, V2) (a v2 token, metadata by iss)`, token: (a) => a.mint({ version: '2.0', claims: { ver: '1.0' } }), microsoft: 'valid', code: 'VERSION_MISMATCH' },
  { source: `${MS_ISS} Validate_WithAuthorityUsingConfigurationProvider(V2, V2)`, token: (a) => a.mint({ version: '2.0' }), microsoft: 'valid' },

  // ── Signing-key issuer: AadTokenValidationParametersExtension.ValidateIssuerSigningKey (Microsoft.Identity.Web always enables it) ──
  { source: `${AAD_EXT} ValidateIssuerSigningKeyTests "MissingIssuerInConfiguration" (v1 keys carry no issuer)`, token: (a) => a.mint({ version: '1.0' }), microsoft: 'valid' },
  {
    source: `${AAD_EXT} ValidateIssuerSigningKeyTests "WhitespaceForIssuerInConfiguration"`,
    setup: (a) => {
      a.tenant.keyIssuer = '   ';
    },
    token: (a) => a.mint(),
    microsoft: 'valid',
  },
  {
    source: `${AAD_EXT} ValidateIssuerSigningKeyTests "HappyPath_TokenIssuer_Matches_SigningKeyIssuer" (key issuer a {tenantid} template)`,
    setup: (a) => {
      a.tenant.keyIssuer = `${a.url}/{tenantid}/v2.0`;
    },
    token: (a) => a.mint(),
    microsoft: 'valid',
  },
  {
    source: `${AAD_EXT} ValidateIssuerSigningKeyTests "JST_TokenIssuer_MismatchesWith_SigningKeyIssuer" (IDX40005)`,
    setup: (a) => {
      a.tenant.keyIssuer = `${a.url}/${OTHER_GUID}/v2.0`;
    },
    token: (a) => a.mint(),
    microsoft: 'invalid',
    code: 'ISSUER_MISMATCH',
  },
  { source: `${AAD_EXT} ValidateIssuerSigningKeyTests "MissingTenantIdClaimInToken" (IDX40009)`, token: (a) => a.mint({ claims: { tid: undefined } }), microsoft: 'invalid', code: 'TENANT_MISMATCH' },
  { source: `${AAD_EXT} ValidateIssuerSigningKeyTests "JST_TokenIssuer_MismatchesWith_TenantIdInToken" (IDX40004)`, token: (a) => a.mint({ claims: { tid: OTHER_GUID } }), microsoft: 'invalid', code: 'TENANT_MISMATCH' },
  { source: `${AAD_EXT} ValidateIssuerSigningKeyTests "JST_TokenIssuer_MismatchesWith_TenantIdInToken" (IDX40004, tid in upper case)`, token: (a) => a.mint({ claims: { tid: a.tenant.id.toUpperCase() } }), microsoft: 'invalid', code: 'TENANT_MISMATCH' },
  { source: `${AAD_EXT} ValidateIssuerSigningKeyTests "Fails_With_Multiple_tids" (IDX40011)`, token: (a) => a.mint({ claims: { TID: OTHER_GUID } }), microsoft: 'invalid', code: 'TENANT_MISMATCH' },
  {
    source: `${AAD_EXT} ValidateIssuerSigningKeyTests "Fails_With_Multiple_tids_alternate_order" (IDX40011)`,
    token: (a) => a.mint({ claims: { tid: undefined, TID: OTHER_GUID, iat: Math.floor(Date.now() / 1000) - 60, tId: a.tenant.id } }),
    microsoft: 'invalid',
    code: 'TENANT_MISMATCH',
  },
  { source: `${AAD_EXT} ValidateIssuerSigningKeyTests "Fails_With_no standard_tid" (IDX40009)`, token: (a) => a.mint({ claims: { tid: undefined, TID: a.tenant.id } }), microsoft: 'invalid', code: 'TENANT_MISMATCH' },

  // ── Permissions: RequiredScope / RequiredScopeOrAppPermission / IDW10201 ──
  { source: `${SCOPE} VerifyUserHasAnyAcceptedScope_TestAsync (scp)`, token: (a) => a.mint({ scp: 'access_as_user' }), microsoft: 'valid' },
  { source: `${SCOPE} VerifyUserHasAnyAcceptedScope_TestAsync (scp, withConfig)`, env: { TOKEN_ECHO_SCOPES: 'access_as_user' }, token: (a) => a.mint({ scp: 'access_as_user' }), microsoft: 'valid' },
  { source: `${SCOPE} VerifyUserHasAnyAcceptedScope_OneScopeMatches_TestAsync`, token: (a) => a.mint({ scp: 'access_as_user User.Read' }), microsoft: 'valid' },
  { source: `${SCOPE} VerifyUserHasAnyAcceptedScope_WithMismatchScopeTest_FailsAsync`, token: (a) => a.mint({ scp: 'User.Read' }), microsoft: 'invalid', code: 'SCOPE_MISSING' },
  { source: `${SCOPE} VerifyUserHasAnyAcceptedScope_RequiredScopesMissingAsync`, env: { TOKEN_ECHO_SCOPES: '' }, token: (a) => a.mint({ scp: 'User.Read' }), microsoft: 'valid' },
  { source: `${SCOPE_OR_APP} VerifyAppHasAnyAcceptedAppPermission_TestAsync (roles)`, env: { TOKEN_ECHO_SCOPES: '', TOKEN_ECHO_ROLES: 'access_as_app' }, token: (a) => a.mint({ scp: null, roles: ['access_as_app'] }), microsoft: 'valid', code: 'APP_ONLY_TOKEN' },
  { source: `${SCOPE_OR_APP} VerifyAppHasAnyAcceptedAppPermission_OneAppPermissionMatches_TestAsync (roles, "access_as_app access_as_app2")`, env: { TOKEN_ECHO_SCOPES: '', TOKEN_ECHO_ROLES: 'access_as_app' }, token: (a) => a.mint({ scp: null, roles: ['access_as_app access_as_app2'] }), microsoft: 'valid' },
  { source: `${SCOPE_OR_APP} VerifyAppHasAnyAcceptedAppPermission_OneAppPermissionMatches_TestAsync (two role values)`, env: { TOKEN_ECHO_SCOPES: '', TOKEN_ECHO_ROLES: 'access_as_app' }, token: (a) => a.mint({ scp: null, roles: ['access_as_app2', 'access_as_app'] }), microsoft: 'valid' },
  { source: `${SCOPE_OR_APP} VerifyAppHasAnyAcceptedAppPermission_WithMismatchAppPermissionTest_FailsAsync`, env: { TOKEN_ECHO_SCOPES: '', TOKEN_ECHO_ROLES: 'access_as_app' }, token: (a) => a.mint({ scp: null, roles: ['access_as_app2'] }), microsoft: 'invalid', code: 'APP_ONLY_TOKEN' },
  { source: `${SCOPE_OR_APP} VerifyAppHasAnyAcceptedAppPermission_RequiredAppPermissionMissingAsync`, env: { TOKEN_ECHO_SCOPES: '' }, token: (a) => a.mint({ scp: null, roles: ['access_as_app'] }), microsoft: 'valid', code: 'APP_ONLY_TOKEN' },
  { source: `${SCOPE_OR_APP} VerifyAppHasAnyAcceptedScopeOrAppPermission_TestAsync`, env: { TOKEN_ECHO_ROLES: 'access_as_app' }, token: (a) => a.mint({ scp: 'access_as_user', roles: ['access_as_app'] }), microsoft: 'valid' },
  { source: `${SCOPE_OR_APP_HANDLER} (scopes and app permissions required: an app-only token with an accepted role)`, env: { TOKEN_ECHO_ROLES: 'access_as_app' }, token: (a) => a.mint({ scp: null, roles: ['access_as_app'] }), microsoft: 'valid', code: 'APP_ONLY_TOKEN' },
  { source: `${SCOPE_OR_APP_HANDLER} (scopes and app permissions required: a user token with an accepted scope)`, env: { TOKEN_ECHO_ROLES: 'access_as_app' }, token: (a) => a.mint({ scp: 'access_as_user' }), microsoft: 'valid' },
  { source: `${SCOPE_OR_APP_HANDLER} (app permissions only: a user token without a role)`, env: { TOKEN_ECHO_SCOPES: '', TOKEN_ECHO_ROLES: 'access_as_app' }, token: (a) => a.mint({ scp: 'access_as_user' }), microsoft: 'invalid', code: 'SCOPE_MISSING' },
  { source: `${IDW10201} (neither scp nor roles)`, env: { TOKEN_ECHO_SCOPES: '' }, token: (a) => a.mint({ scp: null, claims: { idtyp: 'app' } }), microsoft: 'invalid', code: 'SCOPE_MISSING' },
  { source: `${IDW10201} (roles only, nothing required)`, env: { TOKEN_ECHO_SCOPES: '' }, token: (a) => a.mint({ scp: null, roles: ['Echo.Read.All'] }), microsoft: 'valid', code: 'APP_ONLY_TOKEN' },
  { source: `${IDW10201} (scopes required: app-only refused by RequiredScope)`, token: (a) => a.mint({ scp: null, roles: ['Echo.Read.All'] }), microsoft: 'invalid', code: 'APP_ONLY_TOKEN' },
  {
    source: `${IDW10201} (an ID token for the API carrying roles, nothing required)`,
    env: { TOKEN_ECHO_SCOPES: '', TOKEN_ECHO_CLIENT_IDS: '' },
    token: (a) => a.mintIdToken(DEMO_API_CLIENT_ID, undefined, { roles: ['Echo.Read.All'] }),
    microsoft: 'valid',
    code: 'ID_TOKEN',
    difference: 'ID token',
  },
  { source: `${IDW10201} (v1 token, scopes required)`, token: (a) => a.mint({ version: '1.0', aud: DEMO_API_URI }), microsoft: 'valid' },
  { source: `${IDW10201} (v2 token for the client ID)`, token: (a) => a.mint({ aud: DEMO_API_CLIENT_ID }), microsoft: 'valid' },
];
