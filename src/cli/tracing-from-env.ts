import { readEnvironment } from '../config/environment';
import type { Tracing } from '../telemetry/tracing';
import { tracingSettings, type TracingSettings } from './tracing-settings';

/**
 * Tracing from the environment (see tracing-settings.ts), or null when it is off, which is the
 * default: then no provider is registered and every span is a no-op. OpenTelemetry's SDK and
 * exporter are loaded only when tracing is on, so a process without it (most CLI calls) starts
 * without them.
 */
export function tracingFromEnv(
  serviceName: string,
  version?: string,
  env: Record<string, string | undefined> = process.env,
): Tracing | null {
  const settings: TracingSettings = tracingSettings(readEnvironment(env), serviceName);
  if (!settings.enabled) return null;
  const { startTracing } = require('../telemetry/tracing') as typeof import('../telemetry/tracing');
  const { BatchSpanProcessor, ConsoleSpanExporter } =
    require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const spanProcessor = settings.exporter === 'console' ? new BatchSpanProcessor(new ConsoleSpanExporter()) : undefined;
  return startTracing({ serviceName: settings.serviceName, spanProcessor, recordContent: settings.recordContent, version });
}
