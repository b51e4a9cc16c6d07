import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import { packageRoot } from '../paths';
import { consoleApi, type ConsoleApiOptions } from './api';

/** Where the console is served, under the A2A front end's base URL. */
export const CONSOLE_PATH = '/console';

/** Where `npm run build` puts the page (scripts/build-console.mjs). */
export const consoleAssets = (): string => join(packageRoot(), 'dist', 'console');

/**
 * The web console: its page (static files, no token needed: they hold nothing) and its API (every
 * call with the token when the front end checks tokens). The page is one HTML file that loads one
 * script and one stylesheet, all from here; nothing is fetched from elsewhere at run time.
 */
export function consoleRoutes(options: ConsoleApiOptions, assets = consoleAssets()): Router {
  const router = Router({ caseSensitive: true });
  router.use('/api', consoleApi(options));
  if (!existsSync(join(assets, 'index.html'))) {
    router.get('/', (_req, res) => {
      res.status(503).type('text/plain').send(`the console's page is not built (${assets} has no index.html); run npm run build`);
    });
    return router;
  }
  // The page's links are relative (it may sit behind a proxy's prefix): /console becomes /console/.
  router.get('/', (req, res, next) => {
    if (req.originalUrl.split('?', 1)[0]!.endsWith('/')) return next();
    res.redirect(308, `${req.originalUrl.split('?', 1)[0]}/`);
  });
  // Only this origin's script, style and API: an injected tag could load nothing from elsewhere.
  router.use((_req, res, next) => {
    res.set({
      'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    next();
  });
  // The page is small and changes with each build: browsers check again rather than cache it.
  router.use(express.static(assets, { index: 'index.html', maxAge: 0, redirect: false }));
  router.get('/', (_req, res) => res.sendFile(join(assets, 'index.html')));
  return router;
}
