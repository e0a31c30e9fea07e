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
// As a real app would: a rejected token is a 401 with a short body, not a logged stack trace.
app.use((error: { status?: number; message?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  res.status(error.status ?? 500).json({ error: error.message ?? 'error' });
});
app.listen(Number(process.env['PORT']), '127.0.0.1', () => console.log('ready'));
