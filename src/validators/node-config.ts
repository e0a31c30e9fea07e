import type { Settings } from '../config.js';
import type { ConfigProblem } from './profile.js';
import { type TokenFacts, tenantGuidOf, tenantIssuers, widenedAudiences } from './token.js';
import type { FrontDoorInput } from './types.js';

/**
 * The options the Node snippets (jose, jsonwebtoken + jwks-rsa, express-jwt) are written with. The
 * same intent as token-echo: keys of the configured tenant's v2 key set (the v1 and v2 sets hold the
 * same tenant keys [DOC SKR]), the tenant's v2 and v1 issuers (Microsoft validates each version with
 * its own metadata [DOC AT]), TOKEN_ECHO_AUDIENCES exactly, TOKEN_ECHO_CLOCK_SKEW as the tolerance,
 * RS256 only, and `exp` required (.NET's RequireExpirationTime [CODE IMX TVP]).
 */
export interface NodeConfig {
  jwksUri: string;
  issuers: string[];
  /** Empty: `aud` not checked (TOKEN_ECHO_AUDIENCES unset). */
  audiences: string[];
  clockTolerance: number;
  settings: Settings;
}

export const NODE_ALGORITHMS = ['RS256'] as const;

export function nodeConfigFromSettings(input: FrontDoorInput): { config: NodeConfig } | ConfigProblem {
  const s = input.settings;
  if (s.tenant === null) return { problem: 'no tenant is configured, so no issuer or key set can be named', setting: 'TOKEN_ECHO_TENANT_ID' };
  const tid = tenantGuidOf(input);
  if (tid === null) return { problem: `the tenant GUID behind ${s.tenant} is not known yet (issuers name the GUID)`, setting: 'TOKEN_ECHO_TENANT_ID' };
  const issuers = tenantIssuers(s.authority, tid);
  return {
    config: {
      jwksUri: `${s.authority}/${s.tenant}/discovery/v2.0/keys`,
      issuers: issuers.v1 === null ? [issuers.v2] : [issuers.v2, issuers.v1],
      audiences: [...s.audiences],
      clockTolerance: s.clockSkewSeconds,
      settings: s,
    },
  };
}

export function widenNode<C extends { audiences: string[] }>(config: C, facts: TokenFacts): C {
  if (config.audiences.length === 0) return config;
  const audiences = widenedAudiences(config.audiences, facts.claims);
  return audiences.length === config.audiences.length ? config : { ...config, audiences };
}
