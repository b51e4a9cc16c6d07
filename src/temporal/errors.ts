import { quoted } from '../core/display-text';
import { stallReason, type RunStall } from '../core/stall';

/**
 * Errors a user of the client or the CLI can meet, each saying what to do. The CLI prints their
 * message as its one error line.
 */

export class TemporalUnavailableError extends Error {
  override readonly name = 'TemporalUnavailableError';
  constructor(
    readonly address: string,
    detail: string,
  ) {
    super(
      `cannot reach a Temporal server at ${address} (${detail}); start one with \`durable-teams server\` ` +
        'or point --address / TEMPORAL_ADDRESS at a running one',
    );
  }
}

export class RunNotFoundError extends Error {
  override readonly name = 'RunNotFoundError';
  constructor(
    readonly runId: string,
    namespace: string,
  ) {
    super(`no run with id ${quoted(runId)} in namespace "${namespace}"; \`durable-teams list\` shows the runs`);
  }
}

export class RunAlreadyExistsError extends Error {
  override readonly name = 'RunAlreadyExistsError';
  constructor(readonly runId: string) {
    super(`a run with id "${runId}" already exists; choose another --id, or leave it out for a fresh one`);
  }
}

/** A run that ended other than completed, raised by TeamClient.result(). */
export class RunEndedError extends Error {
  override readonly name = 'RunEndedError';
  constructor(
    readonly runId: string,
    readonly status: string,
    reason: string,
  ) {
    super(`run "${runId}" ${status}: ${reason}`);
  }
}

/** Bad input to the client: an empty or oversized task, say. */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';
}

/**
 * A running run whose state nobody could read: no worker serves its task queue. The run itself
 * is safe in Temporal and goes on when a worker starts.
 */
export class NoWorkerError extends Error {
  override readonly name = 'NoWorkerError';
  constructor(
    readonly runId: string,
    readonly taskQueue: string,
    /** True when no worker has ever picked the run up (it is still `submitted`). */
    readonly neverStarted: boolean,
    readonly team: string | null = null,
  ) {
    super(
      `run "${runId}" is ${neverStarted ? 'waiting to start' : 'running'}, but no worker answered for task queue "${taskQueue}"; ` +
        `start one with \`durable-teams worker --task-queue ${taskQueue}\` and the run goes on where it stopped`,
    );
  }
}

/**
 * A running run whose state nobody can read because its workflow task keeps failing: Temporal
 * refuses queries to it. It stays stalled until the workers are fixed (or it is cancelled).
 */
export class RunStalledError extends Error {
  override readonly name = 'RunStalledError';
  constructor(
    readonly runId: string,
    readonly stall: RunStall,
  ) {
    super(`run "${runId}" is ${stallReason(stall)}`);
  }
}

/**
 * Did a query or update fail because no worker is there to answer? gRPC says so as
 * DEADLINE_EXCEEDED (nobody answered in time) or FAILED_PRECONDITION "no poller seen".
 */
export function isNoWorkerAnswer(err: unknown): boolean {
  for (let e = err as { code?: number; cause?: unknown; name?: string; message?: string } | undefined; e; e = e.cause as typeof e) {
    // CANCELLED: the server may reset the stream at the deadline the call carried, before the client's own timer fires.
    if (e.code === 4 || e.code === 1 || e.name === 'WorkflowUpdateRPCTimeoutOrCancelledError') return true;
    if (e.code === 9 && /no poller/i.test(e.message ?? '')) return true;
  }
  return false;
}

/**
 * Did Temporal refuse a query or update because the run's workflow task keeps failing? It says
 * FAILED_PRECONDITION "... due to Workflow Task in failed state" (see stall.ts for the why).
 */
export function isWorkflowTaskFailingAnswer(err: unknown): boolean {
  for (let e = err as { code?: number; cause?: unknown; message?: string } | undefined; e; e = e.cause as typeof e) {
    if (e.code === 9 && /workflow task in failed state/i.test(e.message ?? '')) return true;
  }
  return false;
}

/**
 * A new task for a context whose newest task has not ended: tasks of one context run one after
 * another, so that the conversation never forks behind its owner's back.
 */
export class ContextBusyError extends Error {
  override readonly name = 'ContextBusyError';
  constructor(
    readonly contextId: string,
    readonly busyRunId: string | null,
    why: string,
  ) {
    super(`context "${contextId}" ${why}`);
  }
}
