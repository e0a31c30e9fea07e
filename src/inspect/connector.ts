import type { Caller, ConnectorInfo } from '../report/report.js';
import { redactHeader } from './redact.js';

/**
 * What the connector runtime says about the call. Headers observed at backends (see
 * shared/reference/power-platform-connectors.md §2.2): Copilot Studio sends
 * `User-Agent: CopilotStudio …` and `x-ms-entra-agent-*`; Power Automate sends
 * `User-Agent: azure-logic-apps/1.0 … microsoft-flow/1.0` and `x-ms-workflow-*`.
 */
const CORRELATION = new Set(['traceparent', 'tracestate', 'request-id']);

export function connectorInfo(headers: ReadonlyMap<string, string>): ConnectorInfo {
  const seen: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (name.startsWith('x-ms-') || CORRELATION.has(name)) seen[name] = redactHeader(name, value);
  }
  return {
    oboHeader: headers.get('x-ms-apihub-obo') ?? null,
    caller: guessCaller(headers),
    headers: seen,
  };
}

export function guessCaller(headers: ReadonlyMap<string, string>): Caller {
  const agent = (headers.get('user-agent') ?? '').toLowerCase();
  const names = [...headers.keys()];
  if (agent.includes('copilotstudio') || names.some((n) => n.startsWith('x-ms-entra-agent-'))) return 'copilot-studio';
  if (agent.includes('microsoft-flow') || agent.includes('azure-logic-apps') || names.some((n) => n.startsWith('x-ms-workflow-'))) {
    return 'power-automate';
  }
  return 'unknown';
}
