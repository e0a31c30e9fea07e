import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { type ParseError, parse as parseJsonc, printParseErrorCode } from 'jsonc-parser';

import { type ApimAzureAdConfig, apimAzureAdProfile } from './apim-azure-ad-token.js';
import { type ApimJwtConfig, apimValidateJwtProfile } from './apim-validate-jwt.js';
import { type EasyAuthConfig, easyAuthProfile } from './easy-auth.js';
import { type IdentityWebConfig, identityWebProfile } from './identity-web.js';
import type { RequiredClaim } from './microsoft-rules.js';
import { judgeWith } from './profile.js';
import { factsOf, tenantGuidOf } from './token.js';
import type { FrontDoorInput, ProfileResult } from './types.js';

/**
 * The maker's own front-door configuration, judged as written: an `authsettingsV2` document as
 * `az webapp auth show` prints it, an API Management policy (fragment or whole `<policies>`), or an
 * `appsettings.json` (JSON with comments). Anything that cannot be read is named, never guessed.
 */
export type ConfigKind = 'authsettingsV2' | 'apim-policy' | 'appsettings';

export type ConfigInputResult =
  | { ok: true; kind: ConfigKind; result: Omit<ProfileResult, 'snippetForSettings'> }
  | { ok: false; kind: ConfigKind | null; problems: string[] };

/** Configuration text is small; anything larger is refused before parsing. */
export const MAX_CONFIG_BYTES = 256 * 1024;

export function judgeConfigInput(text: string, input: FrontDoorInput, kind?: ConfigKind): ConfigInputResult {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CONFIG_BYTES) return { ok: false, kind: kind ?? null, problems: [`the configuration is ${bytes} bytes; at most ${MAX_CONFIG_BYTES} are read`] };
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, kind: kind ?? null, problems: ['the configuration is empty'] };
  const detected = kind ?? (trimmed.startsWith('<') ? 'apim-policy' : null);
  if (detected === 'apim-policy') return judgeApimPolicy(trimmed, input);
  const errors: ParseError[] = [];
  const doc: unknown = parseJsonc(trimmed, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const e = errors[0] as ParseError;
    const { line, column } = lineOf(trimmed, e.offset);
    return { ok: false, kind: detected, problems: [`the JSON could not be read: ${printParseErrorCode(e.error)} at line ${line}, column ${column}`] };
  }
  if (!isObject(doc)) return { ok: false, kind: detected, problems: ['the configuration is not a JSON object'] };
  const kindOfJson = detected ?? (findKey(doc, 'AzureAd') !== undefined ? 'appsettings' : 'authsettingsV2');
  return kindOfJson === 'appsettings' ? judgeAppSettings(doc, input) : judgeAuthSettings(doc, input);
}

function lineOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** .NET configuration keys are case-insensitive [DOC ASP.NET Core configuration]. */
function findKey(obj: Record<string, unknown>, key: string): unknown {
  const k = Object.keys(obj).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : obj[k];
}

class Reader {
  readonly problems: string[] = [];
  str(value: unknown, path: string, required: boolean): string | null {
    if (value === undefined || value === null) {
      if (required) this.problems.push(`${path} is missing`);
      return null;
    }
    if (typeof value !== 'string') {
      this.problems.push(`${path} should be a string, not ${Array.isArray(value) ? 'an array' : typeof value}`);
      return null;
    }
    return value.trim();
  }
  strings(value: unknown, path: string): string[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      this.problems.push(`${path} should be an array of strings`);
      return [];
    }
    return (value as string[]).map((v) => v.trim());
  }
  bool(value: unknown, path: string, fallback: boolean): boolean {
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    this.problems.push(`${path} should be true or false`);
    return fallback;
  }
  obj(value: unknown, path: string): Record<string, unknown> {
    if (value === undefined || value === null) return {};
    if (isObject(value)) return value;
    this.problems.push(`${path} should be an object`);
    return {};
  }
}

function judgeAuthSettings(doc: Record<string, unknown>, input: FrontDoorInput): ConfigInputResult {
  const r = new Reader();
  // `az webapp auth show` prints the ARM resource ({ id, name, properties: {...} }); the bare properties object is read too.
  const props = isObject(doc['properties']) ? doc['properties'] : doc;
  const providers = r.obj(props['identityProviders'], 'properties.identityProviders');
  const aad = providers['azureActiveDirectory'];
  if (!isObject(aad)) {
    return { ok: false, kind: 'authsettingsV2', problems: [...r.problems, 'properties.identityProviders.azureActiveDirectory was not found: this is not an authsettingsV2 document with the Microsoft provider'] };
  }
  const P = 'properties.identityProviders.azureActiveDirectory';
  const registration = r.obj(aad['registration'], `${P}.registration`);
  const validation = r.obj(aad['validation'], `${P}.validation`);
  const policy = r.obj(validation['defaultAuthorizationPolicy'], `${P}.validation.defaultAuthorizationPolicy`);
  const principals = r.obj(policy['allowedPrincipals'], `${P}.validation.defaultAuthorizationPolicy.allowedPrincipals`);
  const jwtChecks = r.obj(validation['jwtClaimChecks'], `${P}.validation.jwtClaimChecks`);
  const platform = r.obj(props['platform'], 'properties.platform');
  const config: EasyAuthConfig = {
    // `enabled`: "false if the Azure Active Directory provider should not be enabled despite the set registration; otherwise, true" [DOC REST authsettingsV2].
    enabled: r.bool(aad['enabled'], `${P}.enabled`, true) && r.bool(platform['enabled'], 'properties.platform.enabled', true),
    openIdIssuer: r.str(registration['openIdIssuer'], `${P}.registration.openIdIssuer`, true),
    clientId: r.str(registration['clientId'], `${P}.registration.clientId`, true),
    allowedAudiences: r.strings(validation['allowedAudiences'], `${P}.validation.allowedAudiences`),
    allowedApplications: r.strings(policy['allowedApplications'], `${P}.validation.defaultAuthorizationPolicy.allowedApplications`),
    identities: r.strings(principals['identities'], `${P}.validation.defaultAuthorizationPolicy.allowedPrincipals.identities`),
    jwtAllowedClientApplications: r.strings(jwtChecks['allowedClientApplications'], `${P}.validation.jwtClaimChecks.allowedClientApplications`),
    jwtAllowedGroups: r.strings(jwtChecks['allowedGroups'], `${P}.validation.jwtClaimChecks.allowedGroups`),
    allowedTenants: [],
    settingsTenant: input.settings.tenant,
    tenantGuid: tenantGuidOf(input),
  };
  if (r.problems.length > 0) return { ok: false, kind: 'authsettingsV2', problems: r.problems };
  return { ok: true, kind: 'authsettingsV2', result: judgeWith(easyAuthProfile, config, factsOf(input)) };
}

function judgeAppSettings(doc: Record<string, unknown>, input: FrontDoorInput): ConfigInputResult {
  const r = new Reader();
  const section = findKey(doc, 'AzureAd');
  if (!isObject(section)) return { ok: false, kind: 'appsettings', problems: ['the AzureAd section was not found (or is not an object)'] };
  const get = (k: string): unknown => findKey(section, k);
  const instance = r.str(get('Instance'), 'AzureAd:Instance', false) ?? 'https://login.microsoftonline.com/';
  const clientId = r.str(get('ClientId'), 'AzureAd:ClientId', true);
  const tvp = findKey(section, 'TokenValidationParameters');
  const validAudiences = isObject(tvp) ? r.strings(findKey(tvp, 'ValidAudiences'), 'AzureAd:TokenValidationParameters:ValidAudiences') : [];
  const config: IdentityWebConfig = {
    instance: instance.replace(/\/+$/, ''),
    // "string tenantId = options.TenantId ?? \"common\"" [CODE MIW BuildAuthorityFromApplicationOptions].
    tenantId: r.str(get('TenantId'), 'AzureAd:TenantId', false) ?? 'common',
    clientId: clientId ?? '',
    audience: r.str(get('Audience'), 'AzureAd:Audience', false) || null,
    validAudiences: validAudiences.length > 0 ? validAudiences : null,
    allowAcl: r.bool(get('AllowWebApiToBeAuthorizedByACL'), 'AzureAd:AllowWebApiToBeAuthorizedByACL', false),
    intent: null,
    settingsTenant: input.settings.tenant,
    tenantGuid: tenantGuidOf(input),
  };
  try {
    new URL(config.instance);
  } catch {
    r.problems.push(`AzureAd:Instance should be an absolute URL such as https://login.microsoftonline.com/, not ${JSON.stringify(instance)}`);
  }
  if (r.problems.length > 0) return { ok: false, kind: 'appsettings', problems: r.problems };
  return { ok: true, kind: 'appsettings', result: judgeWith(identityWebProfile, config, factsOf(input)) };
}

const LIST_TAGS = new Set(['application-id', 'audience', 'issuer', 'claim', 'value', 'openid-config']);

function judgeApimPolicy(text: string, input: FrontDoorInput): ConfigInputResult {
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { ok: false, kind: 'apim-policy', problems: [`the policy XML could not be read: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`] };
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (name) => LIST_TAGS.has(name), parseTagValue: false, parseAttributeValue: false, trimValues: false, processEntities: true });
  const doc: unknown = parser.parse(text);
  const aad = findElement(doc, 'validate-azure-ad-token');
  const jwt = aad === null ? findElement(doc, 'validate-jwt') : null;
  if (aad === null && jwt === null) return { ok: false, kind: 'apim-policy', problems: ['neither a <validate-azure-ad-token> nor a <validate-jwt> element was found in the policy'] };
  const r = new PolicyReader();
  if (aad !== null) {
    const config: ApimAzureAdConfig = {
      tenantId: r.attr(aad, 'tenant-id', 'validate-azure-ad-token/@tenant-id', true) ?? '',
      audiences: r.audiences(aad),
      clientApplicationIds: r.texts(aad['client-application-ids'], 'application-id', 'client-application-ids/application-id'),
      backendApplicationIds: r.texts(aad['backend-application-ids'], 'application-id', 'backend-application-ids/application-id'),
      requiredClaims: r.claims(aad['required-claims']),
      authority: input.settings.authority,
      settingsTenant: input.settings.tenant,
      tenantGuid: tenantGuidOf(input),
    };
    // "At least one application-id must be specified" [DOC APIM-AAD].
    if (config.clientApplicationIds.length === 0) r.problems.push('client-application-ids/application-id: at least one is required by validate-azure-ad-token');
    if (r.problems.length > 0) return { ok: false, kind: 'apim-policy', problems: r.problems };
    return { ok: true, kind: 'apim-policy', result: judgeWith(apimAzureAdProfile, config, factsOf(input)) };
  }
  const el = jwt as Record<string, unknown>;
  const skewText = r.attr(el, 'clock-skew', 'validate-jwt/@clock-skew', false);
  const clockSkew = skewText === null ? 0 : Number(skewText);
  if (skewText !== null && !(Number.isInteger(clockSkew) && clockSkew >= 0)) r.problems.push(`validate-jwt/@clock-skew should be a whole number of seconds, not ${JSON.stringify(skewText)}`);
  const requireExp = r.attr(el, 'require-expiration-time', 'validate-jwt/@require-expiration-time', false);
  const openid = Array.isArray(el['openid-config']) ? (el['openid-config'] as unknown[]) : [];
  const config: ApimJwtConfig = {
    openidConfigUrls: openid.map((o, i) => (isObject(o) ? r.attr(o, 'url', `openid-config[${i + 1}]/@url`, true) : null)).filter((u): u is string => u !== null),
    issuers: r.texts(el['issuers'], 'issuer', 'issuers/issuer'),
    audiences: r.audiences(el),
    clockSkew: Number.isInteger(clockSkew) ? clockSkew : 0,
    requireExpirationTime: requireExp === null ? true : requireExp.toLowerCase() !== 'false',
    requiredClaims: r.claims(el['required-claims']),
    settingsTenant: input.settings.tenant,
    tenantGuid: tenantGuidOf(input),
  };
  if (r.problems.length > 0) return { ok: false, kind: 'apim-policy', problems: r.problems };
  return { ok: true, kind: 'apim-policy', result: judgeWith(apimValidateJwtProfile, config, factsOf(input)) };
}

function findElement(node: unknown, name: string, depth = 0): Record<string, unknown> | null {
  if (depth > 32) return null;
  if (Array.isArray(node)) {
    for (const n of node) {
      const found = findElement(n, name, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (!isObject(node)) return null;
  for (const [k, v] of Object.entries(node)) {
    if (k === name) return isObject(v) ? v : {};
    if (!k.startsWith('@_')) {
      const found = findElement(v, name, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

/** Named values ({{name}}) and policy expressions (@(...), @{...}) are resolved by APIM at run time: they cannot be judged here. */
function unresolved(value: string): boolean {
  return /\{\{[^}]*\}\}/.test(value) || /^@[({]/.test(value.trim());
}

class PolicyReader {
  readonly problems: string[] = [];
  private check(value: string, path: string): string | null {
    if (unresolved(value)) {
      this.problems.push(`${path} is ${JSON.stringify(value)}, a named value or policy expression APIM resolves at run time: paste the resolved value`);
      return null;
    }
    return value.trim();
  }
  attr(el: Record<string, unknown>, name: string, path: string, required: boolean): string | null {
    const v = el[`@_${name}`];
    if (typeof v !== 'string' || v.trim() === '') {
      if (required) this.problems.push(`${path} is missing`);
      return null;
    }
    return this.check(v, path);
  }
  texts(container: unknown, tag: string, path: string): string[] {
    if (!isObject(container)) return [];
    const items = container[tag];
    if (!Array.isArray(items)) return [];
    const out: string[] = [];
    items.forEach((item, i) => {
      const text = typeof item === 'string' ? item : isObject(item) && typeof item['#text'] === 'string' ? item['#text'] : '';
      if (text.trim() === '') this.problems.push(`${path}[${i + 1}] is empty`);
      else {
        const v = this.check(text, `${path}[${i + 1}]`);
        if (v !== null) out.push(v);
      }
    });
    return out;
  }
  /** `<audiences>`: absent → null; present → "At least one audience must be specified" [DOC APIM-AAD, APIM-JWT]. */
  audiences(el: Record<string, unknown>): string[] | null {
    if (!('audiences' in el)) return null;
    const list = this.texts(el['audiences'], 'audience', 'audiences/audience');
    if (list.length === 0 && this.problems.length === 0) this.problems.push('audiences: at least one audience must be specified');
    return list;
  }
  claims(container: unknown): RequiredClaim[] {
    if (!isObject(container) || !Array.isArray(container['claim'])) return [];
    const out: RequiredClaim[] = [];
    (container['claim'] as unknown[]).forEach((c, i) => {
      const path = `required-claims/claim[${i + 1}]`;
      if (!isObject(c)) {
        this.problems.push(`${path} has no name`);
        return;
      }
      const name = this.attr(c, 'name', `${path}/@name`, true);
      const match = this.attr(c, 'match', `${path}/@match`, false) ?? 'all';
      if (match !== 'all' && match !== 'any') this.problems.push(`${path}/@match should be all or any, not ${JSON.stringify(match)}`);
      const sep = c['@_separator'];
      if (name === null) return;
      out.push({ name, match: match === 'any' ? 'any' : 'all', separator: typeof sep === 'string' && sep !== '' ? sep : null, values: this.texts(c, 'value', `${path}/value`) });
    });
    return out;
  }
}
