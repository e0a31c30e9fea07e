import type { JWK } from 'jose';
import { importJWK } from 'jose/key/import';

import { BoundedSet, type KeyLookup, type KeyLookupRequest, type KeySetRefresh, type KeySource, type MetadataResult, type SigningKey, type TenantMetadata } from '../inspect/key-source.js';
import type { TokenVersion } from '../report/report.js';
import { type Clock, DocumentCache } from './document-cache.js';
import { FetchProblem, fetchJson } from './fetch-json.js';

export interface EntraKeyStoreOptions {
  /** Authority origin, e.g. https://login.microsoftonline.com. */
  authority: string;
  /** Tenant GUID or verified domain (already validated by loadConfig). */
  tenant: string;
  fetchTimeoutMs: number;
  now?: Clock;
}

interface KeySet {
  keys: JWK[];
  /** Imported keys, per kid: imported once per fetched key set. */
  imported: Map<string, Promise<SigningKey | null>>;
}

interface Documents {
  metadata: DocumentCache<TenantMetadata>;
  /** The key set named by the current metadata's jwks_uri. */
  keys: Map<string, DocumentCache<KeySet>>;
}

/** Verified token fingerprints remembered per key: enough for every user of a busy connector. */
const VERIFIED_TOKENS_PER_KEY = 10_000;

/** How many app-specific key sets are kept: they come from configuration, so a handful at most. */
const MAX_APP_SETS = 16;

/**
 * The tenant's metadata and key sets, fetched from the configured authority only. URLs are built
 * from the authority and tenant of the configuration (plus, for app-specific keys, a client-ID GUID
 * from TOKEN_ECHO_AUDIENCES); nothing in a token chooses what is contacted (RFC 8725 §3.8, §3.10).
 */
export class EntraKeyStore implements KeySource {
  readonly #options: EntraKeyStoreOptions;
  readonly #now: Clock;
  readonly #docs = new Map<string, Documents>();
  readonly #urls = new Map<string, string>();
  readonly #tenantUrls: Partial<Record<TokenVersion, string>> = {};

  constructor(options: EntraKeyStoreOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** `{authority}/{tenant}/v2.0/.well-known/openid-configuration` for v2, without `/v2.0` for v1 (Microsoft: validate each version with its own metadata). */
  metadataUrl(version: TokenVersion, appId?: string): string {
    // The tenant's own two URLs are asked for on every call: kept without building a cache key.
    if (appId === undefined) return (this.#tenantUrls[version] ??= this.#buildMetadataUrl(version));
    const cacheKey = `${version} ${appId}`;
    let url = this.#urls.get(cacheKey);
    if (url === undefined) {
      url = this.#buildMetadataUrl(version, appId);
      if (this.#urls.size < 64) this.#urls.set(cacheKey, url);
    }
    return url;
  }

  #buildMetadataUrl(version: TokenVersion, appId?: string): string {
    const { authority, tenant } = this.#options;
    const base = `${authority}/${encodeURIComponent(tenant)}${version === '2.0' ? '/v2.0' : ''}/.well-known/openid-configuration`;
    return appId === undefined ? base : `${base}?appid=${encodeURIComponent(appId)}`;
  }

  async metadata(version: TokenVersion): Promise<MetadataResult> {
    const result = await this.#documents(this.metadataUrl(version)).metadata.get();
    return result.ok ? { ok: true, metadata: result.value } : { ok: false, problem: result.problem };
  }

  /** For /api/health: whether the metadata and key set of a version can be had (from cache or the authority). */
  async status(version: TokenVersion): Promise<{
    metadataUrl: string;
    metadata: { ok: true; issuer: string; jwksUri: string } | { ok: false; problem: string };
    keys: { ok: true; count: number } | { ok: false; problem: string };
  }> {
    const metadataUrl = this.metadataUrl(version);
    const docs = this.#documents(metadataUrl);
    const meta = await docs.metadata.get();
    if (!meta.ok) return { metadataUrl, metadata: { ok: false, problem: meta.problem }, keys: { ok: false, problem: 'no metadata' } };
    const set = await this.#keyCache(docs, meta.value.jwksUri).get();
    return {
      metadataUrl,
      metadata: { ok: true, issuer: meta.value.issuer, jwksUri: meta.value.jwksUri },
      keys: set.ok ? { ok: true, count: set.value.keys.length } : { ok: false, problem: set.problem },
    };
  }

  async findKey(request: KeyLookupRequest): Promise<KeyLookup> {
    const docs = this.#documents(this.metadataUrl(request.version));
    const meta = await docs.metadata.get();
    if (!meta.ok) return { status: 'unavailable', problem: meta.problem };
    const tenantCache = this.#keyCache(docs, meta.value.jwksUri);
    const tenantSet = await this.#search(tenantCache, request);
    if (!tenantSet.ok) return { status: 'unavailable', problem: tenantSet.problem };
    if (tenantSet.key !== null) return { status: 'found', key: tenantSet.key, metadata: meta.value };
    const tenantKeys = await tenantCache.get();
    const tenantKids = tenantKeys.ok ? tenantKeys.value.keys.map((k) => k.kid) : [];

    for (const appId of request.appIds.slice(0, MAX_APP_SETS)) {
      const appDocs = this.#documents(this.metadataUrl(request.version, appId));
      const appMeta = await appDocs.metadata.get();
      if (!appMeta.ok) continue;
      // App-specific sets are a diagnosis, not a trust anchor: fetched once and kept 24 h, never force-refreshed.
      const appCache = this.#keyCache(appDocs, appMeta.value.jwksUri);
      const appSet = await this.#search(appCache, request, false);
      // For an app without keys of its own, ?appid= serves the tenant's keys: a set that holds all of
      // the tenant's is that, perhaps fresher than ours (a rollover not yet refreshed), not an app's own.
      if (appSet.ok && appSet.key !== null && !(await this.#holdsTenantKeys(appCache, tenantKids))) {
        return { status: 'app_specific', key: appSet.key, appId, metadata: meta.value };
      }
    }
    // Microsoft.IdentityModel tries every key when none matches by kid (TryAllIssuerSigningKeys): the core does the same with these.
    const keys = tenantKeys.ok ? await this.#importAll(tenantKeys.value) : [];
    return { status: 'not_found', keyCount: tenantSet.keyCount, metadata: meta.value, keys, refresh: tenantSet.refresh };
  }

  async #importAll(set: KeySet): Promise<SigningKey[]> {
    const keys = await Promise.all(set.keys.map((jwk) => (jwk.kid === undefined ? Promise.resolve(null) : this.#imported(set, jwk, jwk.kid))));
    return keys.filter((k): k is SigningKey => k !== null);
  }

  async #holdsTenantKeys(cache: DocumentCache<KeySet>, tenantKids: Array<string | undefined>): Promise<boolean> {
    const set = await cache.get();
    if (!set.ok || tenantKids.length === 0) return false;
    const kids = new Set(set.value.keys.map((k) => k.kid));
    return tenantKids.every((kid) => kids.has(kid));
  }

  /** Looks for the token's key in one key set; an unknown kid may mean the keys rolled over: refresh (at most once per 5 minutes) and look again. */
  async #search(
    cache: DocumentCache<KeySet>,
    request: KeyLookupRequest,
    mayRefresh = true,
  ): Promise<{ ok: true; key: SigningKey | null; keyCount: number; refresh: KeySetRefresh } | { ok: false; problem: string }> {
    let set = await cache.get();
    if (!set.ok) return set;
    let refresh: KeySetRefresh = set.refreshed ? 'fetched' : 'not_refreshed';
    let key = await this.#match(set.value, request);
    if (key === null && mayRefresh && !set.refreshed) {
      const again = await cache.get({ refresh: true });
      if (again.ok) {
        if (again.refreshed) refresh = 'refreshed';
        set = again;
        key = await this.#match(set.value, request);
      }
    }
    return { ok: true, key, keyCount: set.value.keys.length, refresh };
  }

  #documents(metadataUrl: string): Documents {
    let docs = this.#docs.get(metadataUrl);
    if (!docs) {
      docs = {
        metadata: new DocumentCache(() => this.#loadMetadata(metadataUrl), this.#now),
        keys: new Map(),
      };
      this.#docs.set(metadataUrl, docs);
    }
    return docs;
  }

  #keyCache(docs: Documents, jwksUri: string): DocumentCache<KeySet> {
    let cache = docs.keys.get(jwksUri);
    if (!cache) {
      cache = new DocumentCache(() => this.#loadKeys(jwksUri), this.#now);
      docs.keys.set(jwksUri, cache);
    }
    return cache;
  }

  async #loadMetadata(url: string): Promise<TenantMetadata> {
    const doc = await fetchJson(url, this.#options.fetchTimeoutMs);
    if (typeof doc !== 'object' || doc === null) throw new FetchProblem(`${url}: the metadata is not a JSON object`);
    const { issuer, jwks_uri: jwksUri } = doc as Record<string, unknown>;
    if (typeof issuer !== 'string' || typeof jwksUri !== 'string') {
      throw new FetchProblem(`${url}: the metadata has no "issuer" or "jwks_uri" string`);
    }
    // Only the configured authority is contacted, whatever a metadata document says.
    let keysOrigin: string;
    try {
      keysOrigin = new URL(jwksUri).origin;
    } catch {
      throw new FetchProblem(`${url}: jwks_uri ${JSON.stringify(jwksUri)} is not a URL`);
    }
    if (keysOrigin !== this.#options.authority) {
      throw new FetchProblem(`${url}: jwks_uri ${jwksUri} is not on the configured authority ${this.#options.authority}`);
    }
    return { issuer, jwksUri };
  }

  async #loadKeys(url: string): Promise<KeySet> {
    const doc = await fetchJson(url, this.#options.fetchTimeoutMs);
    const keys = (doc as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(keys)) throw new FetchProblem(`${url}: the key set has no "keys" array`);
    const usable = keys.filter(
      (k): k is JWK => typeof k === 'object' && k !== null && (k as JWK).kty === 'RSA' && typeof (k as JWK).kid === 'string',
    );
    return { keys: usable, imported: new Map() };
  }

  /** Finds the key by `kid` (v2 tokens), else by `x5t` (v1 tokens carry both, with the same value). */
  #match(set: KeySet, request: KeyLookupRequest): Promise<SigningKey | null> {
    const jwk =
      (request.kid !== undefined ? set.keys.find((k) => k.kid === request.kid) : undefined) ??
      (request.x5t !== undefined ? set.keys.find((k) => k.x5t === request.x5t) : undefined);
    if (jwk === undefined || jwk.kid === undefined) return Promise.resolve(null);
    return this.#imported(set, jwk, jwk.kid);
  }

  #imported(set: KeySet, jwk: JWK, kid: string): Promise<SigningKey | null> {
    let imported = set.imported.get(kid);
    if (!imported) {
      imported = importKey(jwk, kid);
      set.imported.set(kid, imported);
    }
    return imported;
  }
}

async function importKey(jwk: JWK, kid: string): Promise<SigningKey | null> {
  const issuer = (jwk as { issuer?: unknown }).issuer;
  try {
    // Import as RS256 only: the key's type, not the token, decides what it can verify.
    // Only the public RSA members: use, alg, x5c or anything else on the JWK cannot widen what it verifies.
    if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') return null;
    const key = await importJWK({ kty: 'RSA', n: jwk.n, e: jwk.e }, 'RS256');
    return { kid, issuer: typeof issuer === 'string' ? issuer : null, key, verified: new BoundedSet(VERIFIED_TOKENS_PER_KEY) };
  } catch {
    return null;
  }
}
