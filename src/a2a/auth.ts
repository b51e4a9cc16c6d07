import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';

/**
 * Bearer tokens for the A2A endpoints. Each entry is `name=token` or a bare token (then named
 * client-N); the name is who answered a question, as the run records it. Tokens are compared by
 * their SHA-256 digests in constant time and never logged, echoed or passed to a run.
 */
export interface BearerTokens {
  /** The caller's name for a presented token, or null. */
  identify(token: string): string | null;
  readonly count: number;
}

export class AuthConfigError extends Error {
  override name = 'AuthConfigError';
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export function bearerTokens(entries: string[], source: string): BearerTokens {
  const known: { name: string; digest: Buffer }[] = [];
  entries
    .map((e) => e.trim())
    .filter((e) => e && !e.startsWith('#'))
    .forEach((entry, i) => {
      const eq = entry.indexOf('=');
      const name = eq > 0 ? entry.slice(0, eq).trim() : `client-${i + 1}`;
      const token = eq > 0 ? entry.slice(eq + 1).trim() : entry;
      if (token.length < 16)
        throw new AuthConfigError(`${source}: token ${i + 1} (${name}) is shorter than 16 characters; use a long random token`);
      known.push({ name, digest: digest(token) });
    });
  if (known.length === 0) throw new AuthConfigError(`${source}: no tokens; give one per line (name=token) or comma-separated`);
  return {
    count: known.length,
    identify(token: string): string | null {
      const presented = digest(token);
      // Every entry is compared, so the time taken says nothing about which one matched.
      let match: string | null = null;
      for (const entry of known) if (timingSafeEqual(entry.digest, presented)) match ??= entry.name;
      return match;
    },
  };
}

export function tokensFromEnv(name: string, env: Record<string, string | undefined> = process.env): BearerTokens {
  const value = env[name];
  if (!value)
    throw new AuthConfigError(
      `--auth bearer: environment variable ${name} is not set; put the accepted tokens there (comma-separated) or pass --tokens-file`,
    );
  return bearerTokens(value.split(','), `environment variable ${name}`);
}

export function tokensFromFile(path: string): BearerTokens {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new AuthConfigError(`--tokens-file ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return bearerTokens(text.split(/\r?\n/), `tokens file ${path}`);
}

/** Sets res.locals.caller to the token's name, or answers 401 for a missing or unknown token. */
export function requireBearer(tokens: BearerTokens): RequestHandler {
  return (req, res, next) => {
    const header = req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const name = match ? tokens.identify(match[1]!) : null;
    if (!name) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Bearer realm="durable-teams"')
        .json({
          error: {
            code: 401,
            status: 'UNAUTHENTICATED',
            message: match ? 'the bearer token is not valid' : 'this agent needs an Authorization: Bearer <token> header',
          },
        });
      return;
    }
    res.locals.caller = name;
    next();
  };
}
