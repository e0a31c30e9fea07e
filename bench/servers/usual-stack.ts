import express from 'express';
import { expressjwt, type Request as JwtRequest } from 'express-jwt';
import jwksRsa from 'jwks-rsa';

/** The usual stack: express + express-jwt + jwks-rsa validating the same token against the same authority. */
const app = express();
app.use(
  expressjwt({
    secret: jwksRsa.expressJwtSecret({ jwksUri: process.env['BENCH_JWKS_URI'] ?? '', cache: true, rateLimit: true, jwksRequestsPerMinute: 10 }) as never,
    audience: process.env['BENCH_AUDIENCE'] ?? '',
    issuer: process.env['BENCH_ISSUER'] ?? '',
    algorithms: ['RS256'],
  }),
);
app.get('/api/echo', (req: JwtRequest, res) => {
  res.json(req.auth);
});
app.listen(Number(process.env['PORT']), '127.0.0.1', () => console.log('ready'));
