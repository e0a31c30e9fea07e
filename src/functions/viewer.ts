import { app } from '@azure/functions';

import { viewerHandler } from '../handlers/viewer.js';

// Anonymous: the page holds no data, and so can explain a missing or wrong key instead of a blank
// 401; the reports it shows come from /api/reports, which needs the function key.
app.http('viewer', { route: 'viewer', methods: ['GET'], authLevel: 'anonymous', handler: () => viewerHandler() });
