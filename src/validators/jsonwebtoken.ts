import { NODE_ALGORITHMS, type NodeConfig, nodeConfigFromSettings, widenNode } from './node-config.js';
import type { ProfileSpec } from './profile.js';
import { ACCEPT, type Judgement, type TokenFacts, algJudgement, audiencesOf, intentCode, intentRefusal, refuse, show, signatureJudgement } from './token.js';

/**
 * jsonwebtoken 9 `verify(token, key, options)` with the key from jwks-rsa `getSigningKey(kid)`
 * [CODE auth0/node-jsonwebtoken `verify.js`; auth0/node-jwks-rsa `src/JwksClient.js`]: the key by
 * `kid` (SigningKeyNotFoundError otherwise), `algorithms` ("invalid algorithm"), the signature, then
 * `nbf` only if present (refused when nbf > now + clockTolerance), `exp` only if present (refused
 * when now >= exp + clockTolerance), `aud` (exact or RegExp, any overlap), `iss` (exact, one of).
 * `clockTolerance` defaults to 0. `exp` is required by the snippet's own code (the library does not).
 */
const SOURCE = 'CODE JWT verify.js';

export function judgeJsonwebtoken(c: NodeConfig, facts: TokenFacts): Judgement {
  const claims = facts.claims;
  const sig = signatureJudgement(facts, 'CODE JWKS JwksClient.js getSigningKey');
  if (sig?.verdict === 'unknown') return sig;
  const alg = algJudgement(facts.header, NODE_ALGORITHMS, SOURCE, 'algorithms');
  if (alg) return alg;
  if (sig) return sig;
  const tol = c.clockTolerance;
  if (claims['nbf'] !== undefined) {
    if (typeof claims['nbf'] !== 'number') return refuse('nbf', 'a number', show(claims['nbf']), SOURCE);
    if (claims['nbf'] > facts.nowSec + tol) return refuse('nbf', `nbf <= now + ${tol} s`, `nbf is ${claims['nbf'] - facts.nowSec} s from now`, SOURCE, 'clockTolerance');
  }
  if (claims['exp'] !== undefined) {
    if (typeof claims['exp'] !== 'number') return refuse('exp', 'a number', show(claims['exp']), SOURCE);
    if (facts.nowSec >= claims['exp'] + tol) return refuse('exp', `now < exp + ${tol} s`, `expired ${facts.nowSec - claims['exp']} s ago`, SOURCE, 'clockTolerance');
  }
  if (c.audiences.length > 0) {
    const target = audiencesOf(claims);
    if (!target.some((a) => c.audiences.includes(a))) return refuse('aud', c.audiences.join(' or '), show(claims['aud']), SOURCE, 'audience');
  }
  if (typeof claims['iss'] !== 'string' || !c.issuers.includes(claims['iss'])) return refuse('iss', c.issuers.join(' or '), show(claims['iss']), SOURCE, 'issuer');
  if (typeof claims['exp'] !== 'number') return refuse('exp', 'an exp claim (the snippet requires it)', '(absent)', 'token-echo settings (snippet code)');
  return intentRefusal(claims, c.settings, 'token-echo settings (snippet code after verify)') ?? ACCEPT;
}

export function verifyOptions(c: NodeConfig, indent: string): string {
  return [
    `algorithms: ${JSON.stringify(NODE_ALGORITHMS)},`,
    `issuer: ${JSON.stringify(c.issuers)},`,
    ...(c.audiences.length > 0 ? [`audience: ${JSON.stringify(c.audiences)},`] : []),
    `clockTolerance: ${c.clockTolerance},`,
  ]
    .map((l) => indent + l)
    .join('\n');
}

export function renderJsonwebtoken(c: NodeConfig): string {
  return [
    `import jwt from 'jsonwebtoken';`,
    `import jwksRsa from 'jwks-rsa';`,
    ``,
    `const jwks = jwksRsa({ jwksUri: ${JSON.stringify(c.jwksUri)}, cache: true, rateLimit: true });`,
    ``,
    `export async function verifyAccessToken(token) {`,
    `  const kid = jwt.decode(token, { complete: true })?.header?.kid;`,
    `  const key = await jwks.getSigningKey(kid);`,
    `  const p = jwt.verify(token, key.getPublicKey(), {`,
    verifyOptions(c, '    '),
    `  });`,
    `  if (typeof p.exp !== 'number') throw new Error('the token has no exp');`,
    intentCode(c.settings, '  '),
    `  return p;`,
    `}`,
    ``,
  ].join('\n');
}

export const jsonwebtokenProfile: ProfileSpec<NodeConfig> = {
  id: 'jsonwebtoken',
  name: 'jsonwebtoken + jwks-rsa',
  fromSettings: nodeConfigFromSettings,
  judge: judgeJsonwebtoken,
  widen: widenNode,
  render: renderJsonwebtoken,
};
