import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { FailedAttempt } from '../core/failed-attempt';
import type { RunEvent } from '../core/events';
import { heldPage, type EventPage, type TranscriptPage } from '../core/paging';
import type { PushConfig } from '../core/push';
import type { RunSnapshot } from '../core/state';
import type { RunStatus } from '../core/status';
import { runEventsQuery, runStateQuery, pushConfigsQuery, transcriptQuery, type TeamRunResult } from '../../workflows/definitions';
import { AttemptLog } from '../store/attempt-log';
import { ContextLedger } from '../store/context-ledger';
import type { ConversationStore } from '../store/conversation-store';
import { finishedTranscript, wholeEvents, wholeResult, wholeSnapshot, wholeTranscript } from './conversation-reader';
import { RunEndedError, RunNotFoundError } from '../temporal/errors';
import type { RunListing } from './listing/run-listing';
import { eventsFromHistory, headOf } from './read-model/published';
import { endedStatus, type RunHandles } from './run-handles';
import { contextIdProblem, isRunIdShape } from '../temporal/run-ids';
import { failedRunSnapshot, readRunReport, type RunReport } from './run-report';
import { readRunStarter, type RunStarter } from '../temporal/run-starter';
import { readStatusMemo, runStatusOf } from '../temporal/run-status';
import { readStall, type RunStall } from './stall';

/** What Temporal itself knows of a run, no worker needed (see RunReads.peek). */
export interface RunPeek {
  runId: string;
  team: string | null;
  status: RunStatus;
  waiting: RunListing['waiting'];
  taskQueue: string;
  startedBy: RunStarter | null;
  contextId: string | null;
}

/**
 * Everything the client reads of a run: from its result once it ended, else from its read model
 * (workflows/read-model.ts), which Temporal returns with describe() and keeps in history, so no
 * worker is asked. Only a run begun before the read model, that has not moved since, is asked by
 * query (see read-model/run-reads.ts). Text comes whole from the conversation store.
 */
export class RunReads {
  constructor(
    private readonly runs: RunHandles,
    /** Where the runs' conversations are read from. */
    readonly store: ConversationStore,
  ) {}

  /** The raw Temporal client, for the readers that follow a run's history themselves. */
  get client(): Client {
    return this.runs.client;
  }

  /** The run as it stands: a completed run's from its result, a failed run's from its failure, any other's from its read model. */
  async getState(runId: string): Promise<RunSnapshot> {
    return this.runs.onRun(runId, async (handle) => {
      const view = await handle.describe();
      if (view.status.name === 'COMPLETED') return wholeSnapshot(this.store, ((await handle.result()) as TeamRunResult).snapshot);
      if (view.status.name === 'FAILED') {
        const snapshot = await failedRunSnapshot(handle);
        if (snapshot) return wholeSnapshot(this.store, snapshot);
      }
      const head = headOf(view);
      if (head) return wholeSnapshot(this.store, head.snapshot);
      return wholeSnapshot(this.store, await this.runs.query(handle, runId, () => handle.query(runStateQuery)));
    });
  }

  /** The run's events above `after`, from the publications in its history (a run before the read model: by query). */
  async events(runId: string, after = 0, limit?: number): Promise<EventPage> {
    return this.runs.onRun(runId, async (handle) => {
      const view = await handle.describe();
      const page = headOf(view)
        ? await eventsFromHistory(this.client, runId, view.runId, after, limit)
        : await this.runs.query(handle, runId, () => handle.query(runEventsQuery, { after, limit }));
      const whole = await wholeEvents(this.store, runId, page);
      const events = await Promise.all(whole.events.map((e) => (e.type === 'run_started' ? this.withTask(runId, e) : e)));
      return { ...whole, events };
    });
  }

  /** A run_started event with its task's text, which the read model leaves to the conversation's first message. */
  async withTask(runId: string, event: Extract<RunEvent, { type: 'run_started' }>): Promise<RunEvent> {
    if (event.task) return event;
    const first = (await this.transcript(runId, 0, 1)).messages[0];
    return { ...event, task: first?.content ?? '' };
  }

  /** Messages from index `from` on, whole, at most `limit` (default 1,000): the store's, and the read model's newest records. */
  async transcript(runId: string, from = 0, limit = 1_000): Promise<TranscriptPage> {
    return this.runs.onRun(runId, async (handle) => {
      const view = await handle.describe();
      if (view.status.name === 'COMPLETED')
        return finishedTranscript(this.store, runId, (await handle.result()) as TeamRunResult, from, limit);
      const head = headOf(view);
      const page = head
        ? heldPage(head.tail, head.snapshot.messageCount)
        : await this.runs.query(handle, runId, () => handle.query(transcriptQuery, { from, limit }));
      return wholeTranscript(this.store, runId, page, from, limit);
    });
  }

  /**
   * Whether the run is followed in its history (it publishes a read model, see read-model/): a run
   * in flight with a head, or one that just started (its first step publishes). A run begun
   * before the read model is followed by query.
   */
  async followsHistory(runId: string): Promise<boolean> {
    return this.runs.onRun(runId, async (handle) => headOf(await handle.describe()) !== null);
  }

  /** What Temporal itself knows of a run, no worker needed: status (from its memo), what it waits on. */
  async peek(runId: string): Promise<RunPeek> {
    return this.runs.onRun(runId, async (handle) => {
      const view = await handle.describe();
      const team = typeof view.memo?.team === 'string' ? view.memo.team : null;
      const waiting = readStatusMemo(view)?.waiting ?? null;
      const contextId = typeof view.memo?.contextId === 'string' ? view.memo.contextId : null;
      return { runId, team, status: runStatusOf(view), waiting, taskQueue: view.taskQueue, startedBy: readRunStarter(view), contextId };
    });
  }

  /** All that can be learnt of a run now: the workflow's view when it can be had, Temporal's always. */
  async report(runId: string, historyLength?: number): Promise<RunReport> {
    return this.runs.onRun(runId, (handle) =>
      readRunReport(handle, runId, (call) => this.runs.withinDeadline(call), this.store, historyLength),
    );
  }

  /**
   * Why the run's steps failed, attempt by attempt, oldest first (the newest `limit`, at most 200):
   * read from the conversation store, where the workers note each failed attempt (see
   * failed-attempts-interceptor.ts); Temporal's history keeps only a step's last. None for a run
   * with none, or for a run this store does not know.
   */
  async attempts(runId: string, limit?: number): Promise<FailedAttempt[]> {
    if (!isRunIdShape(runId)) throw new RunNotFoundError(runId, this.runs.namespace);
    return new AttemptLog(this.store).newest(runId, limit);
  }

  /** Whether the run's workflow task keeps failing (its status then says `working` forever), and why; null if not. */
  async stall(runId: string): Promise<RunStall | null> {
    return this.runs.onRun(runId, (handle) => readStall(handle));
  }

  /** Temporal's status of the run's current execution, cheap and worker-free; asked of any id (prune asks of every stored run). */
  async executionStatus(runId: string): Promise<string> {
    return this.runs.onAnyRun(runId, async (handle) => (await handle.describe()).status.name);
  }

  /** Waits for the run's end: its result when completed, else a RunEndedError that says why. */
  async result(runId: string): Promise<TeamRunResult> {
    return this.runs.onRun(runId, async (handle) => {
      let result: TeamRunResult;
      try {
        result = (await handle.result()) as TeamRunResult;
      } catch (err) {
        if (!(err instanceof WorkflowFailedError)) throw err;
        const { status } = await handle.describe();
        throw new RunEndedError(runId, endedStatus(status.name), innermostMessage(err));
      }
      return wholeResult(this.store, runId, result);
    });
  }

  /** The run's A2A push-notification configs (secrets sealed), from its read model. */
  async pushConfigs(runId: string): Promise<PushConfig[]> {
    return this.runs.onRun(runId, async (handle) => {
      const head = headOf(await handle.describe());
      return head ? head.pushConfigs : this.runs.query(handle, runId, () => handle.query(pushConfigsQuery));
    });
  }

  /**
   * The runs of a context, oldest first (see context-ledger.ts); none for a context no task joined.
   * An owner's context not begun yet is looked for in the shared namespace, where it may have begun
   * before contexts had owners; the caller checks which runs it may see.
   */
  async contextRuns(contextId: string, owner: string | null = null): Promise<string[]> {
    if (contextIdProblem(contextId, 'context id')) return [];
    const ledger = new ContextLedger(this.store);
    const newest = (await ledger.newest({ contextId, owner })) ?? (owner === null ? null : await ledger.newest({ contextId, owner: null }));
    return newest ? [...newest.entry.before.map((run) => run.runId), newest.entry.runId] : [];
  }
}

function innermostMessage(err: Error): string {
  let current: Error = err;
  while (current.cause instanceof Error) current = current.cause;
  return current.message;
}
