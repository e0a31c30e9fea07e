import type { Settings } from '../config.js';
import type { ConfigProblem, ProfileSpec } from './profile.js';
import { ACCEPT, type Judgement, type TokenFacts, apiClientId, audiencesOf, intentCode, intentRefusal, refuse, scopesOf, show, signatureJudgement, tenantGuidOf, tenantIssuers, widenedAudiences } from './token.js';
import type { FrontDoorInput } from './types.js';

/**
 * passport-azure-ad 4.3.5 `BearerStrategy` (deprecated, maintenance only [ANEC MSAL-JS #4816]) —
 * [CODE AzureAD/passport-azure-ad `lib/bearerstrategy.js`, `lib/jsonWebToken.js`, `lib/metadata.js`]:
 * `identityMetadata` must be an https URL; algorithms are the metadata's
 * `id_token_signing_alg_values_supported`; the key by `x5t`, else `kid`; then `alg`, signature, `iss`
 * (the `issuer` option, else the metadata issuer; exact), `aud` (the `audience` option, default
 * `[clientID, "spn:" + clientID]`; several `aud` values refused unless `allowMultiAudiencesInToken`,
 * and then `azp` must equal `clientID`), `exp` required and refused when now >= exp + clockSkew,
 * `nbf` (when present) refused when nbf >= exp or nbf >= now + clockSkew, then the `scope` option
 * (requires `scp` with one of them). `clockSkew` must be a positive integer: 0 means the 300 s default.
 */
const SOURCE = 'CODE PAAD jsonWebToken.js';

export interface PassportConfig {
  identityMetadata: string;
  clientID: string;
  audience: string[];
  issuer: string[];
  clockSkew: number;
  /** The native `scope` option, used when app-only tokens are refused anyway (TOKEN_ECHO_ROLES empty). */
  scope: string[] | null;
  settings: Settings;
}

export function passportFromSettings(input: FrontDoorInput): { config: PassportConfig } | ConfigProblem {
  const s = input.settings;
  if (s.tenant === null) return { problem: 'no tenant is configured, so no metadata can be named', setting: 'TOKEN_ECHO_TENANT_ID' };
  const tid = tenantGuidOf(input);
  if (tid === null) return { problem: `the tenant GUID behind ${s.tenant} is not known yet (issuers name the GUID)`, setting: 'TOKEN_ECHO_TENANT_ID' };
  if (s.audiences.length === 0) return { problem: 'passport-azure-ad always checks aud (its default is the client ID); name the API', setting: 'TOKEN_ECHO_AUDIENCES' };
  const issuers = tenantIssuers(s.authority, tid);
  return {
    config: {
      identityMetadata: `${s.authority}/${s.tenant}/v2.0/.well-known/openid-configuration`,
      clientID: apiClientId(s) ?? (s.audiences[0] as string),
      audience: [...s.audiences],
      issuer: issuers.v1 === null ? [issuers.v2] : [issuers.v2, issuers.v1],
      // "clockSkew must be a positive integer"; 0 is replaced by CONSTANTS.CLOCK_SKEW (300).
      clockSkew: Math.max(1, s.clockSkewSeconds),
      scope: s.scopes.length > 0 && s.roles.length === 0 ? [...s.scopes] : null,
      settings: s,
    },
  };
}

export function judgePassport(c: PassportConfig, facts: TokenFacts): Judgement {
  const { claims, header } = facts;
  if (typeof header['x5t'] !== 'string' && typeof header['kid'] !== 'string') return refuse('signature', 'an x5t or kid header', 'neither', 'CODE PAAD bearerstrategy.js jwtVerify');
  const sig = signatureJudgement(facts, 'CODE PAAD metadata.js generateOidcPEM');
  if (sig?.verdict === 'unknown') return sig;
  if (header['alg'] !== 'RS256') return refuse('alg', 'RS256 (the metadata id_token_signing_alg_values_supported)', show(header['alg']), SOURCE);
  if (sig) return sig;
  if (typeof claims['iss'] !== 'string' || !c.issuer.includes(claims['iss'])) return refuse('iss', c.issuer.join(' or '), show(claims['iss']), SOURCE, 'issuer');
  const auds = audiencesOf(claims);
  if (Array.isArray(claims['aud']) && claims['aud'].length > 1) return refuse('aud', 'a single aud (allowMultiAudiencesInToken is false)', show(claims['aud']), SOURCE, 'allowMultiAudiencesInToken');
  if (!auds.some((a) => c.audience.includes(a))) return refuse('aud', c.audience.join(' or '), show(claims['aud']), SOURCE, 'audience');
  if (typeof claims['exp'] !== 'number') return refuse('exp', 'a number', show(claims['exp']), SOURCE);
  if (facts.nowSec >= claims['exp'] + c.clockSkew) return refuse('exp', `now < exp + ${c.clockSkew} s`, `expired ${facts.nowSec - claims['exp']} s ago`, SOURCE, 'clockSkew');
  const nbf = claims['nbf'];
  if (nbf !== undefined && nbf !== null && nbf !== 0 && nbf !== '' && nbf !== false) {
    if (typeof nbf !== 'number') return refuse('nbf', 'a number', show(nbf), SOURCE);
    if (nbf >= claims['exp']) return refuse('nbf', 'nbf before exp', `nbf ${nbf} >= exp ${claims['exp']}`, SOURCE);
    if (nbf >= facts.nowSec + c.clockSkew) return refuse('nbf', `nbf < now + ${c.clockSkew} s`, `nbf is ${nbf - facts.nowSec} s from now`, SOURCE, 'clockSkew');
  }
  if (c.scope !== null) {
    const scopes = scopesOf(claims);
    if (scopes === null) return refuse('scope', `scp with one of ${c.scope.join(', ')}`, 'no scp', 'CODE PAAD bearerstrategy.js scope', 'scope');
    if (!scopes.some((x) => c.scope?.includes(x))) return refuse('scope', `scp with one of ${c.scope.join(', ')}`, show(claims['scp']), 'CODE PAAD bearerstrategy.js scope', 'scope');
  }
  return intentRefusal(claims, c.settings, 'token-echo settings (snippet verify callback)') ?? ACCEPT;
}

function widenPassport(c: PassportConfig, facts: TokenFacts): PassportConfig {
  const audience = widenedAudiences(c.audience, facts.claims);
  return audience.length === c.audience.length ? c : { ...c, audience };
}

export function renderPassport(c: PassportConfig): string {
  const options = [
    `identityMetadata: ${JSON.stringify(c.identityMetadata)},`,
    `clientID: ${JSON.stringify(c.clientID)},`,
    `audience: ${JSON.stringify(c.audience)},`,
    `validateIssuer: true,`,
    `issuer: ${JSON.stringify(c.issuer)},`,
    `clockSkew: ${c.clockSkew},${c.settings.clockSkewSeconds === 0 ? ' // 0 is not allowed (it means 300); 1 is the least' : ''}`,
    ...(c.scope !== null ? [`scope: ${JSON.stringify(c.scope)},`] : []),
    `passReqToCallback: false,`,
    `loggingLevel: 'error',`,
    `loggingNoPII: true,`,
  ];
  return [
    `import passport from 'passport';`,
    `import { BearerStrategy } from 'passport-azure-ad';`,
    ``,
    `export const bearerStrategy = new BearerStrategy({`,
    ...options.map((o) => `  ${o}`),
    `}, (p, done) => {`,
    `  try {`,
    intentCode(c.settings, '    '),
    `    return done(null, p, p);`,
    `  } catch (error) {`,
    `    return done(null, false, error.message);`,
    `  }`,
    `});`,
    ``,
    `passport.use(bearerStrategy);`,
    `// app.use('/api', passport.authenticate('oauth-bearer', { session: false }));`,
    ``,
  ].join('\n');
}

export const passportProfile: ProfileSpec<PassportConfig> = {
  id: 'passport-azure-ad',
  name: 'passport-azure-ad BearerStrategy',
  fromSettings: passportFromSettings,
  judge: judgePassport,
  widen: widenPassport,
  render: renderPassport,
};
