// The framework ceiling: a Function that only answers a fixed JSON, so the benchmark shows what
// @azure/functions and the local host cost per call.
const { app } = require('@azure/functions');

app.http('ceiling', { route: 'echo', methods: ['GET'], authLevel: 'anonymous', handler: async () => ({ jsonBody: { ok: true } }) });
