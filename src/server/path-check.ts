import type { RequestHandler } from 'express';

/**
 * A path whose %-escapes do not decode (`/tasks/%E0%A4%A`) is answered 400, naming it, before
 * any route or router tries to decode it and fails as a 500. Every later decode of the path, or
 * of a part of it cut at a `/`, then succeeds.
 */
export const wellFormedPaths: RequestHandler = (req, res, next) => {
  try {
    decodeURIComponent(req.path);
  } catch {
    const shown = req.path.length > 200 ? `${req.path.slice(0, 200)}…` : req.path;
    const message = `the path ${JSON.stringify(shown)} has a malformed %-escape; each byte outside ASCII is written %XX, a whole UTF-8 sequence`;
    res.status(400).json({ error: { code: 400, status: 'INVALID_ARGUMENT', message, details: [] } });
    return;
  }
  next();
};
