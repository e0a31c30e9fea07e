import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { CONNECTOR_FILES, connectorFile } from '../connector/definition.js';
import { ConnectorInputError, connectorInputs } from '../connector/inputs.js';
import { mcpConnectorFile } from '../connector/mcp-definition.js';
import { UsageError } from './usage-error.js';

export const CONNECTOR_SHORT_USAGE = `Usage: token-echo connector --host <app>.azurewebsites.net --client-id <GUID> --resource api://<API client ID> [--scope access_as_user] [--out DIR]`;

export const CONNECTOR_USAGE = `${CONNECTOR_SHORT_USAGE}

Writes the custom connector Power Platform imports: apiDefinition.swagger.json and apiProperties.json
(for "pac connector create" or "Import an OpenAPI file"), with Entra ID OAuth and on-behalf-of login.
--client-id and --resource may come from the settings instead (see below).

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
  -h, --help            this help

Then create the connector with the Power Platform CLI (pac auth create once, to sign in):
  pac connector create --api-definition-file connector/apiDefinition.swagger.json --api-properties-file connector/apiProperties.json
and enter the connector app's client secret on the connector's Security tab (Edit, Security, Update connector).
The secret is never written to these files and never needs to be typed on a command line.`;

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
  // pac connector create takes no secret (learn.microsoft.com/power-platform/developer/cli/reference/connector);
  // paconn's --secret would put it in the shell history, so the maker enters it on the Security tab.
  out('Next, with the Power Platform CLI (pac auth create once, to sign in):');
  out(`  pac connector create --api-definition-file ${shellWord(path.join(dir, 'apiDefinition.swagger.json'))} --api-properties-file ${shellWord(path.join(dir, 'apiProperties.json'))}`);
  out("Then enter the connector app's client secret on the connector's Security tab (Edit, Security, Update connector); it never goes on a command line.");
  return 0;
}

/** A path as one shell word: quoted only when it needs to be. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
