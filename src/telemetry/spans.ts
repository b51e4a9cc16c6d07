import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { errorTypeOf } from '../core/failed-attempt';

/**
 * Our own spans, beside the workflow and activity spans of Temporal's interceptors: model calls
 * (named and attributed as the OpenTelemetry GenAI conventions have them) and A2A calls, both
 * ways. With no tracer provider registered (tracing off) every call here is a no-op.
 */
const TRACER = 'durable-teams';

let recordContent = false;

/** Whether prompts and replies go on model spans (DURABLE_TEAMS_TRACE_CONTENT); off by default. */
export function setTraceContent(on: boolean): void {
  recordContent = on;
}

export function traceContent(): boolean {
  return recordContent;
}

/** A URL fit for a span: no credentials, no query (where keys sometimes ride), no fragment. */
export function spanUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** server.address / server.port of a URL, as the conventions name them. */
export function serverAttributes(url: string): Attributes {
  try {
    const parsed = new URL(url);
    const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
    return { 'server.address': parsed.hostname, 'server.port': port };
  } catch {
    return {};
  }
}

/**
 * Runs `work` in a span that is the active one meanwhile (so spans started inside are its
 * children) and ends it however `work` ends. A failure sets the span's status to its message,
 * which our errors keep free of secrets; a cancellation is recorded as such, not as a failure.
 */
export async function inSpan<T>(name: string, kind: SpanKind, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
  return trace.getTracer(TRACER).startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      if (error.name === 'AbortError' || error.name === 'CancelledFailure') {
        span.setAttribute('durable_teams.cancelled', true);
      } else {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.message.slice(0, 500) });
        span.setAttribute('error.type', errorTypeOf(error));
      }
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Adds the active trace to outgoing HTTP headers (W3C traceparent), so a remote that traces joins in. */
export function injectTraceHeaders(headers: Headers): void {
  propagation.inject(context.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) });
}

export { SpanKind };
