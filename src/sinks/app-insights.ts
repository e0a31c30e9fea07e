import type * as Identity from '@azure/identity';
import type * as AppInsights from 'applicationinsights';

import type { TelemetrySettings } from '../config.js';
import type { Report } from '../report/report.js';
import { telemetryEvent } from './telemetry-event.js';

/**
 * The Application Insights adapter. The SDK is required here only, and this module is loaded only
 * when APPLICATIONINSIGHTS_CONNECTION_STRING is set: loading the SDK costs about a second of
 * start-up (shared/reference/azure-functions-node.md §3.3).
 *
 * Started with the classic shim, which starts Azure Monitor OpenTelemetry: that registers the
 * Functions preInvocation hook that binds each invocation's trace context, so the event carries
 * the invocation's operation ID and lines up with the host's `requests` row. The host owns request
 * telemetry, so the SDK's own request, console and performance collection is off.
 */
export interface Telemetry {
  observe(report: Report): void;
  /** Flushes within `timeoutMs`; never throws. */
  flush(timeoutMs: number): Promise<void>;
}

/** How long the flush after each call may take in the background, and at shutdown. */
export const FLUSH_TIMEOUT_MS = 3000;

interface ShimClient {
  trackEvent(event: { name: string; properties?: Record<string, string>; measurements?: Record<string, number> }): void;
  flush(): Promise<void>;
  config?: { aadTokenCredential?: unknown };
}

export function startAppInsights(settings: TelemetrySettings, warn: (message: string) => void): Telemetry {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const appInsights = require('applicationinsights') as typeof AppInsights;
  const config = appInsights
    .setup(settings.connectionString ?? undefined)
    .setAutoCollectRequests(false)
    .setAutoCollectConsole(false)
    .setAutoCollectPerformance(false, false)
    .setAutoCollectPreAggregatedMetrics(false)
    .setAutoCollectHeartbeat(false)
    .setAutoCollectExceptions(true)
    .setAutoCollectDependencies(true)
    .setSendLiveMetrics(false);
  const client = appInsights.defaultClient as unknown as ShimClient;
  if (settings.aadClientId !== undefined) {
    // The exporter does not read APPLICATIONINSIGHTS_AUTHENTICATION_STRING itself: pass the credential.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ManagedIdentityCredential } = require('@azure/identity') as typeof Identity;
    const credential = settings.aadClientId ? new ManagedIdentityCredential({ clientId: settings.aadClientId }) : new ManagedIdentityCredential();
    if (client.config) client.config.aadTokenCredential = credential;
  }
  config.start();

  const flush = async (timeoutMs: number): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.flush(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
          timer.unref();
        }),
      ]);
    } catch (error) {
      warn(`token-echo: telemetry flush failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    observe(report) {
      const event = telemetryEvent(report, settings.logClaims);
      client.trackEvent(event);
      // Sent now, in the background: the answer does not wait for ingestion, and a recycled instance loses nothing
      // that was tracked more than a flush ago. appTerminate flushes the rest.
      void flush(FLUSH_TIMEOUT_MS);
    },
    flush,
  };
}
