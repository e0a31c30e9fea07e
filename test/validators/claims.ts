import { type Settings, loadConfig } from '../../src/config.js';
import type { FrontDoorInput } from '../../src/validators/index.js';

/** Public-cloud shapes for the pure profile tests (no keys: the signature verdict is an input). */
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const OTHER_TENANT = 'c0ffee00-1111-4222-8333-944455556666';
export const API = '8d2b4f60-1a3c-4e5f-8b7a-9c0d1e2f3a4b';
export const CONNECTOR = '5f1c6a3e-2b7d-4c8e-9a10-0c6d2e7f8a91';
export const OTHER_CLIENT = '77e1d0c2-4b5a-4c3d-9e8f-0a1b2c3d4e5f';
export const OID = '4c0d9f1e-7b2a-4e3c-9d8f-1a2b3c4d5e6f';
export const NOW = new Date('2026-12-05T08:00:00Z');
const nowSec = Math.floor(NOW.getTime() / 1000);

export const V2_ISS = `https://login.microsoftonline.com/${TENANT}/v2.0`;
export const V1_ISS = `https://sts.windows.net/${TENANT}/`;

export function settingsWith(env: Record<string, string> = {}): Settings {
  return loadConfig({ TOKEN_ECHO_TENANT_ID: TENANT, TOKEN_ECHO_AUDIENCES: `api://${API},${API}`, TOKEN_ECHO_SCOPES: 'access_as_user', TOKEN_ECHO_CLIENT_IDS: CONNECTOR, ...env });
}

export function v2(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return withOverrides({ aud: API, iss: V2_ISS, iat: nowSec - 60, nbf: nowSec - 60, exp: nowSec + 3600, azp: CONNECTOR, oid: OID, scp: 'access_as_user', tid: TENANT, ver: '2.0', sub: 'abc' }, overrides);
}

export function v1(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return withOverrides({ aud: `api://${API}`, iss: V1_ISS, iat: nowSec - 60, nbf: nowSec - 60, exp: nowSec + 3600, appid: CONNECTOR, oid: OID, scp: 'access_as_user', tid: TENANT, ver: '1.0', sub: 'abc' }, overrides);
}

function withOverrides(base: Record<string, unknown>, o: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

export function input(claims: Record<string, unknown>, settings: Settings = settingsWith(), extra: Partial<FrontDoorInput> = {}): FrontDoorInput {
  return { header: { alg: 'RS256', typ: 'JWT', kid: 'k1' }, claims, settings, signatureVerified: true, now: NOW, ...extra };
}

export const secondsAgo = (s: number): number => nowSec - s;
export const secondsAhead = (s: number): number => nowSec + s;
