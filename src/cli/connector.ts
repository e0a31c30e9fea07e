import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { CONNECTOR_FILES, connectorFile } from '../connector/definition.js';
import { ConnectorInputError, connectorInputs } from '../connector/inputs.js';
import { mcpConnectorFile } from '../connector/mcp-definition.js';
import { UsageError } from './usage-error.js';

export const CONNECTOR_USAGE = `Usage: token-echo connector --host <app>.azurewebsites.net [--out DIR] [options]

Writes the custom connector Power Platform imports: apiDefinition.swagger.json and apiProperties.json
(for "paconn create" or "Import an OpenAPI file"), with Entra ID OAuth and on-behalf-of login.

  --host HOST           the function app's host name, without https:// (required)
  --out DIR             where to write the two files (default ./connector)
  --client-id GUID      the connector app registration (default: first of TOKEN_ECHO_CLIENT_IDS)
  --resource URI        the API's App ID URI, the Resource URL (default: first api:// of TOKEN_ECHO_AUDIENCES)
  --scope SCOPE         a delegated scope of the API (default: first of TOKEN_ECHO_SCOPES)
  --tenant ID           tenant GUID or domain (default: TOKEN_ECHO_TENANT_ID, else common)
  --authority URL       login URI (default: TOKEN_ECHO_AUTHORITY, else https://login.microsoftonline.com)
  --no-obo              leave "Enable on-behalf-of login" off
  --redirect-mode MODE  per-connector (default) or global
  --mcp                 the MCP connector instead, for Copilot Studio agents: one operation on /api/mcp
                        marked x-ms-agentic-protocol: mcp-streamable-1.0, same OAuth (default --out ./connector-mcp)
  -h, --help            this help`;

export function runConnector(args: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): number {
  const { values } = parseArgs({
    args,
    options: {
      host: { type: 'string' },
      out: { type: 'string' },
      'client-id': { type: 'string' },
      resource: { type: 'string' },
      scope: { type: 'string' },
      tenant: { type: 'string' },
      authority: { type: 'string' },
      'no-obo': { type: 'boolean' },
      'redirect-mode': { type: 'string' },
      mcp: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    out(CONNECTOR_USAGE);
    return 0;
  }
  let inputs;
  try {
    inputs = connectorInputs(
      {
        host: values.host,
        clientId: values['client-id'],
        resource: values.resource,
        scope: values.scope,
        tenant: values.tenant,
        authority: values.authority,
        obo: values['no-obo'] ? false : undefined,
        redirectMode: values['redirect-mode'],
      },
      env,
    );
  } catch (error) {
    if (error instanceof ConnectorInputError) throw new UsageError(error.problems.join('; '));
    throw error;
  }
  const dir = path.resolve(values.out ?? (values.mcp ? 'connector-mcp' : 'connector'));
  mkdirSync(dir, { recursive: true });
  for (const file of CONNECTOR_FILES) {
    writeFileSync(path.join(dir, file), values.mcp ? mcpConnectorFile(file, inputs) : connectorFile(file, inputs));
    out(`wrote ${path.join(dir, file)}`);
  }
  out(`Resource URL ${inputs.resourceUri}, client ${inputs.clientId}, on-behalf-of ${inputs.onBehalfOf ? 'on' : 'off'}.`);
  out(`Next: paconn create --api-def ${path.join(dir, 'apiDefinition.swagger.json')} --api-prop ${path.join(dir, 'apiProperties.json')} --secret <connector app secret>`);
  return 0;
}
