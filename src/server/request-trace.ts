import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';

/**
 * A server span for each A2A request, continuing the caller's trace (W3C traceparent) when it
 * sends one, and active while the request is handled, so the workflow a SendMessage starts (and
 * its activities, and their model calls) hang under it. Mounted after the body parser: the JSON-RPC
 * method names the span, and the handler runs inside the span's context. With tracing off, it
 * costs a no-op span.
 */
export function traceRequests(protocol: 'jsonrpc' | 'rest'): RequestHandler {
  return (req, res, next) => {
    const rpc = protocol === 'jsonrpc' ? (req.body as { method?: unknown } | undefined)?.method : undefined;
    const route = req.baseUrl + (req.route ? String((req.route as { path?: unknown }).path ?? '') : req.path);
    const name = typeof rpc === 'string' ? `A2A ${rpc}` : `A2A ${req.method} ${route}`;
    const parent = propagation.extract(context.active(), req.headers);
    const span = trace.getTracer('durable-teams').startSpan(
      name,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': req.method,
          'url.path': req.originalUrl.split('?', 1)[0]!,
          'a2a.protocol': protocol,
          ...(typeof rpc === 'string' ? { 'rpc.method': rpc } : {}),
        },
      },
      parent,
    );
    res.once('close', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
