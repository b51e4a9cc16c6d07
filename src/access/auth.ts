import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';

/**
 * Bearer tokens for the A2A endpoints. Each entry is `name=token`, `name:role+role=token`, or a
 * bare token (then named client-N). The name owns the tasks the token starts and is who answered
 * a question, as the run records it; a role widens what it may reach (see access.ts). Tokens are
 * compared by their SHA-256 digests in constant time and never logged, echoed or passed to a run.
 */
export interface BearerTokens {
  /** Who holds a presented token, or null. */
  identify(token: string): TokenHolder | null;
  readonly count: number;
}

export interface TokenHolder {
  name: string;
  roles: ReadonlySet<Role>;
}

/** `operator`: sees, answers and cancels every task of the served teams (the people who approve). */
export const ROLES = ['operator'] as const;
export type Role = (typeof ROLES)[number];

export class AuthConfigError extends Error {
  override name = 'AuthConfigError';
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** `carol:operator` → carol with the operator role; an unknown role is refused, naming the entry. */
function holderOf(label: string, source: string, entry: number): TokenHolder {
  const [name, roleList] = label.split(':', 2).map((p) => p.trim()) as [string, string | undefined];
  if (!name) throw new AuthConfigError(`${source}: token ${entry} has an empty name before "="`);
  const roles = new Set<Role>();
  for (const role of roleList ? roleList.split('+').map((r) => r.trim()) : []) {
    if (!(ROLES as readonly string[]).includes(role))
      throw new AuthConfigError(`${source}: token ${entry} (${name}) has the role "${role}"; the roles are ${ROLES.join(', ')}`);
    roles.add(role as Role);
  }
  return { name, roles };
}

export function bearerTokens(entries: string[], source: string): BearerTokens {
  const known: { holder: TokenHolder; digest: Buffer }[] = [];
  entries
    .map((e) => e.trim())
    .filter((e) => e && !e.startsWith('#'))
    .forEach((entry, i) => {
      const eq = entry.indexOf('=');
      const holder = eq > 0 ? holderOf(entry.slice(0, eq), source, i + 1) : { name: `client-${i + 1}`, roles: new Set<Role>() };
      const token = eq > 0 ? entry.slice(eq + 1).trim() : entry;
      if (token.length < 16)
        throw new AuthConfigError(`${source}: token ${i + 1} (${holder.name}) is shorter than 16 characters; use a long random token`);
      known.push({ holder, digest: digest(token) });
    });
  if (known.length === 0) throw new AuthConfigError(`${source}: no tokens; give one per line (name=token) or comma-separated`);
  return {
    count: known.length,
    identify(token: string): TokenHolder | null {
      const presented = digest(token);
      // Every entry is compared, so the time taken says nothing about which one matched.
      let match: TokenHolder | null = null;
      for (const entry of known) if (timingSafeEqual(entry.digest, presented)) match ??= entry.holder;
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

/** Sets res.locals.caller and .roles to the token holder's, or answers 401 for a missing or unknown token. */
export function requireBearer(tokens: BearerTokens): RequestHandler {
  return (req, res, next) => {
    const header = req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const holder = match ? tokens.identify(match[1]!) : null;
    if (!holder) {
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
    res.locals.caller = holder.name;
    res.locals.roles = holder.roles;
    next();
  };
}
