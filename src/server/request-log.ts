import type { Request, RequestHandler } from 'express';

/** One served request, as the front end logs it: what was asked and how it went, not what was said. */
export interface RequestLogLine {
  message: 'request';
  /** The request's id (see request-id.ts): what a fault of it is logged under, and what the client was told. */
  requestId?: string;
  method: string;
  path: string;
  /** The JSON-RPC method (SendMessage, GetTask, ...), for JSON-RPC calls. */
  rpc?: string;
  /** The task (our run id) the request names, when it names one. */
  run?: string;
  status: number;
  ms: number;
  caller?: string;
}

/** The task id a request names: `params.id` / `params.message.taskId` over JSON-RPC, `/tasks/<id>` over REST. */
function runOf(req: Request): string | undefined {
  const body = req.body as { params?: { id?: unknown; message?: { taskId?: unknown } } } | undefined;
  const fromBody = body?.params?.id ?? body?.params?.message?.taskId;
  if (typeof fromBody === 'string' && fromBody) return fromBody;
  const match = /\/tasks\/([^/:?]+)/.exec(req.originalUrl);
  if (!match) return undefined;
  // Called when the response closes: a throw here would end the process, so a bad %-escape is no id.
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}

/**
 * Logs each request when its response ends (streams included, when they close): method, path,
 * JSON-RPC method, the run it concerns, status, duration and the authenticated caller's name.
 * Bodies, headers and tokens are never logged.
 */
export function requestLog(write: (line: RequestLogLine) => void): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once('close', () => {
      const rpc = (req.body as { method?: unknown } | undefined)?.method;
      const run = runOf(req);
      const caller = res.locals.caller;
      const requestId = (res.locals.request as { id?: unknown } | undefined)?.id;
      write({
        message: 'request',
        ...(typeof requestId === 'string' ? { requestId } : {}),
        method: req.method,
        path: req.originalUrl.split('?', 1)[0]!,
        ...(typeof rpc === 'string' ? { rpc } : {}),
        ...(run ? { run } : {}),
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
        ...(typeof caller === 'string' ? { caller } : {}),
      });
    });
    next();
  };
}
