import { type NodeConfig, nodeConfigFromSettings, widenNode } from './node-config.js';
import { judgeJsonwebtoken, verifyOptions } from './jsonwebtoken.js';
import type { ProfileSpec } from './profile.js';
import { intentCode } from './token.js';

/**
 * express-jwt 8 on jwks-rsa's `expressJwtSecret`: `algorithms` is a required option (RangeError
 * otherwise), the key comes from `getSigningKey(header.kid)` and the token goes through jsonwebtoken
 * `verify(token, key, options)` with the middleware's own options [CODE auth0/express-jwt
 * `src/index.ts`; auth0/node-jwks-rsa `src/integrations/express.js`], so it decides as jsonwebtoken
 * does. The verified payload lands in `req.auth`; the snippet's second middleware checks the intent.
 */
export function renderExpressJwt(c: NodeConfig): string {
  return [
    `import { expressjwt } from 'express-jwt';`,
    `import jwksRsa from 'jwks-rsa';`,
    ``,
    `const verifyToken = expressjwt({`,
    `  secret: jwksRsa.expressJwtSecret({ jwksUri: ${JSON.stringify(c.jwksUri)}, cache: true, rateLimit: true }),`,
    verifyOptions(c, '  '),
    `});`,
    ``,
    `function authorize(req, res, next) {`,
    `  try {`,
    `    const p = req.auth;`,
    `    if (typeof p.exp !== 'number') throw new Error('the token has no exp');`,
    intentCode(c.settings, '    '),
    `    next();`,
    `  } catch (error) {`,
    `    res.status(403).json({ error: error.message });`,
    `  }`,
    `}`,
    ``,
    `// app.use('/api', requireAccessToken);`,
    `export const requireAccessToken = [verifyToken, authorize];`,
    ``,
  ].join('\n');
}

export const expressJwtProfile: ProfileSpec<NodeConfig> = {
  id: 'express-jwt',
  name: 'express-jwt + jwks-rsa',
  fromSettings: nodeConfigFromSettings,
  judge: judgeJsonwebtoken,
  widen: widenNode,
  render: renderExpressJwt,
};
