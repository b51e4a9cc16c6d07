import type { RequestHandler } from 'express';
import { TaskNotFoundError, UnsupportedOperationError } from '@a2a-js/sdk/errors';
import { callerForRequest } from '../access/caller';
import { downloadHeaders } from './file-download';
import type { TeamRequestHandler } from './request-handler';

/** Where a team's files are served: `<team url>a2a/files/<task>/<message>/<n>`. */
export const FILES_PATH = '/a2a/files';

/**
 * GET of a file an agent delivered by URL (`output: { type: file, deliver: url }`), or a caller
 * sent: its bytes, typed and named (safely: see file-download.ts), behind the same tokens and task
 * scoping as the A2A methods. An unknown task, someone else's, or no such file are all 404, in
 * the same words as GetTask's. Async, so that Express 5 hands any failure to the error handlers.
 */
export function serveFiles(handler: TeamRequestHandler): RequestHandler {
  return async (req, res, next) => {
    const match = /^\/([^/]+)\/(\d+)\/(\d+)$/.exec(req.path);
    if (req.method !== 'GET' || !match) return next();
    // The path was checked to decode (see path-check.ts).
    const [taskId, index, n] = [decodeURIComponent(match[1]!), Number(match[2]), Number(match[3])];
    let file: Awaited<ReturnType<TeamRequestHandler['file']>>;
    try {
      file = await handler.file(taskId, index, n, callerForRequest(req));
    } catch (err) {
      if (err instanceof TaskNotFoundError) {
        res.status(404).json({ error: { code: 404, status: 'NOT_FOUND', message: err.message, details: [err.toErrorInfo()] } });
        return;
      }
      // The run cannot be read just now (one begun before the read model, with no worker to ask): try again later.
      if (err instanceof UnsupportedOperationError) {
        res
          .status(503)
          .set('Retry-After', '5')
          .json({ error: { code: 503, status: 'UNAVAILABLE', message: err.message, details: [] } });
        return;
      }
      throw err;
    }
    res
      .status(200)
      .set(downloadHeaders(file))
      .set('Cache-Control', 'private, max-age=3600') // what a message said never changes
      .send(Buffer.from(file.bytes, 'base64'));
  };
}
