import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { OpenTelemetryPlugin, OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { WorkerPlugin } from '@temporalio/worker';
import { setTraceContent } from './spans';

/** Tracing as one process has it: what its worker and its clients add, and how it stops. */
export interface Tracing {
  /** Spans for workflows (through a sink, since workflow code cannot export) and activities. */
  workerPlugin: WorkerPlugin;
  /** Starts, signals and queries carry the caller's trace into the workflow. */
  clientInterceptors: { workflow: WorkflowClientInterceptor[] };
  /** Sends what is still buffered; call before the process exits. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  serviceName: string;
  /** Where spans go; default: a batch processor with the exporter the settings name (tests pass an in-memory one). */
  spanProcessor?: SpanProcessor;
  recordContent?: boolean;
  version?: string;
}

/**
 * Registers a tracer provider for this process (W3C trace context, async-hooks context so a span
 * started in an activity is a child of that activity's span) and returns what the Temporal worker
 * and clients need to join in. Temporal's interceptors package makes the workflow and activity
 * spans; ours (spans.ts) add model calls and A2A calls.
 */
export function startTracing(options: TracingOptions): Tracing {
  const resource = new Resource({
    'service.name': options.serviceName,
    ...(options.version ? { 'service.version': options.version } : {}),
  });
  const spanProcessor = options.spanProcessor ?? new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  setTraceContent(options.recordContent ?? false);
  const tracer = trace.getTracer('durable-teams', options.version);
  return {
    workerPlugin: new OpenTelemetryPlugin({ resource, spanProcessor, tracer }),
    clientInterceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer })] },
    async shutdown() {
      await provider.shutdown();
      trace.disable();
    },
  };
}
