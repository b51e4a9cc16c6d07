import type { Environment } from '../config/environment';

/** What the standard OTEL_* variables (and our one addition) ask of tracing. */
export interface TracingSettings {
  /** Off unless an exporter is asked for: tracing costs nothing for those who do not use it. */
  enabled: boolean;
  exporter: 'otlp' | 'console';
  /** OTEL_SERVICE_NAME, else the process's own name (durable-teams-worker, ...). */
  serviceName: string;
  /** Prompts and replies on model spans: only with DURABLE_TEAMS_TRACE_CONTENT=true. */
  recordContent: boolean;
}

/**
 * Tracing is on when OTEL_TRACES_EXPORTER names an exporter, or an OTLP endpoint is set
 * (OTEL_EXPORTER_OTLP_ENDPOINT or its traces-only form); OTEL_SDK_DISABLED=true or
 * OTEL_TRACES_EXPORTER=none turn it off whatever else is set. The OTLP exporter reads the
 * endpoint, headers and timeout variables itself, as the specification has them.
 */
export function tracingSettings(env: Environment, defaultServiceName: string): TracingSettings {
  const asked = env.OTEL_TRACES_EXPORTER;
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const enabled = env.OTEL_SDK_DISABLED !== true && asked !== 'none' && (asked !== undefined || endpoint !== undefined);
  return {
    enabled,
    exporter: asked === 'console' ? 'console' : 'otlp',
    serviceName: env.OTEL_SERVICE_NAME ?? defaultServiceName,
    recordContent: env.DURABLE_TEAMS_TRACE_CONTENT === true,
  };
}
