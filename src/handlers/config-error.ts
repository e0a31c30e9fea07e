import type { HttpResponseInit } from '@azure/functions';

import type { ConfigError } from '../config.js';

/** A misconfigured app answers every call with the settings to fix, rather than with a wrong report. */
export function configErrorResponse(error: ConfigError): HttpResponseInit {
  return {
    status: 500,
    headers: { 'cache-control': 'no-store' },
    jsonBody: {
      error: 'invalid_settings',
      message: 'token-echo is misconfigured: fix these app settings and restart.',
      problems: error.problems,
    },
  };
}
