import { app } from '@azure/functions';

import { connectionsHandler } from '../handlers/connections.js';

// Function-level, as /api/reports: the timeline shows other people's calls.
app.http('connections', { route: 'connections', methods: ['GET'], authLevel: 'function', handler: (request, context) => connectionsHandler(request, context) });
