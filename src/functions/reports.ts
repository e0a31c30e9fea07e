import { app } from '@azure/functions';

import { frontDoorsHandler } from '../handlers/front-doors.js';
import { reportHandler, reportsHandler } from '../handlers/reports.js';

// Function-level: the history shows other people's calls.
app.http('reports', { route: 'reports', methods: ['GET', 'DELETE'], authLevel: 'function', handler: (request, context) => reportsHandler(request, context) });
app.http('report', { route: 'reports/{id}', methods: ['GET'], authLevel: 'function', handler: (request, context) => reportHandler(request, context) });
// Function-level: judges the maker's configuration against a stored call's token (src/handlers/front-doors.ts).
app.http('report-front-doors', { route: 'reports/{id}/front-doors', methods: ['POST'], authLevel: 'function', handler: (request, context) => frontDoorsHandler(request, context) });
