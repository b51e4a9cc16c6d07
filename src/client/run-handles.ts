import { statusOfClosedExecution, type ClosedExecutionStatus, type RunStatus } from '../core/status';
import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription, type WorkflowHandle } from '@temporalio/client';
import { isNoWorkerAnswer, isWorkflowTaskFailingAnswer, NoWorkerError, RunNotFoundError, RunStalledError } from '../temporal/errors';
import { FreshCalls } from './read-model/fresh-calls';
import { isRunIdShape } from '../temporal/run-ids';
import { readStall } from './stall';

/** How long a query waits for a worker to answer before the client says none is running. */
export const QUERY_TIMEOUT_MS = 5_000;

/**
 * Reaching one run through Temporal, as the client's reads and commands both do: its handle,
 * "no such workflow" said as RunNotFoundError, and a call that needs a worker bounded in time.
 */
export class RunHandles {
  private readonly describes = new FreshCalls<WorkflowExecutionDescription>();

  constructor(readonly client: Client) {}

  get namespace(): string {
    return this.client.options.namespace;
  }

  /** The run's handle; its describe() shared among the readers that arrive together (see fresh-calls.ts). */
  handle(runId: string): WorkflowHandle {
    const handle = this.client.workflow.getHandle(runId);
    return { ...handle, describe: () => this.describes.get(runId, () => handle.describe()) };
  }

  /** Runs a call on a run, turning "no such workflow" into RunNotFoundError. */
  async onRun<T>(runId: string, call: (handle: WorkflowHandle) => Promise<T>): Promise<T> {
    // No run can have such an id (see run-ids.ts): answered as any unknown one, without asking Temporal.
    if (!isRunIdShape(runId)) throw new RunNotFoundError(runId, this.namespace);
    return this.onAnyRun(runId, call);
  }

  /** onRun for an id of any shape, for a caller that must hear Temporal's own word (prune, of runs begun before ids had a rule). */
  async onAnyRun<T>(runId: string, call: (handle: WorkflowHandle) => Promise<T>): Promise<T> {
    try {
      return await call(this.handle(runId));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new RunNotFoundError(runId, this.namespace);
      throw err;
    }
  }

  /** A call that a worker must answer, given `ms` (default QUERY_TIMEOUT_MS) before it is abandoned. */
  withinDeadline<T>(call: () => Promise<T>, ms = QUERY_TIMEOUT_MS): Promise<T> {
    return this.client.connection.withDeadline(Date.now() + ms, call);
  }

  /**
   * Runs a query, which a worker answers from the run's state. With no worker serving the run's
   * task queue nobody answers: after `QUERY_TIMEOUT_MS` that becomes a NoWorkerError saying so.
   */
  async query<T>(handle: WorkflowHandle, runId: string, ask: () => Promise<T>): Promise<T> {
    try {
      return await this.withinDeadline(ask);
    } catch (err) {
      if (isWorkflowTaskFailingAnswer(err)) throw await stalledError(handle, runId, err);
      if (!isNoWorkerAnswer(err)) throw err;
      throw await noWorkerError(handle, runId);
    }
  }
}

/** Says that no worker answered for the run, and whether one ever picked it up. */
export async function noWorkerError(handle: WorkflowHandle, runId: string): Promise<NoWorkerError> {
  const { taskQueue, historyLength, memo } = await handle.describe();
  return new NoWorkerError(runId, taskQueue, historyLength <= 2, typeof memo?.team === 'string' ? memo.team : null);
}

/** Says why Temporal refused to ask the run: its stall, when it can be read (else the refusal as it came). */
async function stalledError(handle: WorkflowHandle, runId: string, refusal: unknown): Promise<unknown> {
  const stall = await readStall(handle);
  return stall ? new RunStalledError(runId, stall) : refusal;
}

/** An ended execution's status, by Temporal's name for it, as the client's errors tell it (a completed run as `completed`). */
export function endedStatus(name: string): RunStatus {
  return name === 'COMPLETED' ? 'completed' : statusOfClosedExecution(name as Exclude<ClosedExecutionStatus, 'COMPLETED'>);
}
