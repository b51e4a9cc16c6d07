import type { Client, ClientOptions } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { FailedAttempt } from '../core/failed-attempt';
import type { RunEvent } from '../core/events';
import type { EventPage, TranscriptPage } from '../core/paging';
import type { PushConfig, PushConfigChange } from '../core/push';
import type { RunSnapshot } from '../core/state';
import type { TeamSpec } from '../spec/team';
import type { LiveChannel } from '../live/channel';
import { defaultLiveChannel } from '../site/default-channel';
import { defaultConversationStore } from '../site/default-store';
import type { ConversationStore } from '../store/conversation-store';
import { dataConverterOf } from '../store/external-payloads';
import type { TeamRunInput, TeamRunResult } from '../../workflows/definitions';
import type { AnswerInput, AnswerResult } from './answers';
import type { ConnectionSecurity } from '../temporal/config';
import { closeClient, connectClient } from '../temporal/connection';
import { followEvents, type FollowOptions } from './follow';
import { RunLister } from './listing/run-lister';
import { listRuns, type ListOptions, type RunListing } from './listing/run-listing';
import { RunCommands, type StartOptions } from './run-commands';
import { RunFeeds, type FeedItem } from './run-feeds';
import type { ForkOptions } from './run-fork';
import { RunHandles } from './run-handles';
import { RunReads, type RunPeek } from './run-reads';
import type { RunReport } from './run-report';
import { registerSearchAttributes, SearchAttributeSupport } from '../temporal/search-attributes';
import { StartHooks, type StartHook } from './start-hooks';
import type { RunStall } from './stall';

export { MAX_TASK_CHARS, type StartOptions } from './run-commands';
export { QUERY_TIMEOUT_MS } from './run-handles';
export type { RunPeek } from './run-reads';
export type { RunReport } from './run-report';
export type { ForkOptions } from './run-fork';
export type { RunStart, StartHook, StartOutcome } from './start-hooks';
export type { RunListing, ListOptions } from './listing/run-listing';
export type { AnswerInput, AnswerResult } from './answers';

/**
 * Poll bounds of the shared follower of a run begun before the read model, which can only be
 * asked by query (a run with a read model is followed in its history, with no polling).
 */
const FEED_POLL = { minPollMs: 20, maxPollMs: 150 };

/**
 * Starts, watches and steers team runs. Every method reads from Temporal, so any process with a
 * client sees the same runs, before and after restarts. The work is done by three parts, each
 * usable alone: `reads` (a run's state, events, transcript and report, from its read model),
 * `commands` (starts, answers, cancels; every start passes the start hooks) and `lister` (every
 * listing of runs); this class joins them with the process's feeds of live runs.
 */
export class TeamClient {
  /** Where the runs' conversations are read from and the tasks and answers written to. */
  readonly store: ConversationStore;
  /** Where the workers' live items (text being written) are heard; null hears none. */
  readonly live: LiveChannel | null;
  /** Whether the namespace has the run search attributes (asked once; see search-attributes.ts). */
  readonly searchAttributes: SearchAttributeSupport;
  /** Lists runs, for every listing there is (see listing/run-lister.ts). */
  readonly lister: RunLister;
  readonly reads: RunReads;
  readonly commands: RunCommands;
  private readonly feeds: RunFeeds;
  private readonly startHooks = new StartHooks();

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
    this.searchAttributes = new SearchAttributeSupport(client, searchAttributes);
    this.lister = new RunLister(client, this.searchAttributes);
    const runs = new RunHandles(client);
    this.reads = new RunReads(runs, this.store);
    this.feeds = new RunFeeds(this.reads, this.live, FEED_POLL);
    this.commands = new RunCommands(runs, {
      taskQueue,
      store: this.store,
      reads: this.reads,
      searchAttributes: this.searchAttributes,
      startHooks: this.startHooks,
      // Watchers here see an answer's effects at once: no worker announces what a signal changed.
      answered: (runId) => this.feeds.nudge(runId),
    });
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
   * Whether Temporal answers for this client's namespace within `ms`: a describe of the namespace,
   * not a bare ping, since a front end on a namespace that is missing cannot start a run. Throws
   * Temporal's error when not.
   */
  async checkReachable(ms: number): Promise<void> {
    const { connection } = this.client;
    await connection.withDeadline(Date.now() + ms, () => connection.workflowService.describeNamespace({ namespace: this.namespace }));
  }

  /** Registers the run search attributes the namespace lacks (see search-attributes.ts); answers those added. */
  registerSearchAttributes(): Promise<string[]> {
    return registerSearchAttributes(this.client);
  }

  // Commands (see run-commands.ts).

  /**
   * Adds a hook that every start of this client passes, whatever started it (see start-hooks.ts):
   * it may refuse the start, and hears whether the run started. Answers how to remove it.
   */
  onStart(hook: StartHook): () => void {
    return this.startHooks.add(hook);
  }

  /** Starts a run; nothing is started when the task is refused or the id is taken. */
  start(team: TeamSpec, task: string, options: StartOptions = {}): Promise<string> {
    return this.commands.start(team, task, options);
  }

  /** Starts a team run's workflow under `runId`, through the start hooks (see RunCommands.startWorkflow). */
  startWorkflow(runId: string, input: TeamRunInput, memo: Record<string, unknown> & { team: string }): Promise<void> {
    return this.commands.startWorkflow(runId, input, memo);
  }

  /** Starts a fork of a run at a turn (see core/fork.ts); answers the fork's id. */
  fork(runId: string, options: ForkOptions): Promise<string> {
    return this.commands.fork(runId, options);
  }

  /** Cancels the run now: the turn in flight is cancelled and the run ends `canceled`. */
  cancel(runId: string): Promise<void> {
    return this.commands.cancel(runId);
  }

  /** Asks Temporal to cancel the run with no check first (see RunCommands.requestCancellation). */
  requestCancellation(runId: string): Promise<void> {
    return this.commands.requestCancellation(runId);
  }

  /** Asks the run to stop after the turn in flight; it then completes with this reason. */
  stop(runId: string, reason?: string): Promise<void> {
    return this.commands.stop(runId, reason);
  }

  /** Answers the person's request a run waits on: input, approve, reject or request changes. */
  answer(runId: string, answer: AnswerInput): Promise<AnswerResult> {
    return this.commands.answer(runId, answer);
  }

  /** Adds, replaces or deletes a push config; the run refuses a change it cannot take, with the reason. */
  changePushConfigs(runId: string, change: PushConfigChange): Promise<PushConfig[]> {
    return this.commands.changePushConfigs(runId, change);
  }

  // Reads (see run-reads.ts).

  /** The run as it stands, from its result, its failure or its read model; no worker is asked. */
  getState(runId: string): Promise<RunSnapshot> {
    return this.reads.getState(runId);
  }

  /** The run's events above `after`. */
  events(runId: string, after = 0, limit?: number): Promise<EventPage> {
    return this.reads.events(runId, after, limit);
  }

  /** A run_started event with its task's text. */
  withTask(runId: string, event: Extract<RunEvent, { type: 'run_started' }>): Promise<RunEvent> {
    return this.reads.withTask(runId, event);
  }

  /** Messages from index `from` on, whole, at most `limit` (default 1,000). */
  transcript(runId: string, from = 0, limit = 1_000): Promise<TranscriptPage> {
    return this.reads.transcript(runId, from, limit);
  }

  /** What Temporal itself knows of a run, no worker needed: status (from its memo), what it waits on. */
  peek(runId: string): Promise<RunPeek> {
    return this.reads.peek(runId);
  }

  /** All that can be learnt of a run now: the workflow's view when it can be had, Temporal's always. */
  report(runId: string, historyLength?: number): Promise<RunReport> {
    return this.reads.report(runId, historyLength);
  }

  /** @deprecated The old name of report(): "record" names a message's stored record. Kept for one release. */
  record(runId: string, historyLength?: number): Promise<RunReport> {
    return this.report(runId, historyLength);
  }

  /** Why the run's steps failed, attempt by attempt, oldest first (see RunReads.attempts). */
  attempts(runId: string, limit?: number): Promise<FailedAttempt[]> {
    return this.reads.attempts(runId, limit);
  }

  /** Whether the run's workflow task keeps failing, and why; null if not. */
  stall(runId: string): Promise<RunStall | null> {
    return this.reads.stall(runId);
  }

  /** Temporal's status of the run's current execution, asked of any id. */
  executionStatus(runId: string): Promise<string> {
    return this.reads.executionStatus(runId);
  }

  /** Waits for the run's end: its result when completed, else a RunEndedError that says why. */
  result(runId: string): Promise<TeamRunResult> {
    return this.reads.result(runId);
  }

  /** The run's A2A push-notification configs (secrets sealed), from its read model. */
  pushConfigs(runId: string): Promise<PushConfig[]> {
    return this.reads.pushConfigs(runId);
  }

  /** The runs of a context, oldest first (see RunReads.contextRuns). */
  contextRuns(contextId: string, owner: string | null = null): Promise<string[]> {
    return this.reads.contextRuns(contextId, owner);
  }

  /** Whether the run is followed in its history (see RunReads.followsHistory). */
  followsHistory(runId: string): Promise<boolean> {
    return this.reads.followsHistory(runId);
  }

  // Following.

  /** Each event after `after`, as it happens, until the run ends (or `signal` aborts). */
  follow(runId: string, options: FollowOptions = {}): AsyncGenerator<RunEvent> {
    return followEvents(this.reads, runId, options);
  }

  /**
   * The run's events above `after` with the text being written between them, from the one
   * follower this process keeps per run (see run-feeds.ts): as many watchers as you like cost the
   * workers one follower's reads.
   */
  watch(runId: string, options: { after: number; signal: AbortSignal }): AsyncGenerator<FeedItem> {
    return this.feeds.watch(runId, options);
  }

  /** Runs watched now and their watchers, in this process. */
  get watching(): { runs: number; watchers: number } {
    return this.feeds.counts;
  }

  // Listing (see listing/run-lister.ts).

  /** Runs newest first, of every task queue, from Temporal's visibility store (which may lag a second behind). */
  async list(options: ListOptions | number = {}): Promise<RunListing[]> {
    return listRuns(this.client, this.lister, typeof options === 'number' ? { limit: options } : options);
  }
}
