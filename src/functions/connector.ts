import { app } from '@azure/functions';

import { connectorHandler } from '../handlers/connector.js';

// Anonymous: the definition holds no secret, and "Import from URL" sends no key.
app.http('connector', { route: 'connector/{file}', methods: ['GET'], authLevel: 'anonymous', handler: (request) => connectorHandler(request) });
