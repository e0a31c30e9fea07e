import { app } from '@azure/functions';

import { frontDoorsHandler } from '../handlers/front-doors.js';
import { reportHandler, reportsHandler } from '../handlers/reports.js';

// Function-level: the history shows other people's calls.
app.http('reports', { route: 'reports', methods: ['GET', 'DELETE'], authLevel: 'function', handler: (request, context) => reportsHandler(request, context) });
app.http('report', { route: 'reports/{id}', methods: ['GET'], authLevel: 'function', handler: (request, context) => reportHandler(request, context) });
// Function-level: a stored call's front-door verdicts with their snippets (GET), and the maker's configuration judged against its token (POST).
app.http('report-front-doors', { route: 'reports/{id}/front-doors', methods: ['GET', 'POST'], authLevel: 'function', handler: (request, context) => frontDoorsHandler(request, context) });
