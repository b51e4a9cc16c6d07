import { randomUUID } from 'node:crypto';
import type { User } from '@a2a-js/sdk/server';
import type { Request } from 'express';
import type { RunStarter } from '../temporal/run-starter';
import { sseEventIds, type StreamEventIds } from '../http/sse-event-ids';
import { requestTag, stderrFaultLog, type RequestTag } from '../faults/faults';
import { requestOf } from '../faults/request-id';

/**
 * Who made a call, and whether they are still listening. The SDK hands our request handler only
 * the user its UserBuilder made from the HTTP request, so the connection's end rides along here:
 * a stream whose client went away stops polling Temporal at once.
 */
export class Caller implements User {
  constructor(
    readonly name: string | null,
    readonly gone: AbortSignal,
    /** Where a stream says the SSE id of each event it sends (none outside HTTP). */
    readonly eventIds: StreamEventIds | null = null,
    /** The `Last-Event-ID` the client sent: where a resumed stream goes on from. */
    readonly lastEventId: string | undefined = undefined,
    /** The address the request came from (the socket's peer). */
    readonly address: string | null = null,
    /** What the token may do beyond its own tasks (see auth.ts): `operator` sees and answers all. */
    readonly roles: ReadonlySet<string> = new Set(),
    /** The request this call came in: its id, and where a fault of it is logged (see faults.ts). */
    readonly request: RequestTag = requestTag(randomUUID(), 'call', 'unknown', stderrFaultLog),
  ) {}

  /** Who a run started by this caller is recorded as having been started by. */
  get starter(): RunStarter | undefined {
    if (this.name !== null) return { token: this.name };
    return this.address ? { address: this.address } : undefined;
  }

  get isAuthenticated(): boolean {
    return this.name !== null;
  }

  get userName(): string {
    return this.name ?? '';
  }
}

/**
 * The caller of one HTTP request — the token holder requireBearer left in `res.locals`, if any —
 * whose signal aborts when its response closes.
 */
export function callerForRequest(req: Request): Caller {
  const { caller: name, roles } = req.res?.locals ?? {};
  const gone = new AbortController();
  // The response closes when it is sent or when the client hangs up; either way we are done.
  req.res?.once('close', () => gone.abort());
  return new Caller(
    typeof name === 'string' ? name : null,
    gone.signal,
    req.res ? sseEventIds(req.res) : null,
    req.header('last-event-id'),
    req.socket.remoteAddress ?? null,
    roles instanceof Set ? roles : new Set(),
    req.res ? requestOf(req.res) : undefined,
  );
}
