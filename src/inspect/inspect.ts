import type { Settings } from '../config.js';
import { isoTime } from '../report/format.js';
import { CHECK_NAMES } from '../report/reasons.js';
import { type Check, type Report, type TokenInfo, REPORT_VERSION, reason, sortReasons, verdictOf } from '../report/report.js';
import { summarize } from '../report/summary.js';
import { type Authorization, joinedSchemes, parseAuthorization } from './authorization.js';
import { checkAudience } from './checks/audience.js';
import { checkCaller } from './checks/caller.js';
import { checkClient } from './checks/client.js';
import { checkIssuer } from './checks/issuer.js';
import { checkLifetime } from './checks/lifetime.js';
import { checkScope } from './checks/scope.js';
import { checkAlgorithm, checkSignature } from './checks/signature.js';
import { checkTenant } from './checks/tenant.js';
import { memoizedClaimFindings } from './claim-memo.js';
import { connectorInfo } from './connector.js';
import { Findings } from './findings.js';
import type { KeySource, MetadataResult } from './key-source.js';
import { notBearerMessage, redactAuthorization } from './redact.js';
import { type RequestFacts, headerMap } from './request-facts.js';
import { requestInfo } from './request-info.js';
import { type TokenFacts, tokenFacts } from './token-memo.js';

export interface InspectOptions {
  now: Date;
  id: string;
}

/**
 * Builds the report for one call: parse the Authorization header, decode the token, and run the
 * checks in Microsoft.IdentityModel's order (signature and signing-key issuer, then lifetime,
 * audience, issuer), then Microsoft.Identity.Web's scope/role rule and the client allow-list.
 * Like .NET, a key that is not found does not stop the other checks, so the report names the most
 * useful failure. Each check lives in ./checks/, citing the Microsoft code and tests it follows
 * (facts and sources: shared/reference/entra-token-validation.md §0-1.4; the cases drawn from
 * Microsoft's tests run in test/inspect/microsoft-parity). Pure but for the key source; never throws for any input.
 */
export async function inspect(facts: RequestFacts, settings: Settings, keys: KeySource | null, options: InspectOptions): Promise<Report> {
  const headers = headerMap(facts.headers);
  const findings = new Findings();
  // Read once, for the checks and for the header's redacted display.
  const authorization = headers.get('authorization');
  const auth = parseAuthorization(authorization);
  const request = requestInfo(facts, headers, auth, findings, settings.strict);
  const connector = connectorInfo(headers);
  if (connector.oboHeader === null) findings.add(OBO_ABSENT);
  const token = await inspectToken(authorization, auth, settings, keys, options.now, findings);
  // The connector runtime's caller headers against the token: per call (the headers change), so outside the claim memo.
  if (token !== null && token.claims !== null) checkCaller(token.claims, token.client, headers, findings);
  const reasons = sortReasons(findings.reasons);
  const verdict = verdictOf(reasons, findings.signatureVerified);
  return {
    reportVersion: REPORT_VERSION,
    id: options.id,
    receivedAt: isoTime(options.now),
    verdict,
    summary: summarize(verdict, reasons, token),
    checks: CHECK_NAMES.map((name) => findings.checks.get(name) ?? { name, status: 'skip', detail: 'not reached' }),
    reasons,
    token,
    connector,
    request,
  };
}

// Findings that are the same on every call, shared (frozen) by the reports that carry them.
const OBO_ABSENT = Object.freeze(reason('OBO_HEADER_ABSENT', 'No x-ms-apihub-obo header on this call: the connector runtime shows it only on the response it hands the flow.'));

const COMPACT_JWS = 'compact JWS: 3 base64url parts, JSON header and claims';
const EXPECTED_FORMAT = 'Authorization: Bearer <JWT> (RFC 6750)';

async function inspectToken(
  authorization: string | undefined,
  auth: Authorization,
  settings: Settings,
  keys: KeySource | null,
  now: Date,
  f: Findings,
): Promise<TokenInfo | null> {
  if (auth.kind === 'none') {
    f.fail('format', reason('NO_TOKEN', 'the call has no Authorization header, so the connector sent no token.'), { expected: EXPECTED_FORMAT, found: 'no Authorization header' });
    f.skipRest('no token');
    return null;
  }
  if (auth.kind === 'empty_bearer') {
    f.fail('format', reason('NO_TOKEN', 'the Authorization header says "Bearer" but carries no token.'), { expected: EXPECTED_FORMAT, found: 'Bearer with nothing after it' });
    f.skipRest('no token');
    return null;
  }
  // A JWT holds no comma: only then is the value looked at for two headers joined into one.
  const joined = joinedSchemes(authorization);
  if (joined !== null) {
    f.fail(
      'format',
      reason(
        'REPEATED_AUTHORIZATION',
        `the call carried ${joined.length} Authorization values (${joined.join(', ')}), which the Functions host joins into one, separated by ", ": the request sets the header twice (for example a connector policy or a header parameter beside the connection's own token).`,
      ),
      { expected: EXPECTED_FORMAT, found: `${joined.length} values joined by ", ": ${joined.join(', ')}` },
    );
    f.skipRest('two Authorization headers');
    return null;
  }
  if (auth.kind === 'other') {
    f.fail('format', reason('NOT_BEARER', notBearerMessage(auth)), {
      expected: EXPECTED_FORMAT,
      found: redactAuthorization(authorization ?? '', auth),
    });
    f.skipRest('no bearer token');
    return null;
  }

  const raw = auth.token;
  const facts = tokenFacts(raw);
  const { decoded } = facts;
  const info: TokenInfo = {
    header: decoded.header,
    claims: decoded.claims,
    times: facts.times,
    expiresIn: null,
    version: null,
    kind: null,
    client: null,
    fingerprint: facts.fingerprint,
    claimDescriptions: facts.claimDescriptions,
  };
  if (!decoded.ok) {
    const code = decoded.kind === 'too_large' ? 'TOKEN_TOO_LARGE' : decoded.kind === 'encrypted' ? 'ENCRYPTED_TOKEN' : 'MALFORMED_TOKEN';
    const found = decoded.kind === 'too_large' ? `${Buffer.byteLength(raw, 'utf8')} bytes` : decoded.problem;
    f.fail('format', reason(code, `the bearer token cannot be read: ${decoded.problem}.`), {
      expected: decoded.kind === 'too_large' ? 'at most 16384 bytes' : COMPACT_JWS,
      found,
    });
    f.skipRest('the token could not be decoded');
    return info;
  }
  const { header, claims } = decoded;
  f.checks.set('format', formatPass(facts, raw.length));

  const { kind, client, metadataVersion } = facts;
  info.version = facts.version;
  info.kind = kind;
  info.client = client;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (info.times.exp) info.expiresIn = Math.round(info.times.exp.epoch - nowSeconds);

  const algOk = checkAlgorithm(header, f);
  // AadIssuerValidator chooses the metadata by the shape of iss, not by ver (checks/token-kind.ts, token-memo.ts).
  const metadata: MetadataResult | null = keys ? await keys.metadata(metadataVersion) : null;
  await checkSignature(raw, info.fingerprint, header, settings, keys, algOk, metadataVersion, f);
  const claimFindings = memoizedClaimFindings(facts, settings, metadata, f.signingKey, (g) => {
    checkIssuer(claims, metadata, metadataVersion, g, f.signingKey);
    checkTenant(claims, settings, metadata, g);
    checkAudience(claims, header, settings, g);
    checkScope(claims, kind, settings, g);
    checkClient(client, settings, g);
  });
  for (const [name, check] of claimFindings.checks) f.checks.set(name, check);
  for (const r of claimFindings.reasons) f.add(r);
  checkLifetime(claims, facts.times, settings, nowSeconds, f);
  return info;
}

const formatPasses = new WeakMap<TokenFacts, Check>();

/** The passed format check of a token: the same on every call with it. */
function formatPass(facts: TokenFacts, length: number): Check {
  let check = formatPasses.get(facts);
  if (check === undefined) {
    check = Object.freeze({ name: 'format', status: 'pass', expected: COMPACT_JWS, found: `JWT of ${length} characters` });
    formatPasses.set(facts, check);
  }
  return check;
}
