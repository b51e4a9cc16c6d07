import type { RequestHandler } from 'express';
import { quoted } from '../core/display-text';
import { refusal } from './refusal';

/** The flag and the variable naming the origins whose pages may act here besides the front end's own. */
export const ALLOWED_ORIGINS_FLAG = '--allowed-origins';
export const ALLOWED_ORIGINS_ENV = 'DURABLE_TEAMS_ALLOWED_ORIGINS';

/** Methods that only read; every other one may change something. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CrossSiteOptions {
  /** Where clients reach the front end: its origin is ours. */
  publicUrl: string;
  /** More origins whose pages may act here (`https://ops.example.com`), as parseAllowedOrigins gives them. */
  allowed: readonly string[];
}

/** An origin as the Origin header spells it (`scheme://host[:port]`), or null for anything else ("null", a typo). */
export function originOf(value: string): string | null {
  const url = URL.parse(value);
  return url && (url.protocol === 'http:' || url.protocol === 'https:') ? url.origin : null;
}

/** The origins a comma-separated list names; an Error naming the first entry that is none. */
export function parseAllowedOrigins(list: string): string[] {
  const entries = list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.map((entry) => {
    const url = URL.parse(entry);
    const bare = url && url.pathname === '/' && !url.search && !url.hash && !url.username;
    const origin = bare ? originOf(entry) : null;
    if (!origin)
      throw new Error(`${quoted(entry)} is no origin: give scheme://host[:port], such as https://ops.example.com, comma-separated`);
    return origin;
  });
}

/**
 * Refuses calls that may change something (every method but GET, HEAD and OPTIONS) made by a page
 * of another site: with auth off, any page a person opens could otherwise POST to a front end on
 * their machine (`fetch(..., { mode: 'no-cors' })` needs no permission) and cancel their runs.
 * A browser says where a call comes from: `Origin` must be the front end's own (its public URL's,
 * or the Host the call was sent to, in any scheme, for a proxy that forwards it), or listed; with
 * no `Origin`, `Sec-Fetch-Site` must not say another site. Clients that are not browsers (the SDKs,
 * curl) send neither, and are served as before.
 */
export function refuseCrossSite(options: CrossSiteOptions): RequestHandler {
  const ours = new Set([new URL(options.publicUrl).origin, ...options.allowed]);
  const fix = `; a page elsewhere may not act here (name its origin with ${ALLOWED_ORIGINS_FLAG} or ${ALLOWED_ORIGINS_ENV} to let it)`;
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.headers.origin;
    if (origin !== undefined) {
      const given = originOf(origin);
      const sentTo = req.headers.host?.toLowerCase();
      if (given && (ours.has(given) || new URL(given).host === sentTo)) return next();
      return refusal(
        res,
        403,
        `cross-site request refused: Origin ${quoted(origin)} is not this front end's (${[...ours].join(', ')})${fix}`,
      );
    }
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site')
      return refusal(res, 403, `cross-site request refused: the browser says it comes from another site (Sec-Fetch-Site: ${site})${fix}`);
    next();
  };
}
