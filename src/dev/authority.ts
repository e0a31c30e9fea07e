import { randomUUID } from 'node:crypto';
import { type AddressInfo } from 'node:net';
import http from 'node:http';

import { type CryptoKey, type JWK, SignJWT, base64url, exportJWK, exportSPKI, generateKeyPair } from 'jose';

/**
 * A LOCAL STAND-IN for Microsoft Entra ID, for tests and `token-echo demo` only: it serves tenant
 * metadata and key sets over HTTP in Entra's shapes (v1 and v2 metadata, keys with `kid`/`x5t`,
 * v2 keys with their `issuer`, app-specific sets at `?appid=`), and mints tokens with Entra's
 * claims. Keys are made when it starts and never leave the process. Nothing uses it unless asked.
 * Shapes: shared/reference/entra-token-validation.md §2, power-platform-connectors.md §3.
 */
export interface DevKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface DevTenant {
  id: string;
  domain: string;
  /**
   * The tenant's signing keys. Real Entra signs every tenant's tokens with the same keys (the common key
   * set), so by default every tenant shares the first tenant's array: rotate and dropKey change it for all.
   */
  keys: DevKey[];
  /** Overrides the `issuer` of the v2 keys served (a template, a blank string...); default: the tenant's v2 issuer. */
  keyIssuer?: string;
  /** App-specific key sets, by client ID: served at `?appid=<client ID>`. */
  appKeys: Map<string, DevKey[]>;
}

export type AuthorityFault = 'none' | 'error500' | 'garbage' | 'html' | 'hang' | 'huge' | 'hugeChunked' | 'truncated' | 'redirect';

export interface MintOptions {
  version?: '1.0' | '2.0';
  /** Tenant ID (GUID) or domain of a tenant of this authority; default: the first tenant. */
  tenant?: string;
  aud?: string | string[];
  scp?: string | null;
  roles?: string[];
  /** The calling app: `azp` (v2) or `appid` (v1). */
  client?: string;
  /** Seconds from now. */
  expiresIn?: number;
  notBefore?: number;
  issuedAt?: number;
  /** Claims to add or override; `undefined` removes a claim. */
  claims?: Record<string, unknown>;
  /** Header parameters to add or override (jku, x5u, nonce…); `undefined` removes one. */
  header?: Record<string, unknown>;
  /** Sign with this key instead of the tenant's first one. */
  key?: DevKey;
}

export interface DevAuthority {
  url: string;
  tenants: DevTenant[];
  /** The first tenant, created at start. */
  tenant: DevTenant;
  requests: { metadata: number; keys: number; total: number; paths: string[] };
  fault: AuthorityFault;
  /** A new tenant, signed with the same keys as the others (as Entra does) unless `ownKeys`. */
  addTenant(domain?: string, options?: { ownKeys?: boolean }): Promise<DevTenant>;
  /** Adds a new key to a tenant's set (a rollover); returns it. */
  rotate(tenant?: DevTenant): Promise<DevKey>;
  /** Removes a key from a tenant's published set (an emergency revocation). */
  dropKey(kid: string, tenant?: DevTenant): void;
  /** A key made for the occasion and published nowhere. */
  strayKey(): Promise<DevKey>;
  addAppKey(appId: string, tenant?: DevTenant): Promise<DevKey>;
  mint(options?: MintOptions): Promise<string>;
  /** An ID token for `clientId`: aud = the client, a nonce, no scp; `claims` adds or overrides (`undefined` removes). */
  mintIdToken(clientId: string, tenant?: DevTenant, claims?: Record<string, unknown>): Promise<string>;
  /** The PEM of a tenant key's public half (what an HS256 key-confusion attack signs with). */
  publicPem(key?: DevKey): Promise<string>;
  resetCounts(): void;
  stop(): Promise<void>;
}

export const DEMO_CONNECTOR_CLIENT_ID = '5f1c6a3e-2b7d-4c8e-9a10-0c6d2e7f8a91';
export const DEMO_API_CLIENT_ID = '8d2b4f60-1a3c-4e5f-8b7a-9c0d1e2f3a4b';
export const DEMO_API_URI = `api://${DEMO_API_CLIENT_ID}`;

export async function makeKey(): Promise<DevKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const publicJwk = await exportJWK(publicKey);
  // Entra key IDs are base64url certificate thumbprints (27 characters); kid and x5t are equal.
  const kid = base64url.encode(crypto.getRandomValues(new Uint8Array(20)));
  return { kid, privateKey, publicJwk: { kty: 'RSA', use: 'sig', kid, x5t: kid, n: publicJwk.n ?? '', e: publicJwk.e ?? '' } };
}

export async function startAuthority(options: { port?: number; host?: string } = {}): Promise<DevAuthority> {
  const tenants: DevTenant[] = [];
  const requests = { metadata: 0, keys: 0, total: 0, paths: [] as string[] };
  const hanging = new Set<http.ServerResponse>();
  let baseUrl = '';

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://authority.local');
    requests.total += 1;
    requests.paths.push(url.pathname + url.search);
    const isMetadata = url.pathname.endsWith('/.well-known/openid-configuration');
    const isKeys = /\/discovery\/(v2\.0\/)?keys$/.test(url.pathname);
    if (isMetadata) requests.metadata += 1;
    if (isKeys) requests.keys += 1;
    if (authority.fault !== 'none' && (isMetadata || isKeys)) return fail(authority.fault, res);

    const segments = url.pathname.split('/').filter(Boolean);
    const tenant = tenants.find((t) => t.id === segments[0]?.toLowerCase() || t.domain === segments[0]?.toLowerCase());
    if (!tenant) return json(res, 400, { error: 'invalid_tenant', error_description: `AADSTS90002: Tenant '${segments[0] ?? ''}' not found.` });
    const appId = url.searchParams.get('appid');
    const rest = segments.slice(1).join('/');
    const query = appId !== null ? `?appid=${encodeURIComponent(appId)}` : '';
    switch (rest) {
      case 'v2.0/.well-known/openid-configuration':
        return json(res, 200, metadata(baseUrl, tenant, '2.0', query));
      case '.well-known/openid-configuration':
        return json(res, 200, metadata(baseUrl, tenant, '1.0', query));
      case 'discovery/v2.0/keys':
        return json(res, 200, { keys: keySet(tenant, appId).map((k) => ({ ...k.publicJwk, issuer: tenant.keyIssuer ?? `${baseUrl}/${tenant.id}/v2.0`, cloud_instance_name: 'microsoftonline.com' })) });
      case 'discovery/keys':
        // v1 key sets carry no issuer (IdentityModel: "v1 endpoint doesn't have issuers attached to keys").
        return json(res, 200, { keys: keySet(tenant, appId).map((k) => k.publicJwk) });
      default:
        return json(res, 404, { error: 'not_found' });
    }
  });

  function fail(fault: AuthorityFault, res: http.ServerResponse): void {
    switch (fault) {
      case 'error500':
        return json(res, 500, { error: 'server_error', error_description: 'AADSTS50000: There was an error issuing a token or an issue with our sign-in service.' });
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys": [ {"kty": "RSA", "n": tru');
        return;
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Sign in</title><p>Service unavailable</p>');
        return;
      case 'huge':
        res.writeHead(200, { 'content-type': 'application/json' }).end(`{"keys":[],"pad":"${'x'.repeat(5 * 1024 * 1024)}"}`);
        return;
      case 'hugeChunked': {
        // The same 5 MB without a content-length: only counting the bytes as they come can stop it.
        res.writeHead(200, { 'content-type': 'application/json' });
        const piece = 'x'.repeat(64 * 1024);
        res.write('{"keys":[],"pad":"');
        for (let i = 0; i < 80; i += 1) res.write(piece);
        res.end('"}');
        return;
      }
      case 'truncated':
        // Promises 4,000 bytes, sends 20, and hangs up.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 4000 });
        res.write('{"keys": [ {"kty": "');
        setImmediate(() => res.destroy());
        return;
      case 'redirect':
        res.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' }).end();
        return;
      case 'hang':
        hanging.add(res);
        return;
      case 'none':
        return;
    }
  }

  function keySet(tenant: DevTenant, appId: string | null): DevKey[] {
    if (appId !== null) return tenant.appKeys.get(appId.toLowerCase()) ?? tenant.keys;
    return tenant.keys;
  }

  async function addTenant(domain?: string, options: { ownKeys?: boolean } = {}): Promise<DevTenant> {
    const id = randomUUID();
    const shared = tenants[0]?.keys;
    const keys = shared !== undefined && options.ownKeys !== true ? shared : [await makeKey(), await makeKey()];
    const tenant: DevTenant = { id, domain: (domain ?? `tenant${tenants.length + 1}.onmicrosoft.com`).toLowerCase(), keys, appKeys: new Map() };
    tenants.push(tenant);
    return tenant;
  }

  function find(tenant: string | undefined): DevTenant {
    if (tenant === undefined) return tenants[0] as DevTenant;
    const t = tenants.find((x) => x.id === tenant.toLowerCase() || x.domain === tenant.toLowerCase());
    if (!t) throw new Error(`the local authority has no tenant ${tenant}`);
    return t;
  }

  const first = await addTenant('contoso.onmicrosoft.com');
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  baseUrl = `http://${options.host ?? '127.0.0.1'}:${address.port}`;

  const authority: DevAuthority = {
    url: baseUrl,
    tenants,
    tenant: first,
    requests,
    fault: 'none',
    addTenant,
    async rotate(tenant = first) {
      const key = await makeKey();
      tenant.keys.push(key);
      return key;
    },
    dropKey(kid, tenant = first) {
      // In place: tenants that share the array lose the key too.
      const index = tenant.keys.findIndex((k) => k.kid === kid);
      if (index >= 0) tenant.keys.splice(index, 1);
    },
    strayKey: makeKey,
    async addAppKey(appId, tenant = first) {
      const key = await makeKey();
      tenant.appKeys.set(appId.toLowerCase(), [key]);
      return key;
    },
    async mint(o = {}) {
      const tenant = find(o.tenant);
      const key = o.key ?? (tenant.keys[0] as DevKey);
      const version = o.version ?? '2.0';
      const now = Math.floor(Date.now() / 1000);
      const iat = now + (o.issuedAt ?? -60);
      const client = o.client ?? DEMO_CONNECTOR_CLIENT_ID;
      const oid = '4c0d9f1e-7b2a-4e3c-9d8f-1a2b3c4d5e6f';
      const base: Record<string, unknown> = {
        aud: o.aud ?? (version === '2.0' ? DEMO_API_CLIENT_ID : DEMO_API_URI),
        iss: version === '2.0' ? `${baseUrl}/${tenant.id}/v2.0` : `https://sts.windows.net/${tenant.id}/`,
        iat,
        nbf: now + (o.notBefore ?? -60),
        exp: now + (o.expiresIn ?? 3600),
        aio: base64url.encode(crypto.getRandomValues(new Uint8Array(24))),
        ...(version === '2.0'
          ? { azp: client, azpacr: '1', preferred_username: 'adele@contoso.onmicrosoft.com' }
          : { appid: client, appidacr: '1', acr: '1', amr: ['pwd'], unique_name: 'adele@contoso.onmicrosoft.com', upn: 'adele@contoso.onmicrosoft.com' }),
        name: 'Adele Vance',
        oid,
        rh: '0.AAAA',
        sub: base64url.encode(crypto.getRandomValues(new Uint8Array(32))),
        tid: tenant.id,
        uti: base64url.encode(crypto.getRandomValues(new Uint8Array(16))),
        ver: version,
      };
      if (o.roles) base['roles'] = o.roles;
      const scp = o.scp === undefined ? 'access_as_user' : o.scp;
      if (scp !== null) base['scp'] = scp;
      else base['idtyp'] = 'app';
      const claims = withOverrides(base, o.claims);
      const header = withOverrides({ typ: 'JWT', alg: 'RS256', ...(version === '1.0' ? { x5t: key.kid } : {}), kid: key.kid }, o.header);
      return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key.privateKey);
    },
    async mintIdToken(clientId, tenant = first, claims) {
      const now = Math.floor(Date.now() / 1000);
      const key = tenant.keys[0] as DevKey;
      const base: Record<string, unknown> = {
        aud: clientId,
        iss: `${baseUrl}/${tenant.id}/v2.0`,
        iat: now - 60,
        nbf: now - 60,
        exp: now + 3600,
        name: 'Adele Vance',
        nonce: base64url.encode(crypto.getRandomValues(new Uint8Array(12))),
        oid: '4c0d9f1e-7b2a-4e3c-9d8f-1a2b3c4d5e6f',
        preferred_username: 'adele@contoso.onmicrosoft.com',
        sub: base64url.encode(crypto.getRandomValues(new Uint8Array(32))),
        tid: tenant.id,
        ver: '2.0',
      };
      return new SignJWT(withOverrides(base, claims))
        .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: key.kid })
        .sign(key.privateKey);
    },
    async publicPem(key = first.keys[0] as DevKey) {
      const { importJWK } = await import('jose');
      return exportSPKI((await importJWK(key.publicJwk, 'RS256', { extractable: true })) as CryptoKey);
    },
    resetCounts() {
      requests.metadata = 0;
      requests.keys = 0;
      requests.total = 0;
      requests.paths.length = 0;
    },
    async stop() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return authority;
}

function withOverrides(base: Record<string, unknown>, overrides: Record<string, unknown> | undefined): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(overrides ?? {})) {
    if (v === undefined) delete out[k];
    // defineProperty: a claim named "__proto__" is data, not a prototype.
    else Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function metadata(base: string, tenant: DevTenant, version: '1.0' | '2.0', query: string): Record<string, unknown> {
  const v2 = version === '2.0';
  const t = tenant.id;
  return {
    token_endpoint: `${base}/${t}/oauth2/${v2 ? 'v2.0/' : ''}token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/${t}/discovery/${v2 ? 'v2.0/' : ''}keys${query}`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: v2 ? `${base}/${t}/v2.0` : `https://sts.windows.net/${t}/`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${base}/${t}/oauth2/${v2 ? 'v2.0/' : ''}authorize`,
    device_authorization_endpoint: `${base}/${t}/oauth2/${v2 ? 'v2.0/' : ''}devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/${t}/oauth2/${v2 ? 'v2.0/' : ''}logout`,
    claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    kerberos_endpoint: `${base}/${t}/kerberos`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}
