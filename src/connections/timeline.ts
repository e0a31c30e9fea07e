import { humanDuration } from '../report/format.js';
import { describeAudience, describeClient } from '../report/microsoft-apps.js';
import type { Caller, Report, Verdict } from '../report/report.js';

/**
 * Per-connection timeline: the history's reports grouped into the connections that sent them, each
 * with its tokens over time and what they show ("reconnect every hour", "works for me, not for my
 * colleague"). Pure: reads finished reports (already redacted), never a raw token; bounded in
 * connections, tokens and findings whatever the history holds.
 *
 * A connection is the connector's connection when the call names it: Power Platform's gateway sends
 * `X-MS-APIM-Referrer: https://<region>.azure-apim.net/apim/<connector>/<connection>/…`
 * (shared/reference/power-platform-connectors.md §2.2A-B, captures from Copilot Studio and Power
 * Automate). Otherwise the token says it: the same user (`oid`), calling app (`azp`/`appid`) and
 * audience (`aud`).
 */
export const MAX_CONNECTIONS = 100;
export const MAX_TOKENS_PER_CONNECTION = 50;

export type ConnectionFindingCode = 'EXPIRED_TOKEN_REUSED' | 'NO_NEW_TOKEN' | 'AUDIENCE_CHANGED' | 'SELF_TOKEN';

/** The timeline's findings, with their weight and what to do: stable codes, as the report's reasons. */
export const CONNECTION_FINDINGS: Record<ConnectionFindingCode, { severity: 'error' | 'warning' | 'info'; meaning: string; fix: string }> = {
  EXPIRED_TOKEN_REUSED: {
    severity: 'error',
    meaning: 'The connection sent a token after it expired: its refresh failed, or the caller kept a cached token.',
    fix: 'Edit the connection and sign in again (or delete and recreate it). In Copilot Studio a 401 makes the agent ask the user to sign in again; a 403 does not.',
  },
  NO_NEW_TOKEN: {
    severity: 'warning',
    meaning: 'The connection kept calling for longer than a token lives (exp - iat of its newest token, 60-90 minutes by default) without sending a new token: the connector runtime is not refreshing it.',
    fix: 'Check that the connection can refresh: the connector app needs offline_access (a refresh token) and a valid client secret; reconnect, or delete and recreate the connection.',
  },
  AUDIENCE_CHANGED: {
    severity: 'warning',
    meaning: 'The same connection (or the same user and app) sent tokens for different audiences: the connector\'s Resource URL was edited, and a connection made before the edit keeps sending the old audience.',
    fix: 'Delete the connections made before the Security tab was edited and create new ones; existing connections keep the old Resource URL.',
  },
  SELF_TOKEN: {
    severity: 'warning',
    meaning: 'The token\'s audience is its own client (aud is the calling app\'s client ID or api://<that ID>): the connector app and the API are one app registration. Entra refuses a refresh or on-behalf-of exchange for such an api:// resource with AADSTS90009 (an app requesting a token for itself, supported only with a GUID resource).',
    fix: 'Use a separate app registration for the connector (the client) and expose the scope on the API app; or set the Resource URL to the client ID GUID, not api://<ID>.',
  },
};

export interface ConnectionFinding {
  code: ConnectionFindingCode;
  severity: 'error' | 'warning' | 'info';
  message: string;
  fix: string;
}

export interface ConnectionToken {
  /** `sha256:<hex>` of the token, never the token. */
  fingerprint: string;
  iat: string | null;
  exp: string | null;
  aud: string;
  firstSeen: string;
  lastSeen: string;
  calls: number;
  /** Calls by verdict. */
  verdicts: Partial<Record<Verdict, number>>;
  /** Calls received after `exp` (the report said EXPIRED). */
  callsAfterExpiry: number;
}

export interface Connection {
  /** `apim:<connector>/<connection>` or `token:<oid>|<client>|<aud>`. */
  key: string;
  groupedBy: 'x-ms-apim-referrer' | 'token';
  connector: string | null;
  connection: string | null;
  user: string | null;
  userName: string | null;
  client: string | null;
  /** The well-known Microsoft app the client is, when it is one. */
  clientName: string | null;
  audiences: string[];
  /** Per audience, the Microsoft service it is (src/report/microsoft-apps.ts), or null for the maker's own API. */
  audienceNames: Array<string | null>;
  caller: Caller;
  firstSeen: string;
  lastSeen: string;
  calls: number;
  /** Oldest first; the newest MAX_TOKENS_PER_CONNECTION when there were more. */
  tokens: ConnectionToken[];
  tokensLeftOut: number;
  findings: ConnectionFinding[];
}

export interface Timeline {
  reportsRead: number;
  /** Reports with neither a decodable token nor a connection reference. */
  ungrouped: number;
  connections: Connection[];
  connectionsLeftOut: number;
}

const APIM_PATH = /\/apim\/([^/?#]+)\/([^/?#]+)/i;

/** The connector and connection an `X-MS-APIM-Referrer` value names, or null. */
export function apimConnection(referrer: string | undefined): { connector: string; connection: string } | null {
  if (referrer === undefined) return null;
  const m = APIM_PATH.exec(referrer.slice(0, 2048));
  if (!m) return null;
  const safe = (s: string): string => {
    let v = s;
    try {
      v = decodeURIComponent(s);
    } catch {
      // Kept as it came.
    }
    return v.slice(0, 200);
  };
  return { connector: safe(m[1] as string), connection: safe(m[2] as string) };
}

const claimText = (claims: Record<string, unknown> | null, name: string): string | null => {
  const v = claims !== null && Object.prototype.hasOwnProperty.call(claims, name) ? claims[name] : undefined;
  return typeof v === 'string' && v !== '' ? v.slice(0, 200) : null;
};
const audText = (claims: Record<string, unknown> | null): string => {
  const v = claims?.['aud'];
  return (typeof v === 'string' ? v : Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(', ') : '').slice(0, 300);
};

interface Group {
  connection: Connection;
  tokens: Map<string, ConnectionToken & { iatEpoch: number | null; expEpoch: number | null }>;
  /** For the AUDIENCE_CHANGED comparison between token-keyed groups. */
  userAndClient: string | null;
  lastCall: number;
  firstCall: number;
}

/** Groups reports (any order) into connections, newest activity first. */
export function buildTimeline(reports: readonly Report[]): Timeline {
  const sorted = [...reports].sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt));
  const groups = new Map<string, Group>();
  // Bounded work: the most recently active connections are kept (chosen newest first), the rest counted.
  const wanted = new Set<string>();
  const dropped = new Set<string>();
  for (let i = sorted.length - 1; i >= 0; i -= 1) {
    const key = keyOf(sorted[i] as Report)?.key;
    if (key === undefined || wanted.has(key)) continue;
    if (wanted.size < MAX_CONNECTIONS) wanted.add(key);
    else dropped.add(key);
  }
  let ungrouped = 0;
  for (const report of sorted) {
    const claims = report.token?.claims ?? null;
    const keyed = keyOf(report);
    if (keyed === null) {
      ungrouped += 1;
      continue;
    }
    const { key, apim, oid, client, aud, hasToken } = keyed;
    if (!wanted.has(key)) continue;
    const at = Date.parse(report.receivedAt);
    let group = groups.get(key);
    if (group === undefined) {
      group = {
        connection: {
          key,
          groupedBy: apim !== null ? 'x-ms-apim-referrer' : 'token',
          connector: apim?.connector ?? null,
          connection: apim?.connection ?? null,
          user: oid,
          userName: claimText(claims, 'upn') ?? claimText(claims, 'preferred_username') ?? claimText(claims, 'unique_name'),
          client,
          clientName: client === null ? null : (describeClient(client)?.name ?? null),
          audiences: [],
          audienceNames: [],
          caller: report.connector.caller,
          firstSeen: report.receivedAt,
          lastSeen: report.receivedAt,
          calls: 0,
          tokens: [],
          tokensLeftOut: 0,
          findings: [],
        },
        tokens: new Map(),
        userAndClient: apim === null ? `${oid ?? '-'}|${client ?? '-'}` : null,
        firstCall: at,
        lastCall: at,
      };
      groups.set(key, group);
    }
    const c = group.connection;
    c.calls += 1;
    c.lastSeen = report.receivedAt;
    group.lastCall = at;
    c.user ??= oid;
    c.client ??= client;
    if (c.caller === 'unknown') c.caller = report.connector.caller;
    if (!hasToken || report.token === null) continue;
    if (aud !== '' && !c.audiences.includes(aud) && c.audiences.length < 10) c.audiences.push(aud);
    const fingerprint = report.token.fingerprint;
    let token = group.tokens.get(fingerprint);
    if (token === undefined) {
      const times = report.token.times;
      token = {
        fingerprint,
        iat: times.iat?.iso ?? null,
        exp: times.exp?.iso ?? null,
        aud,
        firstSeen: report.receivedAt,
        lastSeen: report.receivedAt,
        calls: 0,
        verdicts: {},
        callsAfterExpiry: 0,
        iatEpoch: times.iat?.epoch ?? null,
        expEpoch: times.exp?.epoch ?? null,
      };
      group.tokens.set(fingerprint, token);
    }
    token.calls += 1;
    token.lastSeen = report.receivedAt;
    token.verdicts[report.verdict] = (token.verdicts[report.verdict] ?? 0) + 1;
    if (report.reasons.some((r) => r.code === 'EXPIRED')) token.callsAfterExpiry += 1;
  }

  const all = [...groups.values()];
  for (const group of all) finish(group, all);
  all.sort((a, b) => b.lastCall - a.lastCall);
  return { reportsRead: reports.length, ungrouped, connections: all.map((g) => g.connection), connectionsLeftOut: dropped.size };
}

interface Keyed {
  key: string;
  apim: { connector: string; connection: string } | null;
  oid: string | null;
  client: string | null;
  aud: string;
  hasToken: boolean;
}

/** The connection a report belongs to: the gateway's connection reference, else the token's user, app and audience; null for neither. */
function keyOf(report: Report): Keyed | null {
  const claims = report.token?.claims ?? null;
  const apim = apimConnection(report.request.headers['x-ms-apim-referrer']);
  const hasToken = report.token !== null && claims !== null;
  if (apim === null && !hasToken) return null;
  const oid = claimText(claims, 'oid');
  const client = report.token?.client ?? null;
  const aud = audText(claims);
  const key = apim !== null ? `apim:${apim.connector}/${apim.connection}` : `token:${oid ?? '-'}|${client ?? '-'}|${aud}`;
  return { key, apim, oid, client, aud, hasToken };
}

const short = (fingerprint: string): string => `${fingerprint.slice(0, 19)}...`;

function finding(code: ConnectionFindingCode, message: string): ConnectionFinding {
  const def = CONNECTION_FINDINGS[code];
  return { code, severity: def.severity, message, fix: def.fix };
}

function finish(group: Group, all: readonly Group[]): void {
  const c = group.connection;
  const tokens = [...group.tokens.values()].sort((a, b) => Date.parse(a.firstSeen) - Date.parse(b.firstSeen));
  const findings: ConnectionFinding[] = [];

  const expired = tokens.filter((t) => t.callsAfterExpiry > 0);
  if (expired.length > 0) {
    const t = expired[expired.length - 1] as (typeof expired)[number];
    const calls = expired.reduce((n, x) => n + x.callsAfterExpiry, 0);
    findings.push(
      finding(
        'EXPIRED_TOKEN_REUSED',
        `${calls} call${calls === 1 ? '' : 's'} carried a token after it expired (${expired.length === 1 ? '' : `${expired.length} tokens, the last `}${short(t.fingerprint)}, exp ${t.exp ?? '?'}, last sent ${t.lastSeen}).`,
      ),
    );
  }

  const newest = tokens[tokens.length - 1];
  if (newest !== undefined && newest.iatEpoch !== null && newest.expEpoch !== null && newest.expEpoch > newest.iatEpoch) {
    const lifetime = newest.expEpoch - newest.iatEpoch;
    const sinceIssued = group.lastCall / 1000 - newest.iatEpoch;
    if (sinceIssued > lifetime) {
      findings.push(
        finding(
          'NO_NEW_TOKEN',
          `No new token for ${humanDuration(sinceIssued)}: the newest token (${short(newest.fingerprint)}) was issued at ${newest.iat ?? '?'} and lives ${humanDuration(lifetime)}, yet the connection still called at ${c.lastSeen}.`,
        ),
      );
    }
  }

  // Within a connection named by the gateway: the audience of its tokens changed.
  if (c.groupedBy === 'x-ms-apim-referrer' && c.audiences.length > 1) {
    const firstOfLast = tokens.find((t) => t.aud === tokens[tokens.length - 1]?.aud);
    findings.push(finding('AUDIENCE_CHANGED', `This connection's tokens changed audience: ${c.audiences.map((a) => JSON.stringify(a)).join(' then ')} (the newest since ${firstOfLast?.firstSeen ?? '?'}).`));
  }
  // Between token-keyed groups: the same user and app with another audience, started later.
  if (group.userAndClient !== null) {
    const newer = all
      .filter((g) => g !== group && g.userAndClient === group.userAndClient && g.firstCall > group.firstCall)
      .sort((a, b) => a.firstCall - b.firstCall)[0];
    if (newer !== undefined) {
      const stale = group.lastCall > newer.firstCall;
      findings.push(
        finding(
          'AUDIENCE_CHANGED',
          `The same user and app also send tokens for ${JSON.stringify(newer.connection.audiences[0] ?? '')} since ${newer.connection.firstSeen}; ${stale ? `this connection still sent ${JSON.stringify(c.audiences[0] ?? '')} after that (last at ${c.lastSeen}): a stale connection made before the Resource URL was edited.` : `this one (${JSON.stringify(c.audiences[0] ?? '')}) stopped before: the connection was recreated.`}`,
        ),
      );
    }
  }

  // AADSTS90009: the token's audience is its own client (shared/reference/power-platform-connectors.md §1.2, §4; entra-docs reference-error-codes.md).
  const self = tokens.find((t) => c.client !== null && isSelfAudience(t.aud, c.client));
  if (self !== undefined && c.client !== null) {
    findings.push(finding('SELF_TOKEN', `The token's aud ${JSON.stringify(self.aud)} is its own client ${c.client}: a refresh or on-behalf-of exchange for it fails with AADSTS90009 when the resource is api://<ID>.`));
  }
  c.findings = findings;
  c.tokensLeftOut = Math.max(0, tokens.length - MAX_TOKENS_PER_CONNECTION);
  c.tokens = tokens.slice(-MAX_TOKENS_PER_CONNECTION).map(({ iatEpoch: _i, expEpoch: _e, ...t }) => t);
  c.audienceNames = c.audiences.map((a) => describeAudience(a)?.audience.name ?? null);
}

/** `aud` equal to the client ID, or `api://<client ID>` (with or without a trailing slash). */
export function isSelfAudience(aud: string, client: string): boolean {
  const a = aud.trim().toLowerCase().replace(/\/+$/, '');
  const id = client.trim().toLowerCase();
  return a === id || a === `api://${id}`;
}
