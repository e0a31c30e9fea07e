import type { importJWK } from 'jose/key/import';

import type { TokenVersion } from '../report/report.js';

/**
 * The one port of the pure core: where signing keys come from. The Entra key store
 * (src/entra/key-store.ts) implements it over HTTP; nothing in src/inspect does I/O itself.
 */
export interface SigningKey {
  kid: string;
  /** The JWK's own `issuer` property (Entra v2 key sets), a template with `{tenantid}`, or null. */
  issuer: string | null;
  /** The key, imported for RS256 (a jose KeyObject / CryptoKey). */
  key: Awaited<ReturnType<typeof importJWK>>;
  /**
   * Fingerprints of tokens whose signature this key has verified. A connector sends the same token
   * until it expires; its signature need not be checked again while this key (this fetched key set)
   * is in use. Lifetime and every claim check still run on each call. A new key set makes new keys.
   */
  verified: BoundedSet;
}

/** A set that forgets its oldest entries past a size, so a flood of distinct tokens cannot grow it. */
export class BoundedSet {
  readonly #items = new Set<string>();
  readonly #max: number;
  constructor(max: number) {
    this.#max = max;
  }
  has(item: string): boolean {
    return this.#items.has(item);
  }
  add(item: string): void {
    this.#items.add(item);
    if (this.#items.size > this.#max) {
      const oldest = this.#items.values().next().value;
      if (oldest !== undefined) this.#items.delete(oldest);
    }
  }
}

export interface TenantMetadata {
  /** The `issuer` of the metadata document, possibly with `{tenantid}`. */
  issuer: string;
  jwksUri: string;
}

export type MetadataResult = { ok: true; metadata: TenantMetadata } | { ok: false; problem: string };

export type KeyLookup =
  | { status: 'found'; key: SigningKey; metadata: TenantMetadata }
  /** Not in the tenant set, but in the app-specific set of `appId` (jwks_uri?appid=…). */
  | { status: 'app_specific'; key: SigningKey; appId: string; metadata: TenantMetadata }
  /**
   * No key has the token's kid/x5t. `keys` are the tenant's keys, for Microsoft.IdentityModel's
   * TryAllIssuerSigningKeys (every key is tried when none matches by kid); `refresh` says what was
   * done to the key set for this call, so that a message states only what happened.
   */
  | { status: 'not_found'; keyCount: number; metadata: TenantMetadata; keys: readonly SigningKey[]; refresh: KeySetRefresh }
  | { status: 'unavailable'; problem: string };

/** `fetched`: the key set was first fetched during this call; `refreshed`: fetched again because the kid was unknown; `not_refreshed`: the cached copy was used (a refresh is allowed once per 5 minutes). */
export type KeySetRefresh = 'fetched' | 'refreshed' | 'not_refreshed';

export interface KeyLookupRequest {
  version: TokenVersion;
  kid: string | undefined;
  x5t: string | undefined;
  /** Client-ID GUIDs whose app-specific key sets may be consulted (only from configuration, never from the token). */
  appIds: readonly string[];
}

export interface KeySource {
  metadata(version: TokenVersion): Promise<MetadataResult>;
  findKey(request: KeyLookupRequest): Promise<KeyLookup>;
}
