import { app } from '@azure/functions';

import { viewerHandler } from '../handlers/viewer.js';

app.http('viewer', { route: 'viewer', methods: ['GET'], authLevel: 'function', handler: () => viewerHandler() });
