import { app } from '@azure/functions';

import { explainHandler } from '../handlers/explain.js';

// Function-level, as the viewer's other calls: the page sends its key.
app.http('explain', { route: 'explain', methods: ['POST'], authLevel: 'function', handler: (request) => explainHandler(request) });
