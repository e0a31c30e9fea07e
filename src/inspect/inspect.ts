import { compactVerify } from 'jose/jws/compact/verify';

import { type Settings, isGuid } from '../config.js';
import { humanDuration, show } from '../report/format.js';
import { CHECK_NAMES, type CheckName } from '../report/reasons.js';
import {
  type Check,
  type Reason,
  type Report,
  type RequestInfo,
  type TokenInfo,
  type TokenKind,
  type TokenVersion,
  REPORT_VERSION,
  reason,
  sortReasons,
  verdictOf,
} from '../report/report.js';
import { summarize } from '../report/summary.js';
import { audiencesOf, guidOf, isApiHubAudience, isGraphAudience, nearMiss } from './audience.js';
import { connectorInfo } from './connector.js';
import { type TokenFacts, tokenFacts } from './token-memo.js';
import type { KeyLookup, KeySource, MetadataResult, SigningKey, TenantMetadata } from './key-source.js';
import { type Authorization, parseAuthorization } from './authorization.js';
import { notBearerMessage, redactAuthorization, shownHeaders, shownQuery } from './redact.js';
import { type RequestFacts, headerMap } from './request-facts.js';

export interface InspectOptions {
  now: Date;
  id: string;
}

/**
 * Builds the report for one call: parse the Authorization header, decode the token, and run the
 * checks in Microsoft.IdentityModel's order (signature and signing-key issuer, then lifetime,
 * audience, issuer), then Microsoft.Identity.Web's scope/role rule and the client allow-list.
 * Like .NET, a key that is not found does not stop the other checks, so the report names the most
 * useful failure. Pure but for the key source; never throws for any input.
 */
export async function inspect(facts: RequestFacts, settings: Settings, keys: KeySource | null, options: InspectOptions): Promise<Report> {
  const headers = headerMap(facts.headers);
  const findings = new Findings();
  // Read once, for the checks and for the header's redacted display.
  const authorization = headers.get('authorization');
  const auth = parseAuthorization(authorization);
  const request = requestInfo(facts, headers, auth);
  const connector = connectorInfo(headers);
  if (connector.oboHeader === null) findings.add(OBO_ABSENT);
  const token = await inspectToken(authorization, auth, settings, keys, options.now, findings);
  const reasons = sortReasons(findings.reasons);
  const verdict = verdictOf(reasons, findings.signatureVerified);
  return {
    reportVersion: REPORT_VERSION,
    id: options.id,
    receivedAt: options.now.toISOString(),
    verdict,
    summary: summarize(verdict, reasons, token),
    checks: CHECK_NAMES.map((name) => findings.checks.get(name) ?? { name, status: 'skip', detail: 'not reached' }),
    reasons,
    token,
    connector,
    request,
  };
}

class Findings {
  readonly checks = new Map<CheckName, Check>();
  readonly reasons: Reason[] = [];
  signatureVerified = false;
  /** The tenant key that matched the token's kid, for the signing-key issuer check. */
  signingKey: SigningKey | undefined = undefined;

  add(r: Reason): void {
    if (!this.reasons.some((x) => x.code === r.code)) this.reasons.push(r);
  }
  set(name: CheckName, status: Check['status'], fields: { expected?: string; found?: string; detail?: string } = {}): void {
    const check: Check = { name, status };
    if (fields.expected !== undefined) check.expected = fields.expected;
    if (fields.found !== undefined) check.found = fields.found;
    if (fields.detail !== undefined) check.detail = fields.detail;
    this.checks.set(name, check);
  }
  fail(name: CheckName, r: Reason, fields: { expected?: string; found?: string; detail?: string } = {}): void {
    this.add(r);
    // The first failure of a check is the one shown in it; later reasons still appear in `reasons`.
    if (this.checks.get(name)?.status !== 'fail') this.set(name, 'fail', fields);
  }
  skipRest(detail: string): void {
    for (const name of CHECK_NAMES) if (!this.checks.has(name)) this.set(name, 'skip', { detail });
  }
}

// Findings that are the same on every call, shared (frozen) by the reports that carry them.
const OBO_ABSENT = Object.freeze(reason('OBO_HEADER_ABSENT', 'No x-ms-apihub-obo header on this call: the connector runtime shows it only on the response it hands the flow.'));
const NOT_CONFIGURED = Object.freeze(
  reason('NOT_CONFIGURED', 'no tenant is configured (TOKEN_ECHO_TENANT_ID), so the token was decoded and explained but its signature, issuer and tenant were not checked.'),
);
const ALGORITHM_PASS: Check = Object.freeze({ name: 'algorithm', status: 'pass', expected: 'RS256', found: 'RS256' });

const COMPACT_JWS = 'compact JWS: 3 base64url parts, JSON header and claims';

async function inspectToken(
  authorization: string | undefined,
  auth: Authorization,
  settings: Settings,
  keys: KeySource | null,
  now: Date,
  f: Findings,
): Promise<TokenInfo | null> {
  const expectedFormat = 'Authorization: Bearer <JWT> (RFC 6750)';
  if (auth.kind === 'none') {
    f.fail('format', reason('NO_TOKEN', 'the call has no Authorization header, so the connector sent no token.'), { expected: expectedFormat, found: 'no Authorization header' });
    f.skipRest('no token');
    return null;
  }
  if (auth.kind === 'empty_bearer') {
    f.fail('format', reason('NO_TOKEN', 'the Authorization header says "Bearer" but carries no token.'), { expected: expectedFormat, found: 'Bearer with nothing after it' });
    f.skipRest('no token');
    return null;
  }
  if (auth.kind === 'other') {
    f.fail('format', reason('NOT_BEARER', notBearerMessage(auth)), {
      expected: expectedFormat,
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

  const version = tokenVersion(claims);
  const kind = tokenKind(claims);
  const client = str(claims['azp']) ?? str(claims['appid']);
  info.version = version;
  info.kind = kind;
  info.client = client;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (info.times.exp) info.expiresIn = Math.round(info.times.exp.epoch - nowSeconds);

  // algorithm: an allow-list of one (Entra metadata advertises only RS256), decided before any key is used.
  const alg = header['alg'];
  const algOk = alg === 'RS256';
  if (algOk) f.checks.set('algorithm', ALGORITHM_PASS);
  else {
    const kindOfAlg =
      typeof alg === 'string' && alg.toLowerCase() === 'none'
        ? 'an unsigned token'
        : typeof alg === 'string' && /^HS/i.test(alg)
          ? 'an HMAC (shared-secret) signature, the key-confusion attack when the secret is a public key'
          : 'an algorithm Entra does not use';
    f.fail('algorithm', reason('ALG_NOT_ALLOWED', `the token's alg is ${show(alg)}: ${kindOfAlg}; only RS256 is accepted.`), { expected: 'RS256', found: show(alg) });
  }

  const metadata: MetadataResult | null = keys ? await keys.metadata(version ?? '2.0') : null;
  await checkSignature(raw, info.fingerprint, header, settings, keys, algOk, version ?? '2.0', f);
  // The claim checks depend only on the token, the settings, the tenant's metadata and the signing
  // key: a token sent again meets the same ones, so they are worked out once (lifetime is per call).
  const claimFindings = memoized(facts, settings, metadata, f.signingKey, () => {
    const g = new Findings();
    checkIssuer(claims, metadata, version, g, f.signingKey);
    checkTenant(claims, settings, metadata, g);
    checkAudience(claims, header, settings, g);
    checkScope(claims, kind, settings, g);
    checkClient(client, settings, g);
    return g;
  });
  for (const [name, check] of claimFindings.checks) f.checks.set(name, check);
  for (const r of claimFindings.reasons) f.add(r);
  checkLifetime(claims, facts.times, settings, nowSeconds, f);
  return info;
}

interface ClaimFindingsMemo {
  settings: Settings;
  metadata: TenantMetadata | null;
  key: SigningKey | undefined;
  findings: Findings;
}
const claimMemo = new WeakMap<TokenFacts, ClaimFindingsMemo>();

function memoized(facts: TokenFacts, settings: Settings, metadata: MetadataResult | null, key: SigningKey | undefined, compute: () => Findings): Findings {
  // Only results from settled inputs are kept: no metadata configured, or metadata fetched.
  if (metadata !== null && !metadata.ok) return compute();
  const metadataRef = metadata === null ? null : metadata.metadata;
  const known = claimMemo.get(facts);
  if (known && known.settings === settings && known.metadata === metadataRef && known.key === key) return known.findings;
  const findings = compute();
  for (const check of findings.checks.values()) Object.freeze(check);
  for (const r of findings.reasons) Object.freeze(r);
  claimMemo.set(facts, { settings, metadata: metadataRef, key, findings });
  return findings;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** `ver` decides which metadata applies (Microsoft: validate v1.0 tokens with v1 metadata); without it, the shape of `iss`. */
export function tokenVersion(claims: Record<string, unknown>): TokenVersion | null {
  const ver = claims['ver'];
  if (ver === '1.0' || ver === '2.0') return ver;
  const iss = str(claims['iss']);
  if (iss === null) return null;
  if (/\/v2\.0\/?$/.test(iss)) return '2.0';
  if (/^https:\/\/sts\./i.test(iss)) return '1.0';
  return null;
}

/** `scp` means a user (delegated) token; `idtyp: app` or roles without `scp` an app-only one (claims-validation guidance). */
export function tokenKind(claims: Record<string, unknown>): TokenKind | null {
  if (str(claims['scp']) !== null) return 'user';
  if (claims['idtyp'] === 'app') return 'app';
  if (claims['idtyp'] === 'user') return 'user';
  if (stringList(claims['roles']).length > 0) return 'app';
  return null;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

async function checkSignature(
  raw: string,
  tokenFingerprint: string,
  header: Record<string, unknown>,
  settings: Settings,
  keys: KeySource | null,
  algOk: boolean,
  version: TokenVersion,
  f: Findings,
): Promise<void> {
  if (keys === null || settings.tenant === null) {
    f.add(NOT_CONFIGURED);
    f.set('signature', 'skip', { detail: 'TOKEN_ECHO_TENANT_ID is not set' });
    return;
  }
  if (!algOk) {
    f.set('signature', 'skip', { detail: 'refused before any key was used: the algorithm is not allowed' });
    return;
  }
  // jku, x5u, jwk and x5c in the header are never used: kid/x5t only select a key of the configured tenant.
  const kid = str(header['kid']) ?? undefined;
  const x5t = str(header['x5t']) ?? undefined;
  let lookup: KeyLookup;
  try {
    lookup = await keys.findKey({ version, kid, x5t, appIds: appIdsOf(settings) });
  } catch (error) {
    lookup = { status: 'unavailable', problem: error instanceof Error ? error.message : String(error) };
  }
  const tenantText = `tenant ${settings.tenant}`;
  // Only failures name the kid: worked out when needed, not on every verified call.
  const kidText = (): string => (kid !== undefined ? `kid ${show(kid)}` : x5t !== undefined ? `x5t ${show(x5t)}` : 'no kid');
  switch (lookup.status) {
    case 'unavailable':
      f.add(reason('KEYS_UNAVAILABLE', `the signing keys of ${tenantText} could not be fetched (${lookup.problem}), so the signature was not checked.`));
      f.set('signature', 'skip', { expected: `an RS256 signature by a key of ${tenantText}`, detail: lookup.problem });
      return;
    case 'not_found':
      f.fail(
        'signature',
        reason('KEY_NOT_FOUND', `no key of ${tenantText} has the token's ${kidText()} (${lookup.keyCount} keys checked, after a refresh): it was signed by another tenant, cloud or key.`),
        { expected: `a kid among the ${lookup.keyCount} keys at ${lookup.metadata.jwksUri}`, found: kidText() },
      );
      return;
    case 'app_specific': {
      const ok = await verifies(raw, lookup.key, tokenFingerprint);
      f.fail(
        'signature',
        reason(
          'APP_SPECIFIC_KEY',
          `the token's ${kidText()} is not in the tenant's key set but in the app-specific set of ${lookup.appId} (jwks_uri?appid=${lookup.appId}); the signature ${ok ? 'verifies' : 'does not verify'} with it.`,
        ),
        { expected: `a kid among the keys at ${lookup.metadata.jwksUri}`, found: `${kidText()}, in the key set for appid ${lookup.appId}` },
      );
      return;
    }
    case 'found': {
      f.signingKey = lookup.key;
      if (await verifies(raw, lookup.key, tokenFingerprint)) {
        f.signatureVerified = true;
        f.checks.set('signature', signaturePass(lookup.key, tenantText));
      } else {
        const graphish = 'nonce' in header ? ' The header carries a "nonce": Microsoft Graph tokens are signed over a hashed nonce and never verify elsewhere.' : '';
        f.fail('signature', reason('SIGNATURE_INVALID', `the signature does not verify with the tenant's key ${show(lookup.key.kid)}: the token was altered or is not for this API.${graphish}`), {
          expected: `an RS256 signature by key ${show(lookup.key.kid)}`,
          found: 'a signature that does not verify',
        });
      }
      return;
    }
  }
}

/** The client-ID GUIDs among the configured audiences, whose app-specific key sets may be looked up: once per settings. */
const appIdsBySettings = new WeakMap<Settings, readonly string[]>();
function appIdsOf(settings: Settings): readonly string[] {
  let appIds = appIdsBySettings.get(settings);
  if (appIds === undefined) {
    appIds = Object.freeze([...new Set(settings.audiences.map(guidOf).filter((g): g is string => g !== null))]);
    appIdsBySettings.set(settings, appIds);
  }
  return appIds;
}

async function verifies(raw: string, key: SigningKey, tokenFingerprint: string): Promise<boolean> {
  if (key.verified.has(tokenFingerprint)) return true;
  try {
    await compactVerify(raw, key.key, { algorithms: ['RS256'] });
    key.verified.add(tokenFingerprint);
    return true;
  } catch {
    return false;
  }
}

const V1_ISS = /^https:\/\/sts\.[^/]+\/([0-9a-f-]{36})\/$/i;
const V2_ISS = /^https?:\/\/[^/]+\/([0-9a-f-]{36})\/v2\.0$/i;

function checkIssuer(
  claims: Record<string, unknown>,
  metadata: MetadataResult | null,
  version: TokenVersion | null,
  f: Findings,
  signingKey: SigningKey | undefined,
): void {
  const shownIss = str(claims['iss']) ?? 'no iss';
  if (metadata === null) {
    f.set('issuer', 'skip', { detail: 'TOKEN_ECHO_TENANT_ID is not set', found: shownIss });
    return;
  }
  if (!metadata.ok) {
    f.set('issuer', 'skip', { detail: `the tenant's metadata could not be fetched: ${metadata.problem}`, found: shownIss });
    return;
  }
  const iss = str(claims['iss']);
  const tid = str(claims['tid']);
  // Microsoft.IdentityModel.Validators.AadIssuerValidator: the metadata issuer is a template; {tenantid} becomes the token's tid.
  const expected = tid !== null && isGuid(tid) ? metadata.metadata.issuer.replace('{tenantid}', tid) : metadata.metadata.issuer;
  const ver = version ?? '2.0';
  if (iss === null) {
    f.fail('issuer', reason('ISSUER_MISMATCH', 'the token has no iss claim.'), { expected, found: 'no iss' });
    return;
  }
  if (iss !== expected) {
    let why = '';
    if (ver === '2.0' && V1_ISS.test(iss)) why = ' It has the v1.0 form (https://sts.windows.net/{tid}/) on a token whose ver is 2.0.';
    else if (ver === '1.0' && V2_ISS.test(iss)) why = ' It has the v2.0 form (.../{tid}/v2.0) on a token whose ver is 1.0.';
    else if (iss.replace(/\/$/, '') === expected.replace(/\/$/, '')) why = ' They differ only by a trailing slash.';
    f.fail('issuer', reason('ISSUER_MISMATCH', `the token's iss ${show(iss)} is not the issuer the tenant's v${ver} metadata names (${show(expected)}).${why}`), {
      expected,
      found: iss,
    });
    return;
  }
  // EnableAadSigningKeyIssuerValidation: a key's own issuer, with {tenantid} → tid, must equal iss.
  if (signingKey?.issuer) {
    const keyIssuer = tid !== null ? signingKey.issuer.replace('{tenantid}', tid) : signingKey.issuer;
    if (keyIssuer !== iss) {
      f.fail('issuer', reason('ISSUER_MISMATCH', `the token's iss ${show(iss)} does not match the issuer of the key that signed it (${show(keyIssuer)}), IDX40005.`), {
        expected: `${expected} (and the signing key's issuer)`,
        found: `${iss}, signed by a key for ${keyIssuer}`,
      });
      return;
    }
  }
  f.set('issuer', 'pass', { expected, found: iss, ...(signingKey?.issuer ? { detail: 'the signing key\'s issuer matches too' } : {}) });
}

function checkTenant(claims: Record<string, unknown>, settings: Settings, metadata: MetadataResult | null, f: Findings): void {
  const tid = str(claims['tid']);
  const iss = str(claims['iss']) ?? '';
  const issTenant = (V1_ISS.exec(iss) ?? V2_ISS.exec(iss))?.[1]?.toLowerCase() ?? null;
  // The tenant the configuration trusts: the configured GUID, or the GUID in a domain tenant's metadata issuer.
  let expectedTenant: string | null = null;
  if (settings.tenant !== null && isGuid(settings.tenant)) expectedTenant = settings.tenant;
  else if (metadata?.ok) expectedTenant = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i.exec(metadata.metadata.issuer)?.[1]?.toLowerCase() ?? null;
  const expected = expectedTenant ?? (settings.tenant === null ? 'a GUID equal to the tenant in iss' : `the tenant of ${settings.tenant}`);

  if (tid === null || !isGuid(tid)) {
    f.fail('tenant', reason('TENANT_MISMATCH', `the token's tid ${tid === null ? 'is missing' : `${show(tid)} is not a GUID`}; Entra access tokens always carry the tenant GUID.`), {
      expected,
      found: tid === null ? 'no tid' : show(tid),
    });
    return;
  }
  if (issTenant !== null && issTenant !== tid.toLowerCase()) {
    f.fail('tenant', reason('TENANT_MISMATCH', `the token's tid ${tid} differs from the tenant in its iss (${issTenant}).`), { expected: `tid equal to the tenant in iss (${issTenant})`, found: tid });
    return;
  }
  if (expectedTenant !== null && tid.toLowerCase() !== expectedTenant) {
    f.fail('tenant', reason('TENANT_MISMATCH', `the token is from tenant ${tid}, not the configured tenant ${expectedTenant}: the user signed in to another directory.`), {
      expected: expectedTenant,
      found: tid,
    });
    return;
  }
  if (settings.tenant === null) f.set('tenant', 'pass', { expected, found: tid, detail: 'no tenant configured: only checked that tid is a GUID matching iss' });
  else if (expectedTenant === null) f.set('tenant', 'skip', { expected, found: tid, detail: 'the tenant GUID behind the configured domain is unknown until its metadata can be fetched' });
  else f.set('tenant', 'pass', { expected, found: tid });
}

function checkAudience(claims: Record<string, unknown>, header: Record<string, unknown>, settings: Settings, f: Findings): void {
  const auds = audiencesOf(claims['aud']);
  const found = auds.length === 0 ? 'no aud' : auds.join(', ');
  const configured = settings.audiences;
  const expected = configured.length > 0 ? configured.join(' or ') : 'your API\'s App ID URI or client ID';
  const apiHub = auds.find(isApiHubAudience);
  const graph = auds.find(isGraphAudience);
  if (apiHub !== undefined) {
    f.fail('audience', reason('APIHUB_TOKEN', `the token's aud is ${show(apiHub)}: the first-hop token for the connector runtime, not a token for your API.`), { expected, found });
  } else if (graph !== undefined) {
    f.fail('audience', reason('GRAPH_TOKEN', `the token's aud is ${show(graph)}: a Microsoft Graph token, which only Graph can validate.`), { expected, found });
  }
  if ('nonce' in header && graph === undefined) {
    f.add(reason('GRAPH_TOKEN', 'the token\'s header carries a "nonce": the mark of a Microsoft Graph token, signed over a hashed nonce that only Graph can validate.'));
  }
  if (configured.length === 0) {
    if (!f.checks.has('audience')) {
      f.set('audience', auds.length > 0 ? 'skip' : 'fail', { expected, found, detail: 'TOKEN_ECHO_AUDIENCES is not set: any audience is accepted' });
      if (auds.length === 0) f.fail('audience', reason('AUDIENCE_MISMATCH', 'the token has no aud claim.'), { expected, found });
    }
    return;
  }
  if (auds.some((a) => configured.includes(a))) {
    f.set('audience', 'pass', { expected, found });
    return;
  }
  const misses = auds.flatMap((a) => configured.map((c) => nearMiss(a, c))).filter((m): m is string => m !== null);
  const near = misses[0];
  const message = near
    ? `the token's aud ${show(found)} is not accepted: ${near}.`
    : `the token's aud ${show(found)} is none of the configured audiences (${configured.join(', ')}).`;
  const fix = near ? `Add ${show(auds[0])} to TOKEN_ECHO_AUDIENCES (an API accepts both its App ID URI and its client ID), or set the connector's Resource URL to exactly ${show(configured[0])}.` : undefined;
  f.fail('audience', reason('AUDIENCE_MISMATCH', message, fix), { expected, found, ...(near ? { detail: near } : {}) });
}

function checkLifetime(claims: Record<string, unknown>, times: TokenFacts['times'], settings: Settings, now: number, f: Findings): void {
  const skew = settings.clockSkewSeconds;
  const { exp, nbf } = claims;
  const expected = `nbf <= now + ${skew} s, exp >= now - ${skew} s`;
  if (exp === undefined) {
    f.fail('lifetime', reason('MALFORMED_TOKEN', 'the token has no exp claim (IDX10225): a token must expire.'), { expected, found: 'no exp' });
    return;
  }
  // times holds exp/nbf only when they are representable dates (token-memo.ts).
  if (times.exp === undefined || (nbf !== undefined && times.nbf === undefined)) {
    f.fail('lifetime', reason('MALFORMED_TOKEN', 'the token\'s exp or nbf is not a number of seconds since the epoch (RFC 7519 section 2, NumericDate).'), {
      expected,
      found: `exp ${show(exp)}, nbf ${show(nbf)}`,
    });
    return;
  }
  const expAt = times.exp;
  const nbfAt = times.nbf;
  if (expAt.epoch < now - skew) {
    f.fail('lifetime', reason('EXPIRED', `the token expired ${humanDuration(now - expAt.epoch)} ago (exp ${expAt.iso}), beyond the ${skew} s clock skew.`), {
      expected,
      found: `exp ${expAt.iso}`,
    });
    return;
  }
  if (nbfAt !== undefined && nbfAt.epoch > now + skew) {
    f.fail('lifetime', reason('NOT_YET_VALID', `the token is not valid for another ${humanDuration(nbfAt.epoch - now)} (nbf ${nbfAt.iso}), beyond the ${skew} s clock skew.`), {
      expected,
      found: `nbf ${nbfAt.iso}`,
    });
    return;
  }
  if (nbfAt !== undefined && nbfAt.epoch > expAt.epoch) {
    f.fail('lifetime', reason('MALFORMED_TOKEN', 'the token\'s nbf is after its exp (IDX10224).'), { expected, found: `nbf ${nbfAt.iso}, exp ${expAt.iso}` });
    return;
  }
  const found = `${nbfAt !== undefined ? `valid from ${nbfAt.iso} ` : ''}until ${expAt.iso} (expires in ${humanDuration(expAt.epoch - now)})`;
  // The same text for a minute or more: keep the check object, frozen, and its JSON with it (serialize.ts).
  const known = lifetimePasses.get(times);
  if (known?.found === found && known.expected === expected) f.checks.set('lifetime', known);
  else {
    const check: Check = Object.freeze({ name: 'lifetime', status: 'pass', expected, found });
    lifetimePasses.set(times, check);
    f.checks.set('lifetime', check);
  }
}

const lifetimePasses = new WeakMap<object, Check>();
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
const signaturePasses = new WeakMap<SigningKey, Check>();

/** The passed signature check of a key: the same for every token it verifies. */
function signaturePass(key: SigningKey, tenantText: string): Check {
  const expected = `an RS256 signature by a key of ${tenantText}`;
  const known = signaturePasses.get(key);
  if (known?.expected === expected) return known;
  const check: Check = Object.freeze({ name: 'signature', status: 'pass', expected, found: `verified with kid ${show(key.kid)}` });
  signaturePasses.set(key, check);
  return check;
}

function isIdToken(claims: Record<string, unknown>): boolean {
  if (str(claims['scp']) !== null || stringList(claims['roles']).length > 0) return false;
  // ID tokens carry a payload nonce or hashes, and no calling-client claim (azp/appid) (id-token-claims-reference).
  return 'nonce' in claims || 'at_hash' in claims || 'c_hash' in claims || (str(claims['azp']) === null && str(claims['appid']) === null);
}

function checkScope(claims: Record<string, unknown>, kind: TokenKind | null, settings: Settings, f: Findings): void {
  const scp = str(claims['scp']);
  const scopes = scp === null ? [] : scp.split(' ').filter((s) => s !== '');
  const roles = stringList(claims['roles']);
  const found = `${scp !== null ? `scp ${show(scp)}` : 'no scp'}${roles.length > 0 ? `, roles ${show(roles)}` : ''}`;
  const wantScopes = settings.scopes.length > 0 ? `scp with one of ${settings.scopes.join(', ')}` : 'scp (delegated permissions)';
  const wantRoles = settings.roles.length > 0 ? ` or roles with one of ${settings.roles.join(', ')}` : '';
  const expected = `${wantScopes}${wantRoles}`;
  if (isIdToken(claims)) {
    f.fail('scope', reason('ID_TOKEN', 'this is an ID token (no scp or roles, a sign-in nonce or no azp/appid): it describes a sign-in, it does not grant access to an API.'), { expected, found });
    return;
  }
  if (kind === 'user' && scp !== null) {
    if (settings.scopes.length === 0) {
      f.set('scope', 'pass', { expected, found, detail: 'TOKEN_ECHO_SCOPES is not set: any delegated scope is accepted' });
    } else if (scopes.some((s) => settings.scopes.includes(s))) {
      f.set('scope', 'pass', { expected, found });
    } else {
      f.fail('scope', reason('SCOPE_MISSING', `the token's scp ${show(scp)} has none of the required scopes (${settings.scopes.join(', ')}).`), { expected, found });
    }
    return;
  }
  if (kind === 'app') {
    if (settings.roles.length > 0 && roles.some((r) => settings.roles.includes(r))) {
      f.set('scope', 'pass', { expected, found, detail: 'an app-only token with an accepted role' });
      return;
    }
    f.fail('scope', reason('APP_ONLY_TOKEN', `the token has no scp${roles.length > 0 ? ` but roles ${show(roles)}` : ''}: an app-only (client-credentials) token, so no user is behind this call and it cannot be on-behalf-of.`), {
      expected,
      found,
    });
    return;
  }
  f.fail('scope', reason('SCOPE_MISSING', 'the token has neither scp nor roles (IDW10201): it grants nothing.'), { expected, found });
}

function checkClient(client: string | null, settings: Settings, f: Findings): void {
  const found = client ?? 'no azp or appid';
  if (settings.clientIds.length === 0) {
    f.set('client', 'skip', { found, detail: 'TOKEN_ECHO_CLIENT_IDS is not set: any calling app is accepted' });
    return;
  }
  const expected = settings.clientIds.join(' or ');
  if (client !== null && settings.clientIds.includes(client.toLowerCase())) {
    f.set('client', 'pass', { expected, found });
    return;
  }
  f.fail('client', reason('CLIENT_NOT_ALLOWED', `the calling app ${client === null ? '(no azp/appid claim)' : show(client)} is not in TOKEN_ECHO_CLIENT_IDS.`), { expected, found });
}

function requestInfo(facts: RequestFacts, headers: ReadonlyMap<string, string>, auth: Authorization): RequestInfo {
  let url: URL;
  try {
    url = new URL(facts.url, 'http://localhost');
  } catch {
    url = new URL('http://localhost/');
  }
  return {
    method: facts.method.toUpperCase(),
    path: url.pathname,
    query: shownQuery(url.searchParams),
    headers: shownHeaders(headers, auth),
    bodySize: facts.bodySize,
    contentType: headers.get('content-type') ?? null,
  };
}
