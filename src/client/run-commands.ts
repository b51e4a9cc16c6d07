import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import type { Attachment } from '../core/attachments';
import { DEFAULT_CONTEXT_SETTING, earlierParts, type EarlierPart } from '../core/earlier';
import { missingUserKey } from '../core/memory-request';
import type { PushConfig, PushConfigChange } from '../core/push';
import { runHeadOf } from '../core/run-head';
import { startingState } from '../core/starting-state';
import { withRunBudget, type RunBudget } from '../spec/run-budget';
import type { TeamSpec } from '../spec/team';
import { EARLIER_NOTE, type ConversationStore } from '../store/conversation-store';
import { initialRunSearchAttributes } from '../visibility/run-attributes';
import { initialRunMemo } from '../visibility/run-memo';
import { TEAM_RUN_WORKFLOW, pushConfigUpdate, stopRunSignal, type TeamRunInput, type TeamRunOptions } from '../../workflows/definitions';
import { sendAnswer, type AnswerInput, type AnswerResult } from './answers';
import { joinContext, pastRun, type JoinOptions } from './context-chain';
import { InvalidRequestError, isNoWorkerAnswer, RunAlreadyExistsError } from '../temporal/errors';
import { endedStatus, noWorkerError, QUERY_TIMEOUT_MS, type RunHandles } from './run-handles';
import { checkId, newRunId } from '../temporal/run-ids';
import { forkRun, type ForkOptions } from './run-fork';
import type { RunReads } from './run-reads';
import { readRunStarter, type RunStarter } from '../temporal/run-starter';
import { isUnknownSearchAttribute, type SearchAttributeSupport } from '../temporal/search-attributes';
import type { StartHooks } from './start-hooks';

/** Longest task accepted; a larger one belongs in a file the agents are told about. */
export const MAX_TASK_CHARS = 100_000;

export interface StartOptions {
  /** The run id (the workflow id). Default: "<team>-<random>". */
  runId?: string;
  /** Groups runs of one conversation (A2A contextId). */
  contextId?: string;
  options?: TeamRunOptions;
  /** A2A push-notification configs, secrets already sealed. */
  pushConfigs?: PushConfig[];
  /** Files and data sent with the task: kept in the store with its text, never in history. */
  attachments?: Attachment[];
  /** The A2A caller starting it, kept in the run's memo (see run-starter.ts). */
  startedBy?: RunStarter;
  /**
   * Start the run as the next task of `contextId`, after its earlier tasks (see context-chain.ts):
   * it begins with their conversation as the team's `context` says, and is refused while the
   * context's newest task has not ended. Without it, `contextId` only labels the run.
   */
  continueContext?: Omit<JoinOptions, 'references'>;
  /** Runs whose answers (or conversations, with `context: full`) the new run reads first; the caller has checked them. */
  references?: string[];
  /** The user whose memory agents with `memory.scope: user` read and write; required by such teams. */
  user?: string;
  /** This run's budget (see spec/run-budget.ts): over the team file's `budget`. Checked here. */
  budget?: RunBudget;
  /** Where `budget` came from, for errors (`--budget-tokens`, `metadata.durableTeams.budget`). Default: "budget". */
  budgetFrom?: string;
}

/** What the client's commands need besides a run's handle. */
export interface CommandSettings {
  taskQueue: string;
  store: ConversationStore;
  reads: RunReads;
  searchAttributes: SearchAttributeSupport;
  startHooks: StartHooks;
  /** Called after an answer is sent, so watchers in this process see its effects at once. */
  answered: (runId: string) => void;
}

/**
 * Everything the client asks of runs that changes something: starts (every one passes the start
 * hooks), cancels, stops, answers and push-config changes. Each is refused by name when it cannot
 * apply, and nothing is started when a start is refused.
 */
export class RunCommands {
  constructor(
    private readonly runs: RunHandles,
    private readonly settings: CommandSettings,
  ) {}

  /** Starts a run; nothing is started when the task is refused or the id is taken. */
  async start(team: TeamSpec, task: string, options: StartOptions = {}): Promise<string> {
    if (options.runId !== undefined) checkId(options.runId, 'run id');
    if (!task.trim() && !options.attachments?.length) throw new InvalidRequestError('the task is empty; say what the team should do');
    if (task.length > MAX_TASK_CHARS) {
      throw new InvalidRequestError(`the task has ${task.length} characters; the limit is ${MAX_TASK_CHARS}`);
    }
    team = budgetedTeam(team, options);
    const noUser = missingUserKey(team, options.user);
    if (noUser) throw new InvalidRequestError(`${noUser}; pass a user key (run --user <key>, or start(..., { user }))`);
    const runId = options.runId ?? newRunId(team.name);
    const earlier = await this.earlierFor(team, runId, options);
    // The task's text goes to the store and, once, into the run's first input.
    const attachments = options.attachments?.length ? { attachments: options.attachments } : {};
    const taskRef = await this.settings.store.putBody(runId, { content: task, ...attachments });
    const input: TeamRunInput = {
      v: 1,
      team,
      task,
      taskRef,
      contextId: options.contextId ?? null,
      ...(earlier.length ? { earlier: earlier.length } : {}),
      ...(options.user ? { user: options.user } : {}),
      options: options.options,
      ...(options.pushConfigs?.length ? { pushConfigs: options.pushConfigs } : {}),
    };
    await this.startWorkflow(runId, input, {
      ...initialRunMemo(team.name, options.contextId ?? null),
      ...(options.startedBy ? { startedBy: options.startedBy } : {}),
    });
    return runId;
  }

  /**
   * Starts a team run's workflow under `runId`; an id already used, by a run running or ended, is
   * refused by name. Where the namespace has the run search attributes, the run starts with them
   * and keeps them (see src/visibility/run-attributes.ts). Every start hook is asked first.
   */
  async startWorkflow(runId: string, input: TeamRunInput, memo: Record<string, unknown> & { team: string }): Promise<void> {
    // The one place every start goes through, so the hooks hear of each (start, fork, every front end).
    const run = { runId, team: memo.team, startedBy: readRunStarter({ memo }) };
    await this.settings.startHooks.around(run, () => this.startExecution(runId, input, memo));
  }

  private async startExecution(runId: string, input: TeamRunInput, memo: Record<string, unknown> & { team: string }): Promise<void> {
    const { searchAttributes } = this.settings;
    const contextId = typeof memo.contextId === 'string' ? memo.contextId : runId;
    const start = (indexed: boolean) =>
      this.runs.client.workflow.start(TEAM_RUN_WORKFLOW, {
        workflowId: runId,
        // A run id names one run for good: Temporal's default would start a new run under the id of an ended one.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        taskQueue: this.settings.taskQueue,
        args: [indexed ? { ...input, searchAttributes: true } : input],
        // The run's read model as it begins (see core/run-head.ts): readers see it `submitted` at once.
        memo: { ...memo, read: runHeadOf(startingState(input, runId, Date.now())) },
        ...(indexed
          ? { typedSearchAttributes: initialRunSearchAttributes(memo.team, contextId, readRunStarter({ memo }), new Date()) }
          : {}),
      });
    try {
      const indexed = await searchAttributes.registered();
      try {
        await start(indexed);
      } catch (err) {
        // Just registered: the frontend checks against its cache, which catches up within a minute.
        // The run starts without them meanwhile, and lists by its memo.
        if (!indexed || !isUnknownSearchAttribute(err)) throw err;
        searchAttributes.notYet();
        await start(false);
      }
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new RunAlreadyExistsError(runId);
      throw err;
    }
  }

  /**
   * What a new run reads before its own messages, written as its `earlier` note before it starts
   * (its input carries only how many parts there are). Joins the context first when asked to.
   */
  private async earlierFor(team: TeamSpec, runId: string, options: StartOptions): Promise<EarlierPart[]> {
    const { store, reads } = this.settings;
    const references = options.references ?? [];
    let parts: EarlierPart[];
    // With `context: none` a context carries nothing from task to task: its tasks are independent,
    // so they need no order and may run side by side.
    if (options.continueContext && options.contextId && (team.context ?? DEFAULT_CONTEXT_SETTING) !== 'none') {
      parts = await joinContext(reads, store, team, options.contextId, runId, { ...options.continueContext, references });
    } else {
      const referenced = await Promise.all(references.map((id) => pastRun(store, team, id)));
      parts = earlierParts([], referenced, team.context ?? DEFAULT_CONTEXT_SETTING);
    }
    if (parts.length) await store.putRunNote(runId, EARLIER_NOTE, parts);
    return parts;
  }

  /**
   * Starts a fork of a run at a turn (see core/fork.ts): a new run that begins with the run's task
   * and first `atTurn` turns, as edited, and goes on from there; the run itself is untouched.
   * Answers the fork's id. Refused with a ForkRefusal naming the flag for a bad turn, edit or agent.
   */
  async fork(runId: string, options: ForkOptions): Promise<string> {
    return forkRun(this.settings.reads, (id, input, memo) => this.startWorkflow(id, input, memo), runId, options);
  }

  /** Cancels the run now: the turn in flight is cancelled and the run ends `canceled`. */
  async cancel(runId: string): Promise<void> {
    await this.runs.onRun(runId, async (handle) => {
      await assertRunning(handle, runId, 'cancel');
      await handle.cancel();
    });
  }

  /**
   * Asks Temporal to cancel the run, with no check of its own first: for a caller that has just read
   * the run's state and answers for an ended run in its own words (the A2A front end's CancelTask).
   */
  async requestCancellation(runId: string): Promise<void> {
    await this.runs.handle(runId).cancel();
  }

  /** Asks the run to stop after the turn in flight; it then completes with this reason. */
  async stop(runId: string, reason = 'stopped from the client'): Promise<void> {
    await this.runs.onRun(runId, async (handle) => {
      // Signalling an ended run fails as "not found", which would tell the user the wrong thing.
      await assertRunning(handle, runId, 'stop');
      await handle.signal(stopRunSignal, { reason });
    });
  }

  /** Adds, replaces or deletes a push config; the run refuses a change it cannot take, with the reason. */
  async changePushConfigs(runId: string, change: PushConfigChange): Promise<PushConfig[]> {
    return this.runs.onRun(runId, async (handle) => {
      try {
        return await this.runs.withinDeadline(() => handle.executeUpdate(pushConfigUpdate, { args: [change] }), QUERY_TIMEOUT_MS * 2);
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError)
          throw new InvalidRequestError((err.cause as Error | undefined)?.message ?? err.message);
        if (!isNoWorkerAnswer(err)) throw err;
        throw await noWorkerError(handle, runId);
      }
    });
  }

  /** Answers the person's request a run waits on: input, approve, reject or request changes. */
  async answer(runId: string, answer: AnswerInput): Promise<AnswerResult> {
    const result = await this.runs.onRun(runId, (handle) =>
      sendAnswer(handle, runId, answer, (ms, call) => this.runs.withinDeadline(call, ms), this.settings.store),
    );
    this.settings.answered(runId);
    return result;
  }
}

/** The team with the run's budget over its own; a bad budget is the caller's mistake, named. */
function budgetedTeam(team: TeamSpec, options: StartOptions): TeamSpec {
  try {
    return withRunBudget(team, options.budget, options.budgetFrom ?? 'budget');
  } catch (err) {
    throw new InvalidRequestError((err as Error).message);
  }
}

async function assertRunning(handle: WorkflowHandle, runId: string, verb: string): Promise<void> {
  const { status } = await handle.describe();
  if (status.name !== 'RUNNING') {
    throw new InvalidRequestError(`run "${runId}" has already ended (${endedStatus(status.name)}); nothing to ${verb}`);
  }
}
