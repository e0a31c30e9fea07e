import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * A local Application Insights ingestion endpoint over HTTPS, with a certificate made for this run
 * (openssl), so the real SDK posts to it exactly as to Azure: POST /v2.1/track, a JSON array of
 * envelopes. The SDK's process trusts the certificate through NODE_EXTRA_CA_CERTS.
 */
export interface Envelope {
  name: string;
  iKey: string;
  tags: Record<string, string>;
  data: { baseType: string; baseData: { name?: string; properties?: Record<string, string>; measurements?: Record<string, number> } };
}

export interface Ingestion {
  url: string;
  certFile: string;
  /** Every request body received, decoded, in order. */
  bodies: string[];
  envelopes(): Envelope[];
  stop(): Promise<void>;
}

export async function startIngestion(): Promise<Ingestion> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'token-echo-ingest-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const bodies: string[] = [];
  const server = https.createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const text = body.toString('utf8');
      bodies.push(`${req.method} ${req.url}\n${text}`);
      let count: number;
      try {
        const parsed = JSON.parse(text) as unknown;
        count = Array.isArray(parsed) ? parsed.length : 1;
      } catch {
        count = 0;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ itemsReceived: count, itemsAccepted: count, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/`,
    certFile,
    bodies,
    envelopes() {
      const out: Envelope[] = [];
      for (const entry of bodies) {
        const [line, ...rest] = entry.split('\n');
        if (!line?.includes('/v2.1/track')) continue;
        try {
          const parsed = JSON.parse(rest.join('\n')) as Envelope | Envelope[];
          out.push(...(Array.isArray(parsed) ? parsed : [parsed]));
        } catch {
          // not an envelope batch
        }
      }
      return out;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
