import { app } from '@azure/functions';

import { echoHandler } from '../handlers/echo.js';
import { FLUSH_TIMEOUT_MS } from '../sinks/app-insights.js';
import { flushRuntime, sharedRuntime } from '../runtime.js';

// Settings are read and checked, and Application Insights started (when configured), while the
// app starts: the SDK's invocation hook must be registered before the first call.
const runtime = sharedRuntime();
app.hook.appTerminate(() => flushRuntime(runtime, FLUSH_TIMEOUT_MS));

// Anonymous: a connector with OAuth security sends a bearer token, not a function key.
app.http('echo', {
  route: 'echo/{*path}',
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  authLevel: 'anonymous',
  handler: (request, context) => echoHandler(request, context, runtime),
});
