import type { RequestHandler } from 'express';
import { TaskNotFoundError } from '@a2a-js/sdk/errors';
import { callerForRequest } from './caller';
import type { TeamRequestHandler } from './request-handler';

/** Where a team's files are served: `<team url>a2a/files/<task>/<message>/<n>`. */
export const FILES_PATH = '/a2a/files';

/**
 * GET of a file an agent delivered by URL (`output: { type: file, deliver: url }`): its bytes,
 * typed and named, behind the same tokens and task scoping as the A2A methods. An unknown task,
 * someone else's, or no such file are all 404, in the same words as GetTask's.
 */
export function serveFiles(handler: TeamRequestHandler): RequestHandler {
  return (req, res, next) => {
    const match = /^\/([^/]+)\/(\d+)\/(\d+)$/.exec(req.path);
    if (req.method !== 'GET' || !match) return next();
    const [taskId, index, n] = [decodeURIComponent(match[1]!), Number(match[2]), Number(match[3])];
    handler.file(taskId, index, n, callerForRequest(req)).then(
      (file) => {
        const filename = (file.name ?? 'file').replace(/["\\\r\n]/g, '_');
        res
          .status(200)
          .set('Content-Type', file.mediaType || 'application/octet-stream')
          .set('Content-Disposition', `attachment; filename="${filename}"`)
          .set('Cache-Control', 'private, max-age=3600') // what a message said never changes
          .send(Buffer.from(file.bytes, 'base64'));
      },
      (err: Error) => {
        if (!(err instanceof TaskNotFoundError)) return next(err);
        res.status(404).json({ error: { code: 404, status: 'NOT_FOUND', message: err.message, details: [err.toErrorInfo()] } });
      },
    );
  };
}
