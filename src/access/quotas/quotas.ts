import type { Request, RequestHandler, Response } from 'express';
import type { RunStarter } from '../../temporal/run-starter';
import type { TeamClient } from '../../client/team-client';
import { RateLimiter } from './rate-limiter';
import { RamRequestCounter, type RequestCounter } from './request-counter';
import { OpenStreams, STREAMS_RETRY_AFTER_SECONDS } from './open-streams';
import { RUNS_RETRY_AFTER_SECONDS, RunsInProgress, starterKey, starterLabel } from './runs-in-progress';

/**
 * The JSON-RPC code for a caller over a quota: in JSON-RPC's range for implementations
 * (-32000…-32099), clear of the codes A2A defines (-32001…-32009). The SDK client passes an
 * unknown code through as a JsonRpcTransportError carrying our message, code and data.
 */
export const QUOTA_ERROR_CODE = -32029;

/** google.rpc.ErrorInfo reasons of the refusals. */
export const RATE_LIMIT_EXCEEDED = 'RATE_LIMIT_EXCEEDED';
export const TOO_MANY_RUNS = 'TOO_MANY_RUNS';
export const TOO_MANY_STREAMS = 'TOO_MANY_STREAMS';

export interface QuotaOptions {
  /** Requests a caller (token name, or address without tokens) may make per minute to a team's JSON-RPC and REST endpoints. Default: no limit. */
  maxRequestsPerMinute?: number | null;
  /** Runs a caller may have in progress (waiting on a person counts). Default: no limit. */
  maxRunsPerCaller?: number | null;
  /**
   * Event streams a caller may have open at once on this front end: SendStreamingMessage and
   * SubscribeToTask on every transport, and the console's watches. Default: no limit (`serve`
   * sets DEFAULT_MAX_STREAMS_PER_CALLER).
   */
  maxStreamsPerCaller?: number | null;
  /** Where request counts are kept. Default: this process's memory. Closed with the server. */
  requestCounter?: RequestCounter;
  /** The rate window's length. Default one minute; for tests. */
  windowMs?: number;
  /** Default Date.now; for tests, which move it instead of waiting. */
  clock?: () => number;
  /** Where a line about a quota that cannot be checked goes. Default stderr. */
  log?: (line: string) => void;
}

type Transport = 'jsonrpc' | 'rest';

const JSONRPC_STARTS = new Set(['SendMessage', 'SendStreamingMessage', 'message/send', 'message/stream']);

/** The caller as its runs record it: the token's name (set by requireBearer), or the socket's peer. */
function starterOf(req: Request, res: Response): RunStarter | null {
  const name: unknown = res.locals.caller;
  if (typeof name === 'string') return { token: name };
  const address = req.socket.remoteAddress;
  return address ? { address } : null;
}

/** Whether the request would start a run: a send whose message names no task (one that does answers that task). */
function startsRun(req: Request, transport: Transport): boolean {
  const body = req.body as Record<string, unknown> | undefined;
  let message: unknown;
  if (transport === 'jsonrpc') {
    if (typeof body?.method !== 'string' || !JSONRPC_STARTS.has(body.method)) return false;
    message = (body.params as Record<string, unknown> | undefined)?.message;
  } else {
    // v1.0 …/message:send and :stream, and v0.3's /v1/message:send and :stream alike.
    if (req.method !== 'POST' || !/\/message:(send|stream)$/.test(req.path)) return false;
    message = body?.message ?? body?.request;
  }
  const m = message as { taskId?: unknown; task_id?: unknown } | undefined;
  return !m?.taskId && !m?.task_id;
}

const JSONRPC_STREAMS = new Set(['SendStreamingMessage', 'SubscribeToTask', 'message/stream', 'tasks/resubscribe']);

/** Whether the request opens an event stream: a streaming send, or a subscription to a task (v1.0 and v0.3, any tenant). */
function opensStream(req: Request, transport: Transport): boolean {
  if (transport === 'jsonrpc') {
    const method = (req.body as { method?: unknown } | undefined)?.method;
    return typeof method === 'string' && JSONRPC_STREAMS.has(method);
  }
  return (req.method === 'POST' && /\/message:stream$/.test(req.path)) || /\/tasks\/[^/]+:subscribe$/.test(req.path);
}

/** Runs `release` once the response has closed (sent, or its client gone), even if it closed already. */
function whenClosed(res: Response, release: () => void): void {
  if (res.closed) release();
  else res.once('close', release);
}

/** What admitCall decided: a refusal, or how to run the admitted call and end its admission. */
export type CallAdmission = { refused: Refusal } | { refused?: undefined; run(go: () => void): void; release(): void };

/** What openStream decided: a refusal, or the stream's place, to give back when it ends. */
export type StreamPlace = { refused: Refusal } | { refused?: undefined; release(): void };

export interface Refusal {
  reason: typeof RATE_LIMIT_EXCEEDED | typeof TOO_MANY_RUNS | typeof TOO_MANY_STREAMS;
  message: string;
  retryAfterSeconds: number;
  starter: RunStarter;
  limit: number;
}

/**
 * 429 with Retry-After on both transports. Over JSON-RPC the status is 429 too, not the 200 of
 * other JSON-RPC errors: the SDK's JSON-RPC client reads a JSON-RPC error body from a non-2xx
 * answer just as from a 200 (plain and streaming calls alike), so its caller sees our message and
 * code either way, while proxies, load balancers and HTTP-level retry logic see a rate limit
 * they understand, and Retry-After has its standard meaning (RFC 6585, RFC 9110).
 */
function refuse(req: Request, res: Response, transport: Transport, refusal: Refusal): void {
  const metadata: Record<string, string> = {
    retryAfterSeconds: String(refusal.retryAfterSeconds),
    limit: String(refusal.limit),
    ...('token' in refusal.starter ? { caller: refusal.starter.token } : { address: refusal.starter.address }),
  };
  const info = { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: refusal.reason, domain: 'a2a-protocol.org', metadata };
  res.status(429).set('Retry-After', String(refusal.retryAfterSeconds));
  if (transport === 'rest') {
    res.json({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: refusal.message, details: [info] } });
    return;
  }
  const rawId = (req.body as { id?: unknown } | undefined)?.id;
  const id = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : null;
  res.json({ jsonrpc: '2.0', id, error: { code: QUOTA_ERROR_CODE, message: refusal.message, data: [info] } });
}

/** A start the runs limit refused at the client's start hook: one that came by a way asking no admission first. */
export class RunsLimitError extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
    this.name = 'RunsLimitError';
  }
}

/** The quotas of one front end: middleware for the team routes, and a start hook on its client. */
export class Quotas {
  private readonly rate: RateLimiter | null;
  private readonly runs: RunsInProgress | null;
  private readonly counter: RequestCounter | null;
  private readonly streams: OpenStreams | null;
  private readonly stopHearingStarts: () => void;

  constructor(options: QuotaOptions, client: TeamClient) {
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const rpm = options.maxRequestsPerMinute ?? null;
    this.counter = options.requestCounter ?? (rpm !== null ? new RamRequestCounter() : null);
    this.rate =
      rpm !== null ? new RateLimiter({ limit: rpm, counter: this.counter!, windowMs: options.windowMs, clock: options.clock, log }) : null;
    const maxRuns = options.maxRunsPerCaller ?? null;
    const maxStreams = options.maxStreamsPerCaller ?? null;
    this.streams = maxStreams !== null ? new OpenStreams(maxStreams) : null;
    const runs = maxRuns !== null ? new RunsInProgress(client, maxRuns, options.clock, log) : null;
    this.runs = runs;
    // Every start of the client passes the runs limit, a fork's and the console's as a send's.
    this.stopHearingStarts = runs
      ? client.onStart((start) => runs.onStart(start, (starter, running) => new RunsLimitError(this.overRuns(starter, running))))
      : () => undefined;
  }

  /**
   * Counts every request (after auth, before anything else is done) against the caller's requests
   * per minute. Async, so that Express 5 hands a failure (the counter's store down) to its error handlers.
   */
  limitRequests(transport: Transport): RequestHandler {
    return async (req, res, next) => {
      const starter = starterOf(req, res);
      if (!this.rate || !starter) return next();
      const verdict = await this.rate.check(starterKey(starter));
      if (verdict.allowed) return next();
      refuse(req, res, transport, this.overRate(starter, verdict.retryAfterSeconds));
    };
  }

  /** Refuses a request that would start a run while the caller has its most runs in progress; nothing is started then. */
  limitRuns(transport: Transport): RequestHandler {
    return async (req, res, next) => {
      const starter = starterOf(req, res);
      const runs = this.runs;
      if (!runs || !starter || !startsRun(req, transport)) return next();
      const verdict = await runs.admit(starter);
      if (verdict.allowed) {
        // A client gone while it was admitted would otherwise hold its place for good.
        whenClosed(res, () => runs.release(verdict.admission));
        return runs.within(verdict.admission, next);
      }
      refuse(req, res, transport, this.overRuns(starter, verdict.running));
    };
  }

  /** Refuses a request that would open one more event stream than the caller may have; a stream's place goes when it closes. */
  limitStreams(transport: Transport): RequestHandler {
    return (req, res, next) => {
      if (!this.streams || !opensStream(req, transport)) return next();
      const place = this.openStream(starterOf(req, res));
      if (place.refused) return refuse(req, res, transport, place.refused);
      whenClosed(res, place.release);
      next();
    };
  }

  /** A place for one more event stream of the caller (the console's watch, a gRPC stream), or the refusal. */
  openStream(starter: RunStarter | null): StreamPlace {
    const taken = this.streams && starter ? this.streams.take(starterKey(starter)) : { release: () => undefined };
    return 'refused' in taken ? { refused: this.overStreams(starter!, taken.refused) } : taken;
  }

  /**
   * Every limit for a call that does not come through Express (gRPC): refused, or admitted with
   * how to run the call (so a run it starts takes its place) and how to let its places go.
   */
  async admitCall(starter: RunStarter | null, startsRun: boolean, opensStream = false): Promise<CallAdmission> {
    if (!starter) return { run: (go) => go(), release: () => undefined };
    if (this.rate) {
      const verdict = await this.rate.check(starterKey(starter));
      if (!verdict.allowed) return { refused: this.overRate(starter, verdict.retryAfterSeconds) };
    }
    const stream = opensStream ? this.openStream(starter) : { release: () => undefined };
    if (stream.refused) return { refused: stream.refused };
    const runs = this.runs;
    if (!runs || !startsRun) return { run: (go) => go(), release: stream.release };
    const verdict = await runs.admit(starter);
    if (!verdict.allowed) {
      stream.release();
      return { refused: this.overRuns(starter, verdict.running) };
    }
    const release = () => {
      runs.release(verdict.admission);
      stream.release();
    };
    return { run: (go) => runs.within(verdict.admission, go), release };
  }

  private overRate(starter: RunStarter, retryAfterSeconds: number): Refusal {
    const limit = this.rate!.limit;
    return {
      reason: RATE_LIMIT_EXCEEDED,
      limit,
      starter,
      retryAfterSeconds,
      message: `caller ${starterLabel(starter)} is over its limit of ${limit} requests per minute (--max-requests-per-minute); retry after ${retryAfterSeconds} s`,
    };
  }

  private overRuns(starter: RunStarter, running: number): Refusal {
    const limit = this.runs!.limit;
    return {
      reason: TOO_MANY_RUNS,
      limit,
      starter,
      retryAfterSeconds: RUNS_RETRY_AFTER_SECONDS,
      message: `caller ${starterLabel(starter)} has ${running} runs in progress, its limit (--max-runs-per-caller ${limit}); nothing was started; retry after ${RUNS_RETRY_AFTER_SECONDS} s, or once one of its runs ends or is canceled`,
    };
  }

  private overStreams(starter: RunStarter, open: number): Refusal {
    const limit = this.streams!.limit;
    return {
      reason: TOO_MANY_STREAMS,
      limit,
      starter,
      retryAfterSeconds: STREAMS_RETRY_AFTER_SECONDS,
      message: `caller ${starterLabel(starter)} has ${open} event streams open, its limit (--max-streams-per-caller ${limit}); close one, or retry after ${STREAMS_RETRY_AFTER_SECONDS} s`,
    };
  }

  async close(): Promise<void> {
    this.stopHearingStarts();
    await this.counter?.close();
  }
}
