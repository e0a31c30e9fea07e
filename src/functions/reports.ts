import { app } from '@azure/functions';

import { reportHandler, reportsHandler } from '../handlers/reports.js';

// Function-level: the history shows other people's calls.
app.http('reports', { route: 'reports', methods: ['GET', 'DELETE'], authLevel: 'function', handler: (request, context) => reportsHandler(request, context) });
app.http('report', { route: 'reports/{id}', methods: ['GET'], authLevel: 'function', handler: (request, context) => reportHandler(request, context) });
