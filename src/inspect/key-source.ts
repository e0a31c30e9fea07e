import type { importJWK } from 'jose';

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
  | { status: 'not_found'; keyCount: number; metadata: TenantMetadata }
  | { status: 'unavailable'; problem: string };

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
