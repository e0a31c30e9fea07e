import { app } from '@azure/functions';

import { type McpDeps, mcpHandler } from '../handlers/mcp.js';
import { mcpConnectorHandler } from '../handlers/mcp-connector.js';
import { discoveryHandler } from '../handlers/mcp-discovery.js';
import { hostPolicy } from '../mcp/origin.js';
import { HistoryGate } from '../mcp/recording.js';
import { sharedRuntime } from '../runtime.js';

const deps: McpDeps = { runtime: sharedRuntime(), policy: hostPolicy(process.env), gate: new HistoryGate() };

// Anonymous, as echo: an MCP client with OAuth sends a bearer token, not a function key.
app.http('mcp', { route: 'mcp', methods: ['POST', 'GET', 'DELETE'], authLevel: 'anonymous', handler: (request, context) => mcpHandler(request, context, deps) });
app.http('mcpPaths', { route: 'mcp/{*rest}', methods: ['GET', 'POST'], authLevel: 'anonymous', handler: (request, context) => discoveryHandler(request, context, deps) });
app.http('mcpWellKnown', { route: '.well-known/{*wellKnown}', methods: ['GET', 'POST'], authLevel: 'anonymous', handler: (request, context) => discoveryHandler(request, context, deps) });
// The MCP custom connector, beside the REST one (anonymous: no secret in it, and "Import from URL" sends no key).
app.http('mcpConnector', { route: 'connector/mcp/{file}', methods: ['GET'], authLevel: 'anonymous', handler: (request) => mcpConnectorHandler(request) });
