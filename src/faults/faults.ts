import { jsonLogLine } from '../logging/json-logger';

/**
 * A request that failed for a reason nobody foresaw (a bug, a broken dependency): logged once,
 * as one line, under the request's id; the caller is told only that id, not the error's words,
 * which may say more than a caller should know. Foreseen errors (A2A's, the client's own, which
 * say what to do) are answered as they are and not logged: they are the caller's business.
 */
export interface FaultLogLine {
  message: 'request failed';
  requestId: string;
  /** The HTTP method, or the gRPC method's name. */
  method: string;
  /** The HTTP path, or `grpc`. */
  path: string;
  error: { name: string; message: string; stack?: string };
}

export type FaultLog = (line: FaultLogLine) => void;

/** One JSON line on stderr, whatever the log format: a fault is for the operator's tools. */
export const stderrFaultLog: FaultLog = ({ message, ...fields }) => {
  process.stderr.write(`${jsonLogLine('error', message, fields)}\n`);
};

/** One request as its failure is told: its id, and how a fault of it is logged (at most once). */
export interface RequestTag {
  id: string;
  logFault(err: unknown): void;
}

/** A tag for one request, logging its first fault only (a stream's error and the handler that ends it are one fault). */
export function requestTag(id: string, method: string, path: string, log: FaultLog): RequestTag {
  let logged = false;
  return {
    id,
    logFault(err) {
      if (logged) return;
      logged = true;
      const e = err instanceof Error ? err : new Error(String(err));
      log({ message: 'request failed', requestId: id, method, path, error: { name: e.name, message: e.message, stack: e.stack } });
    },
  };
}

/** What the caller of a failed request is told. */
export const faultMessage = (requestId: string): string =>
  `internal error (request ${requestId}); the front end's log has the details under this id`;

/** An unforeseen error, once logged, as the caller sees it. */
export class InternalFault extends Error {
  override readonly name = 'InternalFault';
  constructor(readonly requestId: string) {
    super(faultMessage(requestId));
  }
}

/** Errors that say what the caller (or the operator) should do: the client's own (see temporal/errors.ts). */
const FORESEEN = new Set([
  'InternalFault',
  'TemporalUnavailableError',
  'RunNotFoundError',
  'RunAlreadyExistsError',
  'RunEndedError',
  'InvalidRequestError',
  'NoWorkerError',
  'RunStalledError',
  'ContextBusyError',
]);

/**
 * Whether an error is answered in its own words: A2A's errors (classified by their shape, not
 * by class: the SDK's bundles each have their own classes) and the client's named ones.
 */
export function isForeseen(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return FORESEEN.has(err.name) || typeof (err as { toErrorInfo?: unknown }).toErrorInfo === 'function';
}

/** The error to answer with: a foreseen one as it is; any other logged, and told as an InternalFault. */
export function answerableError(err: unknown, request: RequestTag): unknown {
  if (isForeseen(err)) return err;
  request.logFault(err);
  return new InternalFault(request.id);
}
