import { isGuid } from '../config.js';

/**
 * Audiences that name someone else's API, from shared/reference: the connector runtime
 * (API Hub and the services it accepts tokens for) and Microsoft Graph in every cloud.
 */
export const APIHUB_AUDIENCES = ['https://apihub.azure.com', 'https://service.flow.microsoft.com', 'https://management.core.windows.net'];
export const GRAPH_AUDIENCES = [
  'https://graph.microsoft.com',
  'https://graph.microsoft.us',
  'https://dod-graph.microsoft.us',
  'https://microsoftgraph.chinacloudapi.cn',
  '00000003-0000-0000-c000-000000000000',
];

function normal(value: string): string {
  return value.trim().replace(/\/+$/, '').toLowerCase();
}

/** The token's audiences as .NET's JsonWebToken.Audiences reads them: a string, or the strings of an array. */
export function audiencesOf(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === 'string');
  return [];
}

/**
 * How a token audience matches a configured one, as Microsoft.IdentityModel's Validators.AudiencesMatch:
 * ordinal equality, or (IgnoreTrailingSlashWhenValidatingAudience, true by default since 6.5.0) equality
 * once one trailing "/" is dropped from either side. Blank values never match (AudienceIsValid skips them).
 * Sources: Validators.cs; ValidatorsTests.ValidateAudienceTheoryData; JsonWebTokenHandler.ValidateTokenAsyncTests.Audience.cs.
 */
export function audienceMatch(token: string, valid: string): 'exact' | 'trailing_slash' | null {
  if (token.trim() === '' || valid.trim() === '') return null;
  if (token === valid) return 'exact';
  if (valid.length === token.length + 1 && valid.endsWith('/') && valid.startsWith(token)) return 'trailing_slash';
  if (token.length === valid.length + 1 && token.endsWith('/') && token.startsWith(valid)) return 'trailing_slash';
  return null;
}

export function isApiHubAudience(aud: string): boolean {
  return APIHUB_AUDIENCES.includes(normal(aud));
}

export function isGraphAudience(aud: string): boolean {
  return GRAPH_AUDIENCES.includes(normal(aud));
}

/** The client-ID GUID an audience names: the GUID itself, or `api://<GUID>`. */
export function guidOf(aud: string): string | null {
  const v = aud.trim();
  if (isGuid(v)) return v.toLowerCase();
  const m = /^api:\/\/([0-9a-f-]{36})\/?$/i.exec(v);
  return m?.[1] !== undefined && isGuid(m[1]) ? m[1].toLowerCase() : null;
}

/**
 * Why a token audience nearly matches a configured one: the mistakes makers make most
 * (shared/reference/entra-token-validation.md §6: trailing slash, case, api:// URI vs client ID).
 * Returns a sentence, or null when the two are unrelated.
 */
export function nearMiss(found: string, expected: string): string | null {
  if (found === expected) return null;
  if (found.trim() === expected.trim()) return `"${found}" and "${expected}" differ only by spaces around the value`;
  const f = found.replace(/\/+$/, '');
  const e = expected.replace(/\/+$/, '');
  // One trailing slash is forgiven (audienceMatch); more are not (ValidatorsTests "TokenAudienceWithTwoSlashesTVPTrue").
  if (f === e) return `"${found}" and "${expected}" differ by trailing slashes; Microsoft.IdentityModel forgives one, not more (v1.0 tokens carry the Resource URL exactly as the connector sent it)`;
  if (f.toLowerCase() === e.toLowerCase()) return `"${found}" and "${expected}" differ only in letter case; audiences are compared exactly`;
  const fg = guidOf(found);
  const eg = guidOf(expected);
  if (fg !== null && fg === eg) {
    return isGuid(found.trim())
      ? `the token names the API by its client ID "${found}" (as every v2.0 token does, and v1.0 tokens when the Resource URL is the client ID) while only the App ID URI "${expected}" is accepted`
      : `the token names the API by its App ID URI "${found}" (a v1.0 token for the Resource URL "${found}") while only the client ID "${expected}" is accepted`;
  }
  return null;
}
