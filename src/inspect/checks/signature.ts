import { compactVerify } from 'jose/jws/compact/verify';

import type { Settings } from '../../config.js';
import { show } from '../../report/format.js';
import { type Check, reason } from '../../report/report.js';
import type { TokenVersion } from '../../report/report.js';
import { guidOf } from '../audience.js';
import { type Findings, str } from '../findings.js';
import type { KeyLookup, KeySetRefresh, KeySource, SigningKey } from '../key-source.js';

/** Findings that are the same on every call, shared (frozen) by the reports that carry them. */
export const NOT_CONFIGURED = Object.freeze(
  reason('NOT_CONFIGURED', 'no tenant is configured (TOKEN_ECHO_TENANT_ID), so the token was decoded and explained but its signature, issuer and tenant were not checked.'),
);
const ALGORITHM_PASS: Check = Object.freeze({ name: 'algorithm', status: 'pass', expected: 'RS256', found: 'RS256' });

/**
 * The algorithm: an allow-list of one, decided before any key is used. Entra metadata advertises only
 * RS256 (id_token_signing_alg_values_supported); RFC 8725 §3.1 advises an allow-list. Microsoft.IdentityModel
 * has none by default (ValidAlgorithms null) and relies on the key type: the one deliberate difference
 * (README "Where token-echo and Microsoft.Identity.Web differ").
 */
export function checkAlgorithm(header: Record<string, unknown>, f: Findings): boolean {
  const alg = header['alg'];
  if (alg === 'RS256') {
    f.checks.set('algorithm', ALGORITHM_PASS);
    return true;
  }
  const kindOfAlg =
    typeof alg === 'string' && alg.toLowerCase() === 'none'
      ? 'an unsigned token'
      : typeof alg === 'string' && /^HS/i.test(alg)
        ? 'an HMAC (shared-secret) signature, the key-confusion attack when the secret is a public key'
        : 'an algorithm Entra does not use';
  f.fail('algorithm', reason('ALG_NOT_ALLOWED', `the token's alg is ${show(alg)}: ${kindOfAlg}; only RS256 is accepted.`), { expected: 'RS256', found: show(alg) });
  return false;
}

/**
 * The signature, as JsonWebTokenHandler.ValidateSignature does it: the key named by kid (x5t for v1),
 * and when no key has that kid, every key of the tenant (TryAllIssuerSigningKeys, true by default).
 * A kid that matches but does not verify is IDX10511; no key at all, IDX10503.
 */
export async function checkSignature(
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
    case 'not_found': {
      const byTrying = await firstVerifying(raw, lookup.keys, tokenFingerprint);
      if (byTrying !== null) {
        f.signingKey = byTrying;
        f.signatureVerified = true;
        f.add(
          reason(
            'KID_UNMATCHED',
            `no key of ${tenantText} has the token's ${kidText()}, but the signature verifies with its key ${show(byTrying.kid)}: Microsoft.IdentityModel tries every key (TryAllIssuerSigningKeys) and accepts it; validators that pick the key by kid (jose, jwks-rsa, API Management validate-jwt) refuse it.`,
          ),
        );
        f.set('signature', 'pass', { expected: `an RS256 signature by a key of ${tenantText}`, found: `${kidText()}; verified by trying every key: kid ${show(byTrying.kid)}` });
        return;
      }
      f.fail(
        'signature',
        reason(
          'KEY_NOT_FOUND',
          `no key of ${tenantText} has the token's ${kidText()} and none of its ${lookup.keyCount} keys verifies the signature (${refreshText(lookup.refresh)}): it was signed by another cloud, an app-specific or custom key, or not by Entra.`,
        ),
        { expected: `a kid among the ${lookup.keyCount} keys at ${lookup.metadata.jwksUri}`, found: kidText() },
      );
      return;
    }
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
        f.fail('signature', reason('SIGNATURE_INVALID', `the signature does not verify with the tenant's key ${show(lookup.key.kid)} (IDX10511): the token was altered or is not for this API.${graphish}`), {
          expected: `an RS256 signature by key ${show(lookup.key.kid)}`,
          found: 'a signature that does not verify',
        });
      }
      return;
    }
  }
}

function refreshText(refresh: KeySetRefresh): string {
  switch (refresh) {
    case 'fetched':
      return 'the key set was fetched for this call';
    case 'refreshed':
      return 'the key set was refreshed for this call';
    case 'not_refreshed':
      return 'the cached key set was used: it is refreshed at most once per 5 minutes and was not refreshed for this call';
  }
}

async function firstVerifying(raw: string, candidates: readonly SigningKey[], tokenFingerprint: string): Promise<SigningKey | null> {
  for (const key of candidates) if (await verifies(raw, key, tokenFingerprint)) return key;
  return null;
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
