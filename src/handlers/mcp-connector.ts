import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { ConnectorInputError, connectorInputs } from '../connector/inputs.js';
import { MCP_CONNECTOR_FILES, type McpConnectorFile, mcpConnectorFile } from '../connector/mcp-definition.js';

/**
 * GET /api/connector/mcp/{file}: the MCP custom connector for this very app (the REST connector's
 * route, /api/connector/{file}, with the MCP operation instead), its host taken from the request so
 * "Import from URL" works; other inputs come from the app settings.
 */
export function mcpConnectorHandler(request: HttpRequest, env: NodeJS.ProcessEnv = process.env): Promise<HttpResponseInit> {
  const file = request.params['file'] ?? '';
  if (!(MCP_CONNECTOR_FILES as readonly string[]).includes(file)) {
    return Promise.resolve(json(404, { error: 'not_found', message: `Ask for one of: ${MCP_CONNECTOR_FILES.join(', ')}.` }));
  }
  try {
    const inputs = connectorInputs({ host: new URL(request.url).host, obo: request.query.get('obo') === 'false' ? false : undefined, redirectMode: request.query.get('redirectMode') ?? undefined }, env);
    return Promise.resolve({
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="${file}"` },
      body: mcpConnectorFile(file as McpConnectorFile, inputs),
    });
  } catch (error) {
    if (error instanceof ConnectorInputError) {
      return Promise.resolve(json(409, { error: 'connector_inputs', message: 'Set these app settings to generate the connector.', problems: error.problems }));
    }
    throw error;
  }
}

function json(status: number, body: unknown): HttpResponseInit {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: `${JSON.stringify(body, null, 2)}\n` };
}
