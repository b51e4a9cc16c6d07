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
  Task,
  TaskPushNotificationConfig,
} from '@a2a-js/sdk';
import { ExtendedAgentCardNotConfiguredError } from '@a2a-js/sdk/errors';
import type { A2ARequestHandler, ServerCallContext } from '@a2a-js/sdk/server';
import { reachesAll } from '../access/access';
import type { Caller } from '../access/caller';
import type { FileAttachment } from '../core/attachments';
import type { TeamClient } from '../client/team-client';
import { callerInContext } from './handling/call-context';
import { MessageCalls } from './handling/message-calls';
import { PushConfigCalls } from './handling/push-config-calls';
import type { TeamHandlerSettings } from './handling/settings';
import { TaskCalls } from './handling/task-calls';
import { TaskStreams } from './handling/task-streams';
import { TeamTasks } from './handling/team-tasks';
import { listTeamTasks } from './task-listing';

export type { TeamHandlerSettings } from './handling/settings';

/**
 * The A2A request handler of one team, with Temporal as the task store and event source. It keeps
 * no task in memory: every answer is read from the run (its memo, result or queries), so a fresh
 * or restarted front end, or a second one beside it, answers for any task of the team.
 *
 * The calls live in handling/, one concern to a file; this class hands each call to its own.
 */
export class TeamRequestHandler implements A2ARequestHandler {
  private readonly tasks: TeamTasks;
  private readonly messages: MessageCalls;
  private readonly taskCalls: TaskCalls;
  private readonly streams: TaskStreams;
  private readonly pushConfigs: PushConfigCalls;

  constructor(private readonly settings: TeamHandlerSettings) {
    this.tasks = new TeamTasks(settings);
    this.messages = new MessageCalls(this.tasks);
    this.taskCalls = new TaskCalls(this.tasks);
    this.streams = new TaskStreams(this.tasks);
    this.pushConfigs = new PushConfigCalls(this.tasks);
  }

  private get client(): TeamClient {
    return this.settings.client;
  }

  private get people(): ReadonlySet<string> {
    return this.tasks.people;
  }

  async getAgentCard(): Promise<AgentCard> {
    return this.settings.card;
  }

  async getAuthenticatedExtendedAgentCard(): Promise<AgentCard> {
    throw new ExtendedAgentCardNotConfiguredError('this agent has no extended card; its public card says everything');
  }

  sendMessage(params: SendMessageRequest, context: ServerCallContext): Promise<Message | Task> {
    return this.messages.sendMessage(params, context);
  }

  sendMessageStream(params: SendMessageRequest, context: ServerCallContext): AsyncGenerator<StreamResponse, void, undefined> {
    return this.messages.sendMessageStream(params, context);
  }

  getTask(params: GetTaskRequest, context: ServerCallContext): Promise<Task> {
    return this.taskCalls.getTask(params, context);
  }

  async listTasks(params: ListTasksRequest, context: ServerCallContext): Promise<ListTasksResponse> {
    const caller = callerInContext(context);
    // A caller who does not reach all sees the runs its own token started (see access.ts).
    const owner = reachesAll(caller) ? undefined : (caller.name ?? undefined);
    return listTeamTasks(this.client, this.settings.team.name, params, this.people, owner);
  }

  cancelTask(params: CancelTaskRequest, context: ServerCallContext): Promise<Task> {
    return this.taskCalls.cancelTask(params, context);
  }

  resubscribe(params: SubscribeToTaskRequest, context: ServerCallContext): AsyncGenerator<StreamResponse, void, undefined> {
    return this.streams.resubscribe(params, context);
  }

  createTaskPushNotificationConfig(params: TaskPushNotificationConfig, context: ServerCallContext): Promise<TaskPushNotificationConfig> {
    return this.pushConfigs.createTaskPushNotificationConfig(params, context);
  }

  getTaskPushNotificationConfig(
    params: GetTaskPushNotificationConfigRequest,
    context: ServerCallContext,
  ): Promise<TaskPushNotificationConfig> {
    return this.pushConfigs.getTaskPushNotificationConfig(params, context);
  }

  listTaskPushNotificationConfigs(
    params: ListTaskPushNotificationConfigsRequest,
    context: ServerCallContext,
  ): Promise<ListTaskPushNotificationConfigsResponse> {
    return this.pushConfigs.listTaskPushNotificationConfigs(params, context);
  }

  deleteTaskPushNotificationConfig(params: DeleteTaskPushNotificationConfigRequest, context: ServerCallContext): Promise<void> {
    return this.pushConfigs.deleteTaskPushNotificationConfig(params, context);
  }

  /**
   * A file of one of a task's messages, for the links of files delivered by URL: reached as the
   * task is (someone else's answers as unknown), read from the conversation store.
   */
  file(taskId: string, index: number, n: number, caller: Caller): Promise<FileAttachment & { bytes: string }> {
    return this.taskCalls.file(taskId, index, n, caller);
  }
}
