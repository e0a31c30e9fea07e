import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { parseBoolean } from '../config.js';
import { CONNECTOR_FILES, type ConnectorFile, connectorFile } from '../connector/definition.js';
import { ConnectorInputError, connectorInputs } from '../connector/inputs.js';

/**
 * GET /api/connector/{file}: the connector definition for this very app, its host taken from the
 * request, so "Import from URL" works. Other inputs come from the app settings.
 */
export function connectorHandler(request: HttpRequest, env: NodeJS.ProcessEnv = process.env): Promise<HttpResponseInit> {
  const file = request.params['file'] ?? '';
  if (!(CONNECTOR_FILES as readonly string[]).includes(file)) {
    return Promise.resolve(json(404, { error: 'not_found', message: `Ask for one of: ${CONNECTOR_FILES.join(', ')}.` }));
  }
  const host = new URL(request.url).host;
  try {
    const obo = request.query.get('obo');
    const inputs = connectorInputs({ host, obo: obo === null ? undefined : parseBoolean(obo), redirectMode: request.query.get('redirectMode') ?? undefined }, env);
    return Promise.resolve({
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="${file}"` },
      body: connectorFile(file as ConnectorFile, inputs),
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
