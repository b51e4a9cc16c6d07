import { randomUUID } from 'node:crypto';
import type {
  AgentCard,
  CancelTaskRequest,
  DeleteTaskPushNotificationConfigRequest,
  GetTaskPushNotificationConfigRequest,
  GetTaskRequest,
  ListTaskPushNotificationConfigsRequest,
  ListTaskPushNotificationConfigsResponse,
  ListTasksRequest,
  ListTasksResponse,
  Message,
  SendMessageRequest,
  StreamResponse,
  SubscribeToTaskRequest,
  TaskPushNotificationConfig,
} from '@a2a-js/sdk';
import { Task } from '@a2a-js/sdk';
import {
  ExtendedAgentCardNotConfiguredError,
  RequestMalformedError,
  RestContentTypeNotSupportedError,
  RestTaskNotCancelableError,
  RestUnsupportedOperationError,
  TaskNotFoundError,
  UnsupportedOperationError,
} from '@a2a-js/sdk/errors';
import type { A2ARequestHandler, ServerCallContext } from '@a2a-js/sdk/server';
import { statusJson, taskJson } from '../core/a2a-json';
import { TASK_SOURCE, type ChatMessage } from '../core/messages';
import { isTerminal } from '../core/status';
import type { TargetPolicy } from '../http/outbound-target';
import type { SecretBox } from '../secrets/sealed';
import { isHuman } from '../spec/agent';
import type { TeamSpec } from '../spec/team';
import { ContextBusyError, InvalidRequestError, NoWorkerError, RunNotFoundError } from '../temporal/errors';
import type { RunRecord } from '../temporal/run-record';
import type { TeamClient } from '../temporal/team-client';
import type { FileAttachment } from '../core/attachments';
import { mayReach, reachesAll } from '../access/access';
import { Caller } from '../access/caller';
import { memoryUserOf } from './memory-user';
import { FORK_FROM_FIELD, forkRequestOf, type ForkRequest } from './fork-request';
import { ForkRefusal } from '../core/fork';
import type { PushConfig } from '../core/push';
import { budgetedTeamOf } from './run-budget-field';
import { bridgeEvents } from './event-bridge';
import { recordedSeqOf } from '../http/sse-event-ids';
import type { FilePolicy } from './file-policy';
import { answerOf, checkFileUrls, checkOutputModes, readIncoming, type IncomingMessage } from './incoming';
import { changeEndedPushConfigs, endedPushConfigs } from './ended-push-configs';
import { publicPushConfig, sealPushConfig } from './push-configs';
import { checkTargetField } from './target-field';
import { messageReply } from './message-reply';
import { listTeamTasks } from './task-listing';
import { streamResponse, submittedTask, taskOfRecord, viewOfRecord } from './task-view';
import { TASK_FAILED_ATTEMPTS } from './attempts-json';

/** Messages read to find a task's final answer when the client asks for less history. */
const ANSWER_WINDOW = 20;

/** Where a push URL sent with a message is, for errors. */
const PUSH_URL_FIELD = 'configuration.taskPushNotificationConfig.url';

export interface TeamHandlerSettings {
  team: TeamSpec;
  client: TeamClient;
  card: AgentCard;
  /** Largest message text taken, in characters. */
  maxMessageChars: number;
  /** Opens and seals push-notification secrets; null when no key is configured. */
  secrets: SecretBox | null;
  /** How long CancelTask waits for the run to end before answering with what it sees. */
  cancelWaitMs?: number;
  /** Which inward push URLs are allowed (none but what DURABLE_TEAMS_WEBHOOK_ALLOW names). */
  webhookPolicy: TargetPolicy;
  /** With tokens: approvals are answered by operators only, not by the task's owner. */
  operatorApprovals?: boolean;
  /** Which files a message may carry, and how big (default: DEFAULT_FILE_POLICY). */
  files?: FilePolicy;
  /** Where this team's files are served by URL (`<team url>a2a/files`); inlined when absent. */
  filesAt?: string;
}

/**
 * The A2A request handler of one team, with Temporal as the task store and event source. It keeps
 * no task in memory: every answer is read from the run (its memo, result or queries), so a fresh
 * or restarted front end, or a second one beside it, answers for any task of the team.
 */
export class TeamRequestHandler implements A2ARequestHandler {
  private readonly people: ReadonlySet<string>;
  /** What every view of a task needs: the team's people, and where files by URL are served. */
  private readonly mapping: { people: ReadonlySet<string>; filesAt?: string };

  constructor(private readonly settings: TeamHandlerSettings) {
    this.people = new Set(settings.team.agents.filter(isHuman).map((a) => a.name));
    this.mapping = { people: this.people, ...(settings.filesAt ? { filesAt: settings.filesAt } : {}) };
  }

  private get client(): TeamClient {
    return this.settings.client;
  }

  /** A run that completes at once is answered with a bare Message (team file: `a2a: { reply: message }`). */
  private get repliesWithMessage(): boolean {
    return this.settings.team.a2a?.reply === 'message';
  }

  async getAgentCard(): Promise<AgentCard> {
    return this.settings.card;
  }

  async getAuthenticatedExtendedAgentCard(): Promise<AgentCard> {
    throw new ExtendedAgentCardNotConfiguredError('this agent has no extended card; its public card says everything');
  }

  async sendMessage(params: SendMessageRequest, context: ServerCallContext): Promise<Message | Task> {
    const message = this.incoming(params);
    const caller = callerInContext(context);
    if (!message.taskId) {
      const started = await this.startTask(message, params, caller);
      if (params.configuration?.returnImmediately) return started.task;
      const task = await this.untilInterrupted(started.runId, 0, params.configuration?.historyLength, caller.gone);
      return (this.repliesWithMessage && messageReply(task)) || task;
    }
    const { record, after, answered } = await this.answerTask(message, caller, params.configuration);
    if (params.configuration?.returnImmediately) {
      return Task.fromJSON(
        taskJson({ ...viewOfRecord(record), status: 'working', updatedAt: Date.now() }, { historyLength: 0, ...this.mapping }),
      );
    }
    return this.untilInterrupted(record.runId, after, params.configuration?.historyLength, caller.gone, answered);
  }

  async *sendMessageStream(params: SendMessageRequest, context: ServerCallContext): AsyncGenerator<StreamResponse, void, undefined> {
    const message = this.incoming(params);
    const caller = callerInContext(context);
    if (!message.taskId) {
      const { runId, contextId, task } = await this.startTask(message, params, caller);
      if (this.repliesWithMessage) {
        // Whether the answer is a Message is known only at the end: the stream is that one event,
        // or else the task as it then stands (waiting, failed), which ends the stream as well.
        const ended = await this.untilInterrupted(runId, 0, params.configuration?.historyLength, caller.gone);
        const reply = messageReply(ended);
        yield reply ? { payload: { $case: 'message', value: reply } } : taskEvent(ended);
        return;
      }
      yield taskEvent(task);
      yield* bridgeEvents(this.client, { runId, contextId, ...this.mapping, after: 0, signal: caller.gone, ...idsOf(caller) });
      return;
    }
    const { record, after, answered } = await this.answerTask(message, caller, params.configuration);
    const resumed = { ...viewOfRecord(record), status: 'working' as const, updatedAt: Date.now() };
    yield taskEvent(Task.fromJSON({ ...taskJson(resumed, { historyLength: 0, ...this.mapping }) }));
    yield* bridgeEvents(this.client, {
      runId: record.runId,
      contextId: resumed.contextId,
      ...this.mapping,
      after,
      answered,
      signal: caller.gone,
      ...idsOf(caller),
    });
  }

  async getTask(params: GetTaskRequest, context: ServerCallContext): Promise<Task> {
    if (params.historyLength !== undefined && params.historyLength < 0)
      throw new RequestMalformedError(`historyLength must not be negative, not ${params.historyLength}`);
    // The final answer and the status message come from the newest messages, however few the client wants.
    const wanted = params.historyLength === undefined ? undefined : Math.max(params.historyLength, ANSWER_WINDOW);
    const record = await this.record(params.id, callerInContext(context), wanted);
    // Why its steps failed, attempt by attempt: Temporal keeps only each step's last failure.
    const failedAttempts = await this.onRun(() => this.client.attempts(params.id, TASK_FAILED_ATTEMPTS));
    return taskOfRecord(record, { historyLength: params.historyLength, ...this.mapping, failedAttempts });
  }

  async listTasks(params: ListTasksRequest, context: ServerCallContext): Promise<ListTasksResponse> {
    const caller = callerInContext(context);
    // A caller who does not reach all sees the runs its own token started (see access.ts).
    const owner = reachesAll(caller) ? undefined : (caller.name ?? undefined);
    return listTeamTasks(this.client, this.settings.team.name, params, this.people, owner);
  }

  async cancelTask(params: CancelTaskRequest, context: ServerCallContext): Promise<Task> {
    const before = await this.record(params.id, callerInContext(context), 0);
    if (isTerminal(before.status)) {
      // 409 over HTTP+JSON, as the spec maps it (the SDK's default is 400); -32002 over JSON-RPC.
      throw new RestTaskNotCancelableError({
        message: `task ${params.id} has already ended (${before.status}); there is nothing to cancel`,
        statusCode: 409,
      });
    }
    await this.client.requestCancellation(params.id);
    // The run cancels the turn in flight and ends `canceled`; the answer waits for that, briefly.
    const deadline = Date.now() + (this.settings.cancelWaitMs ?? 10_000);
    let record = before;
    while (Date.now() < deadline) {
      record = await this.readRecord(params.id, 0);
      if (isTerminal(record.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return taskOfRecord(await this.readRecord(params.id), { ...this.mapping });
  }

  async *resubscribe(params: SubscribeToTaskRequest, context: ServerCallContext): AsyncGenerator<StreamResponse, void, undefined> {
    const caller = callerInContext(context);
    const resumeAfter = recordedSeqOf(caller.lastEventId);
    if (resumeAfter !== null) {
      yield* this.resume(params.id, resumeAfter, caller);
      return;
    }
    let record = await this.record(params.id, caller);
    if (isTerminal(record.status))
      throw new UnsupportedOperationError(`task ${params.id} has ended (${record.status}); read it with GetTask`);
    yield taskEvent(taskOfRecord(record, { ...this.mapping }));
    // With no worker up, the run's event numbers are unknown: wait for one, then go on from now.
    while (!record.snapshot && !caller.gone.aborted) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      record = await this.readRecord(params.id, 0);
      if (record.snapshot)
        yield streamResponse({
          statusUpdate: {
            taskId: record.runId,
            contextId: viewOfRecord(record).contextId,
            status: statusJson(viewOfRecord(record), this.people),
          },
        });
    }
    if (caller.gone.aborted || !record.snapshot) return;
    yield* bridgeEvents(this.client, {
      runId: record.runId,
      contextId: viewOfRecord(record).contextId,
      ...this.mapping,
      after: record.snapshot.lastEventSeq,
      signal: caller.gone,
      ...idsOf(caller),
    });
  }

  /**
   * A stream picked up where the client lost it (its `Last-Event-ID`): the task as it stands, with
   * no history (the client has it), then every recorded event after the one it saw — the end of
   * the task too, should it have ended in between.
   */
  private async *resume(taskId: string, after: number, caller: Caller): AsyncGenerator<StreamResponse> {
    const record = await this.record(taskId, caller, 0);
    const view = viewOfRecord(record);
    yield taskEvent(taskOfRecord(record, { historyLength: 0, ...this.mapping }));
    const last = record.snapshot?.lastEventSeq;
    if (isTerminal(record.status) && (last === undefined || after >= last)) return; // it saw the end already
    yield* bridgeEvents(this.client, {
      runId: record.runId,
      contextId: view.contextId,
      ...this.mapping,
      after,
      signal: caller.gone,
      ...idsOf(caller),
    });
  }

  async createTaskPushNotificationConfig(
    params: TaskPushNotificationConfig,
    context: ServerCallContext,
  ): Promise<TaskPushNotificationConfig> {
    const caller = callerInContext(context);
    const record = await this.record(params.taskId, caller, 0);
    const config = sealPushConfig(params, this.settings.secrets);
    await checkTargetField(config.url, 'url', this.settings.webhookPolicy, { detailed: reachesAll(caller) });
    if (isTerminal(record.status)) {
      // Taken and kept beside the ended run (see ended-push-configs.ts); it will never fire.
      const ofRun = () => this.onRun(() => this.client.pushConfigs(params.taskId));
      await changeEndedPushConfigs(this.client.store, params.taskId, ofRun, { op: 'set', config });
    } else {
      await this.onRun(() => this.client.changePushConfigs(params.taskId, { op: 'set', config }));
    }
    return publicPushConfig(params.taskId, config, this.settings.secrets);
  }

  async getTaskPushNotificationConfig(
    params: GetTaskPushNotificationConfigRequest,
    context: ServerCallContext,
  ): Promise<TaskPushNotificationConfig> {
    const configs = await this.pushConfigs(params.taskId, callerInContext(context));
    const config = configs.find((c) => c.id === params.id);
    if (!config) throw new TaskNotFoundError(`task ${params.taskId} has no push notification config "${params.id}"`);
    return publicPushConfig(params.taskId, config, this.settings.secrets);
  }

  async listTaskPushNotificationConfigs(
    params: ListTaskPushNotificationConfigsRequest,
    context: ServerCallContext,
  ): Promise<ListTaskPushNotificationConfigsResponse> {
    const configs = await this.pushConfigs(params.taskId, callerInContext(context));
    return { configs: configs.map((c) => publicPushConfig(params.taskId, c, this.settings.secrets)), nextPageToken: '' };
  }

  async deleteTaskPushNotificationConfig(params: DeleteTaskPushNotificationConfigRequest, context: ServerCallContext): Promise<void> {
    const record = await this.record(params.taskId, callerInContext(context), 0);
    const change = { op: 'delete' as const, id: params.id };
    if (isTerminal(record.status)) {
      // Kept beside the ended run, whatever it holds; deleting what is not there is done already.
      const ofRun = () => this.onRun(() => this.client.pushConfigs(params.taskId));
      await changeEndedPushConfigs(this.client.store, params.taskId, ofRun, change);
      return;
    }
    await this.onRun(() => this.client.changePushConfigs(params.taskId, change));
  }

  /**
   * A file of one of a task's messages, for the links of files delivered by URL: reached as the
   * task is (someone else's answers as unknown), read from the conversation store.
   */
  async file(taskId: string, index: number, n: number, caller: Caller): Promise<FileAttachment & { bytes: string }> {
    await this.reach(taskId, caller); // the memo says enough: the run's state is not needed
    const page = await this.onRun(() => this.client.transcript(taskId, index, 1));
    const file = page.messages.find((m) => m.index === index)?.attachments?.[n];
    if (file?.kind !== 'file' || file.bytes === undefined) throw new TaskNotFoundError(`task ${taskId} has no file ${index}/${n}`);
    return { ...file, bytes: file.bytes };
  }

  // --- the steps the methods share ---

  private incoming(params: SendMessageRequest): IncomingMessage {
    checkOutputModes(params.configuration);
    const historyLength = params.configuration?.historyLength;
    if (historyLength !== undefined && historyLength < 0)
      throw new RequestMalformedError(`configuration.historyLength must not be negative, not ${historyLength}`);
    return readIncoming(params.message, this.settings.maxMessageChars, this.settings.files);
  }

  /**
   * A new task is a new run: its id is the workflow id; the client's context is kept, or one is
   * made. A context's tasks come one after another, each beginning with the conversation before
   * it (see context-chain.ts); referenced tasks are checked as GetTask checks them, then read too.
   */
  private async startTask(
    message: IncomingMessage,
    params: SendMessageRequest,
    caller: Caller,
  ): Promise<{ runId: string; contextId: string; task: Task }> {
    const contextId = message.contextId ?? randomUUID();
    const push = params.configuration?.taskPushNotificationConfig;
    const pushConfigs = push?.url ? [sealPushConfig(push, this.settings.secrets)] : [];
    for (const config of pushConfigs)
      await checkTargetField(config.url, PUSH_URL_FIELD, this.settings.webhookPolicy, { detailed: reachesAll(caller) });
    const fork = forkRequestOf(params.message?.metadata);
    if (fork) return this.startFork(fork, message, caller, pushConfigs);
    await checkFileUrls(message, this.settings.webhookPolicy, reachesAll(caller));
    for (const [i, id] of message.references.entries()) {
      await this.reach(id, caller).catch((err: unknown) => {
        if (err instanceof TaskNotFoundError) throw new TaskNotFoundError(`message.referenceTaskIds[${i}]: task ${id} not found`);
        throw err;
      });
    }
    const user = memoryUserOf(params.message?.metadata, caller, this.settings.team);
    const team = budgetedTeamOf(params.message?.metadata, this.settings.team);
    const runId = await this.onRun(() =>
      this.client.start(team, message.text, {
        contextId,
        pushConfigs,
        startedBy: caller.starter,
        attachments: message.attachments,
        // Each caller's contexts are its own (see context-ledger.ts); one begun before that is its newest task's owner's.
        continueContext: { owner: caller.name, mayAdopt: (startedBy) => mayReach(caller, startedBy) },
        references: message.references,
        ...(user ? { user } : {}),
      }),
    );
    const task: ChatMessage = {
      index: 0,
      source: TASK_SOURCE,
      content: message.text,
      kind: 'text',
      turn: null,
      at: Date.now(),
      ...(message.attachments.length ? { attachments: message.attachments } : {}),
    };
    return { runId, contextId, task: submittedTask(runId, contextId, this.settings.team.name, task) };
  }

  /**
   * A fork of a task the caller may reach (see core/fork.ts): a new task in a new context that
   * begins with the task's first turns; the message's text, when it has any, replaces the task.
   */
  private async startFork(
    fork: ForkRequest,
    message: IncomingMessage,
    caller: Caller,
    pushConfigs: PushConfig[],
  ): Promise<{ runId: string; contextId: string; task: Task }> {
    if (message.contextId) throw new RequestMalformedError('message.contextId: a fork begins a new context; leave it out');
    if (message.attachments.length || message.references.length) {
      throw new RequestMalformedError(`${FORK_FROM_FIELD}: a fork takes text only (no files, data or referenceTaskIds)`);
    }
    await this.reach(fork.taskId, caller).catch((err: unknown) => {
      if (err instanceof TaskNotFoundError) throw new TaskNotFoundError(`${FORK_FROM_FIELD}.taskId: task ${fork.taskId} not found`);
      throw err;
    });
    const contextId = randomUUID();
    const runId = await this.onRun(() =>
      this.client
        .fork(fork.taskId, {
          atTurn: fork.turn,
          ...(message.text.trim() ? { task: message.text } : {}),
          contextId,
          contextOwner: caller.name,
          pushConfigs,
          ...(caller.starter ? { startedBy: caller.starter } : {}),
        })
        .catch((err: unknown) => {
          if (err instanceof ForkRefusal) throw new RequestMalformedError(`${FORK_FROM_FIELD}.turn: ${err.detail}`);
          throw err;
        }),
    );
    const [task] = await this.client.store.read(runId, 0, 1);
    return { runId, contextId, task: submittedTask(runId, contextId, this.settings.team.name, task!) };
  }

  /**
   * A message to an existing task answers what it waits on. Returns the record from before the
   * answer and the last event number then, from which the answer's effects are followed; with no
   * worker up that number is unknown, and the request answered marks where the effects begin.
   */
  private async answerTask(
    message: IncomingMessage,
    caller: Caller,
    configuration: SendMessageRequest['configuration'],
  ): Promise<{ record: RunRecord; after: number; answered?: string }> {
    const taskId = message.taskId!;
    // A caller that may not reach the task learns nothing of it, its question included.
    const record = await this.record(taskId, caller, 0);
    const contextId = viewOfRecord(record).contextId;
    if (message.contextId && message.contextId !== contextId) {
      throw new RequestMalformedError(`message.contextId "${message.contextId}" does not match task ${taskId}'s context "${contextId}"`);
    }
    if (isTerminal(record.status)) {
      throw new UnsupportedOperationError(
        `task ${taskId} has ended (${record.status}) and takes no more messages; send a new message without taskId to start another`,
      );
    }
    const waiting = record.snapshot?.pendingInput ?? record.waiting;
    if (record.status !== 'input-required' || !waiting) {
      throw new UnsupportedOperationError(
        `task ${taskId} is ${record.status}; it takes a message only while it waits for input (input-required)`,
      );
    }
    if (waiting.kind === 'approval' && this.settings.operatorApprovals && !reachesAll(caller)) {
      throw new RestUnsupportedOperationError({
        message: `task ${taskId} waits for an approval, and only an operator answers approvals here; ${caller.name} may read the task but not decide it`,
        statusCode: 403,
      });
    }
    if (message.attachments.some((a) => a.kind === 'file')) {
      throw new RestContentTypeNotSupportedError({
        message: `task ${taskId} takes text and data in an answer; send files with a new task`,
        statusCode: 415,
      });
    }
    const answer = answerOf(message, waiting.kind, caller.name ?? 'a2a-client');
    // A push config sent with the answer is registered first, so it hears of the answer's effects.
    const push = configuration?.taskPushNotificationConfig;
    if (push?.url) {
      const config = sealPushConfig({ ...push, taskId }, this.settings.secrets);
      await checkTargetField(config.url, PUSH_URL_FIELD, this.settings.webhookPolicy, { detailed: reachesAll(caller) });
      await this.onRun(() => this.client.changePushConfigs(taskId, { op: 'set', config }));
    }
    const { requestId } = await this.onRun(() => this.client.answer(taskId, answer));
    if (!record.snapshot) return { record, after: 0, answered: requestId };
    return { record, after: record.snapshot.lastEventSeq };
  }

  /** Blocking SendMessage: follows the run until it ends or waits on someone, then answers with the task. */
  private async untilInterrupted(
    runId: string,
    after: number,
    historyLength: number | undefined,
    gone: AbortSignal,
    answered?: string,
  ): Promise<Task> {
    const contextId = runId; // only used inside events the caller never sees here
    for await (const event of bridgeEvents(this.client, { runId, contextId, ...this.mapping, after, answered, signal: gone })) void event;
    return taskOfRecord(await this.readRecord(runId, historyLength), { historyLength, ...this.mapping });
  }

  /**
   * The run behind a task of this team that the caller may reach, or -32001 — the same answer,
   * word for word, for a task that does not exist, belongs to another team or to another caller.
   * A caller confined to its own tasks is checked from the run's memo alone (one describe, as
   * for an unknown task), before any worker is asked about the run.
   */
  private async record(taskId: string, caller: Caller, historyLength?: number): Promise<RunRecord> {
    if (!reachesAll(caller)) await this.reach(taskId, caller);
    else if (!taskId) throw new RequestMalformedError('the task id is missing');
    const record = await this.readRecord(taskId, historyLength);
    if (record.team !== this.settings.team.name) throw new TaskNotFoundError(`task ${taskId} not found`);
    return record;
  }

  /** Checks that the task is this team's and the caller may reach it, from Temporal's memo alone. */
  private async reach(taskId: string, caller: Caller): Promise<void> {
    if (!taskId) throw new RequestMalformedError('the task id is missing');
    const seen = await this.onRun(() => this.client.peek(taskId));
    if (seen.team !== this.settings.team.name || !mayReach(caller, seen.startedBy)) throw new TaskNotFoundError(`task ${taskId} not found`);
  }

  /** The run's record, for a task already checked with record(). */
  private readRecord(taskId: string, historyLength?: number): Promise<RunRecord> {
    return this.onRun(() => this.client.record(taskId, historyLength));
  }

  /** A task's configs: the run's own, and for an ended task what changed since it ended. */
  private async pushConfigs(taskId: string, caller: Caller) {
    const record = await this.record(taskId, caller, 0);
    const ofRun = await this.onRun(() => this.client.pushConfigs(taskId));
    return isTerminal(record.status) ? endedPushConfigs(this.client.store, taskId, ofRun) : ofRun;
  }

  /** Client errors in A2A's words: an unknown run is -32001, a refused request -32602. */
  private async onRun<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof RunNotFoundError) throw new TaskNotFoundError(`task ${err.runId} not found`);
      if (err instanceof InvalidRequestError) throw new RequestMalformedError(err.message);
      if (err instanceof NoWorkerError) throw new UnsupportedOperationError(err.message);
      // A context whose newest task is still going: the client answers that task, or waits.
      if (err instanceof ContextBusyError) throw new RestUnsupportedOperationError({ message: err.message, statusCode: 409 });
      throw err;
    }
  }
}

/** The caller the server's user builder put in the call's context (see callerForRequest). */
function callerInContext(context: ServerCallContext): Caller {
  const user = context.user;
  return user instanceof Caller ? user : new Caller(null, new AbortController().signal);
}

/** The SSE ids of a stream served over HTTP. */
const idsOf = (caller: Caller) => (caller.eventIds ? { ids: caller.eventIds } : {});

const taskEvent = (task: Task): StreamResponse => ({ payload: { $case: 'task', value: task } });
