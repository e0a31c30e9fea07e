import { NODE_ALGORITHMS, type NodeConfig, nodeConfigFromSettings, widenNode } from './node-config.js';
import type { ProfileSpec } from './profile.js';
import { ACCEPT, type Judgement, type TokenFacts, algJudgement, audiencesOf, intentCode, intentRefusal, refuse, show, signatureJudgement } from './token.js';

/**
 * jose `jwtVerify(token, createRemoteJWKSet(url), options)` [CODE JOSE `src/jwt/verify.ts`,
 * `src/lib/jwt_claims_set.ts`; reference §4.1]: `algorithms` allow-list, then the signature, then
 * presence of required claims (`issuer`/`audience` make `iss`/`aud` required; `requiredClaims`),
 * then `iss` (exact, one of), `aud` (exact, any overlap), `nbf` (refused when nbf > now + tolerance),
 * `exp` (refused when exp <= now - tolerance). `clockTolerance` defaults to 0. No scope or role logic.
 */
const SOURCE = 'CODE JOSE jwt_claims_set.ts';

export function judgeJose(c: NodeConfig, facts: TokenFacts): Judgement {
  const claims = facts.claims;
  const alg = algJudgement(facts.header, NODE_ALGORITHMS, 'CODE JOSE jws/flattened/verify.ts', 'algorithms');
  if (alg) return alg;
  const sig = signatureJudgement(facts, 'CODE JOSE jwks/remote.ts');
  if (sig) return sig;
  for (const name of ['iss', ...(c.audiences.length > 0 ? ['aud'] : []), 'exp']) {
    if (claims[name] === undefined) return refuse(name === 'exp' ? 'exp' : name === 'iss' ? 'iss' : 'aud', `a "${name}" claim`, '(absent)', SOURCE, name === 'exp' ? 'requiredClaims' : name === 'iss' ? 'issuer' : 'audience');
  }
  if (typeof claims['iss'] !== 'string' || !c.issuers.includes(claims['iss'])) return refuse('iss', c.issuers.join(' or '), show(claims['iss']), SOURCE, 'issuer');
  if (c.audiences.length > 0 && !audiencesOf(claims).some((a) => c.audiences.includes(a))) return refuse('aud', c.audiences.join(' or '), show(claims['aud']), SOURCE, 'audience');
  const tol = c.clockTolerance;
  if (claims['nbf'] !== undefined) {
    if (typeof claims['nbf'] !== 'number') return refuse('nbf', 'a number', show(claims['nbf']), SOURCE);
    if (claims['nbf'] > facts.nowSec + tol) return refuse('nbf', `nbf <= now + ${tol} s`, `nbf is ${claims['nbf'] - facts.nowSec} s from now`, SOURCE, 'clockTolerance');
  }
  if (typeof claims['exp'] !== 'number') return refuse('exp', 'a number', show(claims['exp']), SOURCE);
  if (claims['exp'] <= facts.nowSec - tol) return refuse('exp', `exp > now - ${tol} s`, `expired ${facts.nowSec - claims['exp']} s ago`, SOURCE, 'clockTolerance');
  return intentRefusal(claims, c.settings, 'token-echo settings (snippet code after jwtVerify)') ?? ACCEPT;
}

export function renderJose(c: NodeConfig): string {
  const options = [
    `issuer: ${JSON.stringify(c.issuers)},`,
    ...(c.audiences.length > 0 ? [`audience: ${JSON.stringify(c.audiences)},`] : []),
    `algorithms: ${JSON.stringify(NODE_ALGORITHMS)},`,
    `clockTolerance: ${c.clockTolerance},`,
    `requiredClaims: ['exp'],`,
  ];
  return [
    `import { createRemoteJWKSet, jwtVerify } from 'jose';`,
    ``,
    `const keys = createRemoteJWKSet(new URL(${JSON.stringify(c.jwksUri)}));`,
    ``,
    `export async function verifyAccessToken(token) {`,
    `  const { payload: p } = await jwtVerify(token, keys, {`,
    ...options.map((o) => `    ${o}`),
    `  });`,
    intentCode(c.settings, '  '),
    `  return p;`,
    `}`,
    ``,
  ].join('\n');
}

export const joseProfile: ProfileSpec<NodeConfig> = {
  id: 'jose',
  name: 'jose jwtVerify + createRemoteJWKSet',
  fromSettings: nodeConfigFromSettings,
  judge: judgeJose,
  widen: widenNode,
  render: renderJose,
};
