import { StoreConfigError, StoreOperationError, StoreUnavailableError } from './errors';

// Socket errors, and PostgreSQL's SQLSTATE classes 08 (connection exception) and 57P (operator
// intervention: shutdown, restart, starting up): the server is away, not the request wrong.
const AWAY_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
]);
const AWAY_MESSAGES = /connection terminated|timeout expired|connection timeout|server closed the connection|Connection ended/i;

/**
 * A pg error as the store's own error, naming the store by its redacted location. The password
 * is struck from the message too, whatever the driver put there.
 */
export function storeErrorFromPg(err: unknown, location: string, operation: string, password: string | undefined): Error {
  const code = (err as { code?: string } | undefined)?.code ?? '';
  // Duck-typed: errors from another realm (Node's own, under Jest) are not `instanceof Error` here.
  const message = (err as { message?: unknown } | undefined)?.message;
  const raw = typeof message === 'string' && message ? message : String(code || err);
  const detail = password ? raw.split(password).join('***') : raw;
  if (AWAY_CODES.has(code) || code.startsWith('08') || AWAY_MESSAGES.test(detail)) {
    return new StoreUnavailableError(location, detail, 'is PostgreSQL running, and is the host and port in DURABLE_TEAMS_STORE right?', {
      cause: err,
    });
  }
  if (code === '28P01' || code === '28000') {
    return new StoreConfigError(
      `conversation store ${location} refused the login: ${detail}; check the user and password in DURABLE_TEAMS_STORE`,
      { cause: err },
    );
  }
  if (code === '3D000') {
    return new StoreConfigError(
      `conversation store ${location}: ${detail}; create the database (createdb) or name an existing one in DURABLE_TEAMS_STORE`,
      { cause: err },
    );
  }
  return new StoreOperationError(location, operation, detail, { cause: err });
}
