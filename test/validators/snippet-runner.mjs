// Runs token-echo's generated snippets, exactly as a user would paste them, in a plain Node process
// (real ESM/CommonJS resolution, no test-runner transforms), against the local stand-in authority.
// Input (stdin, JSON): { dir, caPem, passportOrigin: { from, to }, jobs: [{ id, library, snippet, token }] }.
// Output (stdout, JSON): [{ id, verdict: 'accept' | 'refuse' | 'error', detail }]. Tokens come only
// through stdin and are never written to disk.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { setTimeout } from 'node:timers';
import { pathToFileURL } from 'node:url';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));

// passport-azure-ad fetches metadata with node:https through the global agent (lib/metadata.js).
https.globalAgent.options.ca = input.caPem;
mkdirSync(input.dir, { recursive: true });

const loaded = new Map();
async function load(library, snippet) {
  // passport-azure-ad refuses a non-https identityMetadata; only that line is pointed at the TLS front.
  const text =
    library === 'passport-azure-ad'
      ? snippet.replace(/^(\s*identityMetadata: ")([^"]*)/m, (_m, head, url) => head + url.replace(input.passportOrigin.from, input.passportOrigin.to))
      : snippet;
  const key = createHash('sha256').update(library + '\n' + text).digest('hex').slice(0, 24);
  if (!loaded.has(key)) {
    const file = join(input.dir, `${key}.mjs`);
    writeFileSync(file, text);
    loaded.set(key, await import(pathToFileURL(file).href));
  }
  return loaded.get(key);
}

function withTimeout(promise) {
  return Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve({ verdict: 'error', detail: 'timed out after 15 s' }), 15_000).unref())]);
}

async function runVerifyFunction(mod, token) {
  try {
    await mod.verifyAccessToken(token);
    return { verdict: 'accept', detail: '' };
  } catch (error) {
    const code = error?.code ? `${error.code}${error.claim ? `:${error.claim}` : ''}` : null;
    return { verdict: 'refuse', detail: String(code ?? error?.message ?? error) };
  }
}

function runExpress(mod, token) {
  const [verifyToken, authorize] = mod.requireAccessToken;
  return new Promise((resolve) => {
    const req = { headers: { authorization: `Bearer ${token}` }, method: 'GET' };
    const res = {
      status() {
        return this;
      },
      json(body) {
        resolve({ verdict: 'refuse', detail: JSON.stringify(body) });
      },
    };
    verifyToken(req, res, (err) => {
      if (err) return resolve({ verdict: 'refuse', detail: String(err.code ?? err.message) });
      authorize(req, res, () => resolve({ verdict: 'accept', detail: '' }));
    });
  });
}

function runPassport(mod, token) {
  return new Promise((resolve) => {
    const strategy = Object.create(mod.bearerStrategy);
    strategy.success = () => resolve({ verdict: 'accept', detail: '' });
    strategy.fail = (message) => resolve({ verdict: 'refuse', detail: String(message) });
    strategy.error = (error) => resolve({ verdict: 'error', detail: String(error?.message ?? error) });
    strategy.authenticate({ headers: { authorization: `Bearer ${token}` }, query: {}, body: {} }, {});
  });
}

const results = [];
for (const job of input.jobs) {
  let outcome;
  try {
    const mod = await load(job.library, job.snippet);
    if (job.library === 'express-jwt') outcome = await withTimeout(runExpress(mod, job.token));
    else if (job.library === 'passport-azure-ad') outcome = await withTimeout(runPassport(mod, job.token));
    else outcome = await withTimeout(runVerifyFunction(mod, job.token));
  } catch (error) {
    outcome = { verdict: 'error', detail: String(error?.message ?? error) };
  }
  results.push({ id: job.id, ...outcome });
}
process.stdout.write(JSON.stringify(results));
process.exit(0);
