import { app } from '@azure/functions';

import { echoHandler } from '../handlers/echo.js';

// Anonymous: a connector with OAuth security sends a bearer token, not a function key.
app.http('echo', {
  route: 'echo/{*path}',
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  authLevel: 'anonymous',
  handler: (request, context) => echoHandler(request, context),
});
