import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * An https front for the local authority, for passport-azure-ad, which refuses a non-https
 * `identityMetadata` (lib/bearerstrategy.js). Requests are passed through; in metadata documents only
 * `jwks_uri` is pointed at this front (the `issuer` is left as the authority wrote it, so tokens'
 * `iss` still match). The certificate is made for the occasion by openssl and deleted at close.
 */
export interface TlsFront {
  url: string;
  caPem: string;
  close(): Promise<void>;
}

export async function startTlsFront(upstream: string): Promise<TlsFront> {
  const dir = mkdtempSync(join(tmpdir(), 'token-echo-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const key = readFileSync(keyFile, 'utf8');
  const cert = readFileSync(certFile, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  let front = '';
  const server = https.createServer({ key, cert }, (req, res) => {
    void (async () => {
      try {
        const answer = await fetch(upstream + (req.url ?? '/'));
        let body = await answer.text();
        if ((req.url ?? '').includes('/.well-known/openid-configuration') && answer.ok) {
          const doc = JSON.parse(body) as Record<string, unknown>;
          if (typeof doc['jwks_uri'] === 'string') doc['jwks_uri'] = doc['jwks_uri'].replace(upstream, front);
          body = JSON.stringify(doc);
        }
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(body);
      } catch (error) {
        res.writeHead(502).end(String(error));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  front = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: front,
    caPem: cert,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
