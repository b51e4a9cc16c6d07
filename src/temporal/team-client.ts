import { ContextLedger } from '../store/context-ledger';
import { AttemptLog } from '../store/attempt-log';
import type { FailedAttempt } from '../core/failed-attempt';
import { joinContext, pastRun, type JoinOptions } from './context-chain';
import { DEFAULT_CONTEXT_SETTING, earlierParts, type EarlierPart } from '../core/earlier';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type ClientOptions,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
} from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { RunEvent } from '../core/events';
import type { EventPage, TranscriptPage } from '../core/paging';
import type { RunSnapshot } from '../core/state';
import { statusOfClosedExecution, type ClosedExecutionStatus, type RunStatus } from '../core/status';
import type { TeamSpec } from '../spec/team';
import type { PushConfig, PushConfigChange } from '../core/push';
import {
  TEAM_RUN_WORKFLOW,
  runEventsQuery,
  runStateQuery,
  pushConfigUpdate,
  pushConfigsQuery,
  stopRunSignal,
  transcriptQuery,
  type TeamRunInput,
  type TeamRunOptions,
  type TeamRunResult,
} from '../../workflows/definitions';
import type { Attachment } from '../core/attachments';
import { readRunStarter, type RunStarter } from './run-starter';
import { withRunBudget, type RunBudget } from '../spec/run-budget';
import { initialRunMemo } from '../visibility/run-memo';
import type { ConnectionSecurity } from './config';
import { closeClient, connectClient } from './connection';
import { isUnknownSearchAttribute, SearchAttributeSupport } from './search-attributes';
import { initialRunSearchAttributes } from '../visibility/run-attributes';
import {
  InvalidRequestError,
  isNoWorkerAnswer,
  isWorkflowTaskFailingAnswer,
  NoWorkerError,
  RunAlreadyExistsError,
  RunEndedError,
  RunNotFoundError,
  RunStalledError,
} from './errors';
import { followEvents, type FollowOptions } from './follow';
import { sendAnswer, type AnswerInput, type AnswerResult } from './answers';
import { checkId, contextIdProblem, isRunIdShape, newRunId } from './run-ids';
import { missingUserKey } from '../core/memory-request';
import { failedRunSnapshot, readRunRecord, type RunRecord } from './run-record';
export type { RunRecord } from './run-record';
import { runStatusOf, readStatusMemo } from './run-status';
import { listRuns, type ListOptions, type RunListing } from './listing/run-listing';
import { RunLister } from './listing/run-lister';
import { EARLIER_NOTE, type ConversationStore } from '../store/conversation-store';
import { defaultConversationStore } from '../site/default-store';
import { dataConverterOf } from '../store/external-payloads';
import { finishedTranscript, wholeEvents, wholeResult, wholeSnapshot, wholeTranscript } from './conversation-reader';
import { readStall, type RunStall } from './stall';
import type { LiveChannel } from '../live/channel';
import { defaultLiveChannel } from '../site/default-channel';
import { RunFeeds, type FeedItem } from './run-feeds';
import { eventsFromHistory, headOf } from './read-model/run-reads';
import { FreshCalls } from './read-model/fresh-calls';
import { heldPage } from '../core/paging';
import { runHeadOf } from '../core/run-head';
import { startingState } from '../core/starting-state';
import { forkRun, type ForkOptions } from './run-fork';
import { StartHooks, type StartHook } from './start-hooks';
export type { ForkOptions } from './run-fork';
export type { RunStart, StartHook, StartOutcome } from './start-hooks';

export type { RunListing, ListOptions } from './listing/run-listing';
export type { AnswerInput, AnswerResult } from './answers';

/** How long a query waits for a worker to answer before the client says none is running. */
export const QUERY_TIMEOUT_MS = 5_000;

/**
 * Poll bounds of the shared follower of a run begun before the read model, which can only be
 * asked by query (a run with a read model is followed in its history, with no polling).
 */
const FEED_POLL = { minPollMs: 20, maxPollMs: 150 };

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

/** The team with the run's budget over its own; a bad budget is the caller's mistake, named. */
function budgetedTeam(team: TeamSpec, options: StartOptions): TeamSpec {
  try {
    return withRunBudget(team, options.budget, options.budgetFrom ?? 'budget');
  } catch (err) {
    throw new InvalidRequestError((err as Error).message);
  }
}

/**
 * Starts, watches and steers team runs. Every method reads from Temporal, so any process with a
 * client sees the same runs, before and after restarts.
 */
export class TeamClient {
  /** Where the runs' conversations are read from and the tasks and answers written to. */
  readonly store: ConversationStore;
  /** Where the workers' live items (text being written) are heard; null hears none. */
  readonly live: LiveChannel | null;
  private readonly feeds: RunFeeds;
  private readonly startHooks = new StartHooks();
  private readonly describes = new FreshCalls<WorkflowExecutionDescription>();
  /** Whether the namespace has the run search attributes (asked once; see search-attributes.ts). */
  readonly searchAttributes: SearchAttributeSupport;
  /** Lists runs, for every listing there is (see listing/run-lister.ts). */
  readonly lister: RunLister;

  constructor(
    readonly client: Client,
    readonly taskQueue: string,
    store?: ConversationStore,
    live?: LiveChannel | null,
    /** false: never use the run search attributes, registered or not (as a client before them). */
    searchAttributes = true,
  ) {
    this.store = store ?? defaultConversationStore(client.options.dataConverter);
    this.live = live === undefined ? defaultLiveChannel(client.options.dataConverter) : live;
    this.feeds = new RunFeeds(this, this.live, FEED_POLL);
    this.searchAttributes = new SearchAttributeSupport(client, searchAttributes);
    this.lister = new RunLister(client, this.searchAttributes);
  }

  /**
   * Stops following runs and closes the connection once its calls in flight have ended. Close a
   * client this way rather than through `client.connection`: see calls-in-flight.ts for why.
   */
  async close(): Promise<void> {
    await this.feeds.close();
    await closeClient(this.client);
  }

  /** `dataConverter` must match the workers' (the payload codec), or runs cannot be read. */
  static async connect(settings: {
    address: string;
    namespace: string;
    taskQueue: string;
    dataConverter?: DataConverter;
    security?: ConnectionSecurity;
    /** Client interceptors, such as tracing's (telemetry/tracing.ts). */
    interceptors?: ClientOptions['interceptors'];
    /** The workers' conversation store. Default: the one DURABLE_TEAMS_STORE names, with `dataConverter`'s codec. */
    store?: ConversationStore;
    /** As the workers: payloads over 256 KiB kept in the store. Default: DURABLE_TEAMS_EXTERNAL_PAYLOADS. */
    externalPayloads?: boolean;
    /** Where the workers' live items are heard. Default: the channel beside the store (see StoreSite.liveChannel). */
    live?: LiveChannel | null;
    /** false: start runs without the run search attributes and list by memo, even where they are registered. */
    searchAttributes?: boolean;
  }): Promise<TeamClient> {
    const { address, namespace, taskQueue, store: given, externalPayloads, live, searchAttributes, ...options } = settings;
    const store = given ?? defaultConversationStore(options.dataConverter);
    // Payloads the workers kept in the store (see external-payloads.ts) are read back from it.
    const converter = dataConverterOf(options.dataConverter, store.backend, externalPayloads);
    return new TeamClient(await connectClient(address, namespace, { ...options, ...converter }), taskQueue, store, live, searchAttributes);
  }

  get namespace(): string {
    return this.client.options.namespace;
  }

  /**
   * Adds a hook that every start of this client passes, whatever started it (see start-hooks.ts):
   * it may refuse the start, and hears whether the run started. Answers how to remove it.
   */
  onStart(hook: StartHook): () => void {
    return this.startHooks.add(hook);
  }

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
    const taskRef = await this.store.putBody(runId, { content: task, ...attachments });
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
   * and keeps them (see src/visibility/run-attributes.ts). Every hook added with `onStart` is asked first.
   */
  async startWorkflow(runId: string, input: TeamRunInput, memo: Record<string, unknown> & { team: string }): Promise<void> {
    // The one place every start goes through, so the hooks hear of each (start, fork, every front end).
    const run = { runId, team: memo.team, startedBy: readRunStarter({ memo }) };
    await this.startHooks.around(run, () => this.startExecution(runId, input, memo));
  }

  private async startExecution(runId: string, input: TeamRunInput, memo: Record<string, unknown> & { team: string }): Promise<void> {
    const contextId = typeof memo.contextId === 'string' ? memo.contextId : runId;
    const start = (indexed: boolean) =>
      this.client.workflow.start(TEAM_RUN_WORKFLOW, {
        workflowId: runId,
        // A run id names one run for good: Temporal's default would start a new run under the id of an ended one.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        taskQueue: this.taskQueue,
        args: [indexed ? { ...input, searchAttributes: true } : input],
        // The run's read model as it begins (see core/run-head.ts): readers see it `submitted` at once.
        memo: { ...memo, read: runHeadOf(startingState(input, runId, Date.now())) },
        ...(indexed
          ? { typedSearchAttributes: initialRunSearchAttributes(memo.team, contextId, readRunStarter({ memo }), new Date()) }
          : {}),
      });
    try {
      const indexed = await this.searchAttributes.registered();
      try {
        await start(indexed);
      } catch (err) {
        // Just registered: the frontend checks against its cache, which catches up within a minute.
        // The run starts without them meanwhile, and lists by its memo.
        if (!indexed || !isUnknownSearchAttribute(err)) throw err;
        this.searchAttributes.notYet();
        await start(false);
      }
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new RunAlreadyExistsError(runId);
      throw err;
    }
  }

  /**
   * Starts a fork of a run at a turn (see core/fork.ts): a new run that begins with the run's task
   * and first `atTurn` turns, as edited, and goes on from there; the run itself is untouched.
   * Answers the fork's id. Refused with a ForkRefusal naming the flag for a bad turn, edit or agent.
   */
  async fork(runId: string, options: ForkOptions): Promise<string> {
    return forkRun(this, runId, options);
  }

  /**
   * What a new run reads before its own messages, written as its `earlier` note before it starts
   * (its input carries only how many parts there are). Joins the context first when asked to.
   */
  private async earlierFor(team: TeamSpec, runId: string, options: StartOptions): Promise<EarlierPart[]> {
    const references = options.references ?? [];
    let parts: EarlierPart[];
    // With `context: none` a context carries nothing from task to task: its tasks are independent,
    // so they need no order and may run side by side.
    if (options.continueContext && options.contextId && (team.context ?? DEFAULT_CONTEXT_SETTING) !== 'none') {
      parts = await joinContext(this, this.store, team, options.contextId, runId, { ...options.continueContext, references });
    } else {
      const referenced = await Promise.all(references.map((id) => pastRun(this.store, team, id)));
      parts = earlierParts([], referenced, team.context ?? DEFAULT_CONTEXT_SETTING);
    }
    if (parts.length) await this.store.putRunNote(runId, EARLIER_NOTE, parts);
    return parts;
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

  /** The run's handle; its describe() shared among the readers that arrive together (see fresh-calls.ts). */
  private handle(runId: string): WorkflowHandle {
    const handle = this.client.workflow.getHandle(runId);
    return { ...handle, describe: () => this.describes.get(runId, () => handle.describe()) };
  }

  /** Runs a call on a run, turning "no such workflow" into RunNotFoundError. */
  private async onRun<T>(runId: string, call: (handle: WorkflowHandle) => Promise<T>): Promise<T> {
    // No run can have such an id (see run-ids.ts): answered as any unknown one, without asking Temporal.
    if (!isRunIdShape(runId)) throw new RunNotFoundError(runId, this.namespace);
    return this.onAnyRun(runId, call);
  }

  /** onRun for an id of any shape, for a caller that must hear Temporal's own word (prune, of runs begun before ids had a rule). */
  private async onAnyRun<T>(runId: string, call: (handle: WorkflowHandle) => Promise<T>): Promise<T> {
    try {
      return await call(this.handle(runId));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new RunNotFoundError(runId, this.namespace);
      throw err;
    }
  }

  /**
   * Runs a query, which a worker answers from the run's state. With no worker serving the run's
   * task queue nobody answers: after `QUERY_TIMEOUT_MS` that becomes a NoWorkerError saying so.
   */
  private async query<T>(handle: WorkflowHandle, runId: string, ask: () => Promise<T>): Promise<T> {
    try {
      return await this.client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, ask);
    } catch (err) {
      if (isWorkflowTaskFailingAnswer(err)) throw await stalledError(handle, runId, err);
      if (!isNoWorkerAnswer(err)) throw err;
      throw await noWorkerError(handle, runId);
    }
  }

  /**
   * The run as it stands: a completed run's from its result, a failed run's from its failure, any
   * other's from its read model (workflows/read-model.ts), which Temporal returns with describe():
   * no worker is asked. Only a run begun before the read model, that has not moved since, is
   * asked by query (see read-model/run-reads.ts).
   */
  async getState(runId: string): Promise<RunSnapshot> {
    return this.onRun(runId, async (handle) => {
      const view = await handle.describe();
      if (view.status.name === 'COMPLETED') return wholeSnapshot(this.store, ((await handle.result()) as TeamRunResult).snapshot);
      if (view.status.name === 'FAILED') {
        const snapshot = await failedRunSnapshot(handle);
        if (snapshot) return wholeSnapshot(this.store, snapshot);
      }
      const head = headOf(view);
      if (head) return wholeSnapshot(this.store, head.snapshot);
      return wholeSnapshot(this.store, await this.query(handle, runId, () => handle.query(runStateQuery)));
    });
  }

  /** The run's events above `after`, from the publications in its history (a run before the read model: by query). */
  async events(runId: string, after = 0, limit?: number): Promise<EventPage> {
    return this.onRun(runId, async (handle) => {
      const view = await handle.describe();
      const page = headOf(view)
        ? await eventsFromHistory(this.client, runId, view.runId, after, limit)
        : await this.query(handle, runId, () => handle.query(runEventsQuery, { after, limit }));
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
    return this.onRun(runId, async (handle) => {
      const view = await handle.describe();
      if (view.status.name === 'COMPLETED')
        return finishedTranscript(this.store, runId, (await handle.result()) as TeamRunResult, from, limit);
      const head = headOf(view);
      const page = head
        ? heldPage(head.tail, head.snapshot.messageCount)
        : await this.query(handle, runId, () => handle.query(transcriptQuery, { from, limit }));
      return wholeTranscript(this.store, runId, page, from, limit);
    });
  }

  /** Each event after `after`, as it happens, until the run ends (or `signal` aborts). */
  follow(runId: string, options: FollowOptions = {}): AsyncGenerator<RunEvent> {
    return followEvents(this, runId, options);
  }

  /**
   * The run's events above `after` with the text being written between them, from the one
   * follower this process keeps per run (see run-feeds.ts): as many watchers as you like cost the
   * workers one follower's queries.
   */
  watch(runId: string, options: { after: number; signal: AbortSignal }): AsyncGenerator<FeedItem> {
    return this.feeds.watch(runId, options);
  }

  /**
   * Whether the run is followed in its history (it publishes a read model, see read-model/): a run
   * in flight with a head, or one that just started (its first step publishes). A run begun
   * before the read model is followed by query.
   */
  async followsHistory(runId: string): Promise<boolean> {
    return this.onRun(runId, async (handle) => headOf(await handle.describe()) !== null);
  }

  /** Runs watched now and their watchers, in this process. */
  get watching(): { runs: number; watchers: number } {
    return this.feeds.counts;
  }

  /** What Temporal itself knows of a run, no worker needed: status (from its memo), what it waits on. */
  async peek(runId: string): Promise<{
    runId: string;
    team: string | null;
    status: RunStatus;
    waiting: RunListing['waiting'];
    taskQueue: string;
    startedBy: RunStarter | null;
    contextId: string | null;
  }> {
    return this.onRun(runId, async (handle) => {
      const view = await handle.describe();
      const team = typeof view.memo?.team === 'string' ? view.memo.team : null;
      const waiting = readStatusMemo(view)?.waiting ?? null;
      const contextId = typeof view.memo?.contextId === 'string' ? view.memo.contextId : null;
      return { runId, team, status: runStatusOf(view), waiting, taskQueue: view.taskQueue, startedBy: readRunStarter(view), contextId };
    });
  }

  /** All that can be learnt of a run now: the workflow's view when it can be had, Temporal's always. */
  async record(runId: string, historyLength?: number): Promise<RunRecord> {
    return this.onRun(runId, (handle) =>
      readRunRecord(
        handle,
        runId,
        (call) => this.client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, call),
        this.store,
        historyLength,
      ),
    );
  }

  /**
   * Why the run's steps failed, attempt by attempt, oldest first (the newest `limit`, at most 200):
   * read from the conversation store, where the workers note each failed attempt (see
   * failed-attempts-interceptor.ts); Temporal's history keeps only a step's last. None for a run
   * with none, or for a run this store does not know.
   */
  async attempts(runId: string, limit?: number): Promise<FailedAttempt[]> {
    if (!isRunIdShape(runId)) throw new RunNotFoundError(runId, this.namespace);
    return new AttemptLog(this.store).newest(runId, limit);
  }

  /** Whether the run's workflow task keeps failing (its status then says `working` forever), and why; null if not. */
  async stall(runId: string): Promise<RunStall | null> {
    return this.onRun(runId, (handle) => readStall(handle));
  }

  /** Temporal's status of the run's current execution, cheap and worker-free; asked of any id (prune asks of every stored run). */
  async executionStatus(runId: string): Promise<string> {
    return this.onAnyRun(runId, async (handle) => (await handle.describe()).status.name);
  }

  /** Waits for the run's end: its result when completed, else a RunEndedError that says why. */
  async result(runId: string): Promise<TeamRunResult> {
    return this.onRun(runId, async (handle) => {
      let result: TeamRunResult;
      try {
        result = (await handle.result()) as TeamRunResult;
      } catch (err) {
        if (!(err instanceof WorkflowFailedError)) throw err;
        const status = await this.closedStatus(handle);
        const reason = innermostMessage(err);
        throw new RunEndedError(runId, status, reason);
      }
      return wholeResult(this.store, runId, result);
    });
  }

  private async closedStatus(handle: WorkflowHandle): Promise<RunStatus> {
    const { status } = await handle.describe();
    return status.name === 'COMPLETED' ? 'completed' : statusOfClosedExecution(status.name as Exclude<ClosedExecutionStatus, 'COMPLETED'>);
  }

  /** Cancels the run now: the turn in flight is cancelled and the run ends `canceled`. */
  async cancel(runId: string): Promise<void> {
    await this.onRun(runId, async (handle) => {
      await assertRunning(handle, runId, 'cancel');
      await handle.cancel();
    });
  }

  /**
   * Asks Temporal to cancel the run, with no check of its own first: for a caller that has just read
   * the run's state and answers for an ended run in its own words (the A2A front end's CancelTask).
   */
  async requestCancellation(runId: string): Promise<void> {
    await this.handle(runId).cancel();
  }

  /** Asks the run to stop after the turn in flight; it then completes with this reason. */
  async stop(runId: string, reason = 'stopped from the client'): Promise<void> {
    await this.onRun(runId, async (handle) => {
      // Signalling an ended run fails as "not found", which would tell the user the wrong thing.
      await assertRunning(handle, runId, 'stop');
      await handle.signal(stopRunSignal, { reason });
    });
  }

  /** Runs newest first, of every task queue, from Temporal's visibility store (which may lag a second behind). */
  async list(options: ListOptions | number = {}): Promise<RunListing[]> {
    return listRuns(this.client, this.lister, typeof options === 'number' ? { limit: options } : options);
  }

  /** The run's A2A push-notification configs (secrets sealed), from its read model. */
  async pushConfigs(runId: string): Promise<PushConfig[]> {
    return this.onRun(runId, async (handle) => {
      const head = headOf(await handle.describe());
      return head ? head.pushConfigs : this.query(handle, runId, () => handle.query(pushConfigsQuery));
    });
  }

  /** Adds, replaces or deletes a push config; the run refuses a change it cannot take, with the reason. */
  async changePushConfigs(runId: string, change: PushConfigChange): Promise<PushConfig[]> {
    return this.onRun(runId, async (handle) => {
      try {
        return await this.client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS * 2, () =>
          handle.executeUpdate(pushConfigUpdate, { args: [change] }),
        );
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
    const result = await this.onRun(runId, (handle) =>
      sendAnswer(handle, runId, answer, (ms, call) => this.client.connection.withDeadline(Date.now() + ms, call), this.store),
    );
    // Watchers here see the answer's effects at once: no worker announces what a signal changed.
    this.feeds.nudge(runId);
    return result;
  }
}

/** Says that no worker answered for the run, and whether one ever picked it up. */
async function noWorkerError(handle: WorkflowHandle, runId: string): Promise<NoWorkerError> {
  const { taskQueue, historyLength, memo } = await handle.describe();
  return new NoWorkerError(runId, taskQueue, historyLength <= 2, typeof memo?.team === 'string' ? memo.team : null);
}

/** Says why Temporal refused to ask the run: its stall, when it can be read (else the refusal as it came). */
async function stalledError(handle: WorkflowHandle, runId: string, refusal: unknown): Promise<unknown> {
  const stall = await readStall(handle);
  return stall ? new RunStalledError(runId, stall) : refusal;
}

async function assertRunning(handle: WorkflowHandle, runId: string, verb: string): Promise<void> {
  const { status } = await handle.describe();
  if (status.name !== 'RUNNING') {
    const ended =
      status.name === 'COMPLETED' ? 'completed' : statusOfClosedExecution(status.name as Exclude<ClosedExecutionStatus, 'COMPLETED'>);
    throw new InvalidRequestError(`run "${runId}" has already ended (${ended}); nothing to ${verb}`);
  }
}

function innermostMessage(err: Error): string {
  let current: Error = err;
  while (current.cause instanceof Error) current = current.cause;
  return current.message;
}
