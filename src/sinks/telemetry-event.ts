import type { TelemetrySettings } from '../config.js';
import type { Report } from '../report/report.js';

/**
 * The Application Insights custom event of a report: flat string dimensions that make KQL easy
 * (`customEvents | where name == "TokenEchoReport" | extend aud = tostring(customDimensions.aud)`),
 * and numeric measurements. Built from the finished report, which holds no secret; with
 * `identifiers` (the default) no display name, e-mail, upn or IP address is sent.
 */
export const EVENT_NAME = 'TokenEchoReport';

export interface TelemetryEvent {
  name: typeof EVENT_NAME;
  properties: Record<string, string>;
  measurements: Record<string, number>;
}

const text = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  // Claims are attacker-controlled: String({"toString":1}) throws, JSON.stringify does not.
  return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ') : JSON.stringify(value);
};

export function telemetryEvent(report: Report, logClaims: TelemetrySettings['logClaims'], nowSeconds: number = Date.parse(report.receivedAt) / 1000): TelemetryEvent {
  const claims = report.token?.claims ?? {};
  const headers = report.connector.headers;
  const properties: Record<string, string> = {
    reportId: report.id,
    verdict: report.verdict,
    reasonCodes: report.reasons.map((r) => r.code).join(','),
    summary: report.summary,
    aud: text(claims['aud']),
    iss: text(claims['iss']),
    tid: text(claims['tid']),
    ver: text(claims['ver']),
    scp: text(claims['scp']),
    roles: text(claims['roles']),
    client: report.token?.client ?? '',
    kind: report.token?.kind ?? '',
    oid: text(claims['oid']),
    oboHeader: report.connector.oboHeader ?? '',
    caller: report.connector.caller,
    correlationId: headers['x-ms-correlation-id'] ?? '',
    clientRequestId: headers['x-ms-client-request-id'] ?? '',
    tokenFingerprint: report.token?.fingerprint ?? '',
    method: report.request.method,
    path: report.request.path,
  };
  // MCP calls (src/mcp) carry the JSON-RPC method and tool: `where customDimensions.mcpMethod == "tools/call"`.
  if (report.mcp) {
    properties['mcpMethod'] = report.mcp.method ?? '';
    properties['mcpTool'] = report.mcp.tool ?? '';
    properties['mcpProtocolVersion'] = report.mcp.protocolVersion ?? '';
  }
  if (logClaims === 'all' && report.token?.claims) properties['claims'] = JSON.stringify(report.token.claims);
  const measurements: Record<string, number> = {};
  if (report.token?.expiresIn !== null && report.token?.expiresIn !== undefined) measurements['expiresInSeconds'] = report.token.expiresIn;
  const iat = report.token?.times.iat?.epoch;
  if (iat !== undefined) measurements['tokenAgeSeconds'] = Math.round(nowSeconds - iat);
  return { name: EVENT_NAME, properties, measurements };
}
