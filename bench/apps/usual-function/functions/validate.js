// The usual Function: validation with jsonwebtoken + jwks-rsa, as most Azure Functions samples do,
// answering the decoded claims.
const { app } = require('@azure/functions');
const jwt = require('jsonwebtoken');
const jwksRsa = require('jwks-rsa');

const client = jwksRsa({ jwksUri: process.env.BENCH_JWKS_URI, cache: true, rateLimit: true, jwksRequestsPerMinute: 10 });
const getKey = (header, callback) => {
  client.getSigningKey(header.kid, (error, key) => callback(error, key && key.getPublicKey()));
};

app.http('validate', {
  route: 'echo',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async (request) => {
    const token = (request.headers.get('authorization') || '').replace(/^Bearer\s+/i, '');
    try {
      const claims = await new Promise((resolve, reject) =>
        jwt.verify(token, getKey, { algorithms: ['RS256'], audience: process.env.BENCH_AUDIENCE, issuer: process.env.BENCH_ISSUER }, (e, decoded) => (e ? reject(e) : resolve(decoded))),
      );
      return { jsonBody: claims };
    } catch (error) {
      return { status: 401, jsonBody: { error: error.message } };
    }
  },
});
