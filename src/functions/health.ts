import { app } from '@azure/functions';

import { healthHandler } from '../handlers/health.js';

app.http('health', {
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: (request, context) => healthHandler(request, context),
});
