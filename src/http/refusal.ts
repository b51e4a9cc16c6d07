import type { Response } from 'express';

/**
 * A request refused before any route sees it (a Host we do not answer, a cross-site call), in the
 * shape the HTTP+JSON binding and the console both answer errors: `{ error: { code, status, message } }`.
 */
export function refusal(res: Response, code: 403 | 415, message: string): void {
  res.status(code).json({ error: { code, status: code === 403 ? 'PERMISSION_DENIED' : 'INVALID_ARGUMENT', message, details: [] } });
}
