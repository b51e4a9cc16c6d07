import { Task, type Message, type SendMessageRequest, type StreamResponse } from '@a2a-js/sdk';
import { RequestMalformedError } from '@a2a-js/sdk/errors';
import type { ServerCallContext } from '@a2a-js/sdk/server';
import { taskJson } from '../../core/a2a-json';
import { bridgeEvents } from '../event-bridge';
import { checkOutputModes, readIncoming, type IncomingMessage } from '../incoming';
import { messageReply } from '../message-reply';
import { taskOfReport, viewOfReport } from '../task-view';
import { answerTask } from './answer-task';
import { callerInContext } from './call-context';
import { startTask } from './start-task';
import { idsOf, taskEvent } from './stream-parts';
import type { TeamTasks } from './team-tasks';

/**
 * SendMessage and SendStreamingMessage: a message without a taskId starts a task (or a fork),
 * one with a taskId answers what that task waits on; then the run is followed.
 */
export class MessageCalls {
  constructor(private readonly tasks: TeamTasks) {}

  /** A run that completes at once is answered with a bare Message (team file: `a2a: { reply: message }`). */
  private get repliesWithMessage(): boolean {
    return this.tasks.settings.team.a2a?.reply === 'message';
  }

  async sendMessage(params: SendMessageRequest, context: ServerCallContext): Promise<Message | Task> {
    const message = this.incoming(params);
    const caller = callerInContext(context);
    if (!message.taskId) {
      const started = await startTask(this.tasks, message, params, caller);
      if (params.configuration?.returnImmediately) return started.task;
      const task = await this.untilInterrupted(started.runId, 0, params.configuration?.historyLength, caller.gone);
      return (this.repliesWithMessage && messageReply(task)) || task;
    }
    const { report, after, answered } = await answerTask(this.tasks, message, caller, params.configuration);
    if (params.configuration?.returnImmediately) {
      return Task.fromJSON(
        taskJson({ ...viewOfReport(report), status: 'working', updatedAt: Date.now() }, { historyLength: 0, ...this.tasks.mapping }),
      );
    }
    return this.untilInterrupted(report.runId, after, params.configuration?.historyLength, caller.gone, answered);
  }

  async *sendMessageStream(params: SendMessageRequest, context: ServerCallContext): AsyncGenerator<StreamResponse, void, undefined> {
    const message = this.incoming(params);
    const caller = callerInContext(context);
    const { client, mapping } = this.tasks;
    if (!message.taskId) {
      const { runId, contextId, task } = await startTask(this.tasks, message, params, caller);
      if (this.repliesWithMessage) {
        // Whether the answer is a Message is known only at the end: the stream is that one event,
        // or else the task as it then stands (waiting, failed), which ends the stream as well.
        const ended = await this.untilInterrupted(runId, 0, params.configuration?.historyLength, caller.gone);
        const reply = messageReply(ended);
        yield reply ? { payload: { $case: 'message', value: reply } } : taskEvent(ended);
        return;
      }
      yield taskEvent(task);
      yield* bridgeEvents(client, { runId, contextId, ...mapping, after: 0, signal: caller.gone, ...idsOf(caller) });
      return;
    }
    const { report, after, answered } = await answerTask(this.tasks, message, caller, params.configuration);
    const resumed = { ...viewOfReport(report), status: 'working' as const, updatedAt: Date.now() };
    yield taskEvent(Task.fromJSON({ ...taskJson(resumed, { historyLength: 0, ...mapping }) }));
    yield* bridgeEvents(client, {
      runId: report.runId,
      contextId: resumed.contextId,
      ...mapping,
      after,
      answered,
      signal: caller.gone,
      ...idsOf(caller),
    });
  }

  private incoming(params: SendMessageRequest): IncomingMessage {
    checkOutputModes(params.configuration);
    const historyLength = params.configuration?.historyLength;
    if (historyLength !== undefined && historyLength < 0)
      throw new RequestMalformedError(`configuration.historyLength must not be negative, not ${historyLength}`);
    return readIncoming(params.message, this.tasks.settings.maxMessageChars, this.tasks.settings.files);
  }

  /** Blocking SendMessage: follows the run until it ends or waits on someone, then answers with the task. */
  private async untilInterrupted(
    runId: string,
    after: number,
    historyLength: number | undefined,
    gone: AbortSignal,
    answered?: string,
  ): Promise<Task> {
    const { client, mapping } = this.tasks;
    const contextId = runId; // only used inside events the caller never sees here
    for await (const event of bridgeEvents(client, { runId, contextId, ...mapping, after, answered, signal: gone })) void event;
    return taskOfReport(await this.tasks.readReport(runId, historyLength), { historyLength, ...mapping });
  }
}
