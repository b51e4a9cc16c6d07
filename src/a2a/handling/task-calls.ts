import type { CancelTaskRequest, GetTaskRequest, Task } from '@a2a-js/sdk';
import { RequestMalformedError, RestTaskNotCancelableError, TaskNotFoundError } from '@a2a-js/sdk/errors';
import type { ServerCallContext } from '@a2a-js/sdk/server';
import type { Caller } from '../../access/caller';
import type { FileAttachment } from '../../core/attachments';
import { isTerminal } from '../../core/status';
import { TASK_FAILED_ATTEMPTS } from '../attempts-json';
import { taskOfReport } from '../task-view';
import { callerInContext } from './call-context';
import { onRun } from './run-errors';
import type { TeamTasks } from './team-tasks';

/** Messages read to find a task's final answer when the client asks for less history. */
const ANSWER_WINDOW = 20;

/** GetTask, CancelTask and the download of a task's files: calls on one task, answered from its run. */
export class TaskCalls {
  constructor(private readonly tasks: TeamTasks) {}

  async getTask(params: GetTaskRequest, context: ServerCallContext): Promise<Task> {
    if (params.historyLength !== undefined && params.historyLength < 0)
      throw new RequestMalformedError(`historyLength must not be negative, not ${params.historyLength}`);
    // The final answer and the status message come from the newest messages, however few the client wants.
    const wanted = params.historyLength === undefined ? undefined : Math.max(params.historyLength, ANSWER_WINDOW);
    const report = await this.tasks.report(params.id, callerInContext(context), wanted);
    // Why its steps failed, attempt by attempt: Temporal keeps only each step's last failure.
    const failedAttempts = await onRun(() => this.tasks.client.attempts(params.id, TASK_FAILED_ATTEMPTS));
    return taskOfReport(report, { historyLength: params.historyLength, ...this.tasks.mapping, failedAttempts });
  }

  async cancelTask(params: CancelTaskRequest, context: ServerCallContext): Promise<Task> {
    const before = await this.tasks.report(params.id, callerInContext(context), 0);
    if (isTerminal(before.status)) {
      // 409 over HTTP+JSON, as the spec maps it (the SDK's default is 400); -32002 over JSON-RPC.
      throw new RestTaskNotCancelableError({
        message: `task ${params.id} has already ended (${before.status}); there is nothing to cancel`,
        statusCode: 409,
      });
    }
    await this.tasks.client.requestCancellation(params.id);
    // The run cancels the turn in flight and ends `canceled`; the answer waits for that, briefly.
    const deadline = Date.now() + (this.tasks.settings.cancelWaitMs ?? 10_000);
    let report = before;
    while (Date.now() < deadline) {
      report = await this.tasks.readReport(params.id, 0);
      if (isTerminal(report.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return taskOfReport(await this.tasks.readReport(params.id), { ...this.tasks.mapping });
  }

  /**
   * A file of one of a task's messages, for the links of files delivered by URL: reached as the
   * task is (someone else's answers as unknown), read from the conversation store.
   */
  async file(taskId: string, index: number, n: number, caller: Caller): Promise<FileAttachment & { bytes: string }> {
    await this.tasks.reach(taskId, caller); // the memo says enough: the run's state is not needed
    const page = await onRun(() => this.tasks.client.transcript(taskId, index, 1));
    const file = page.messages.find((m) => m.index === index)?.attachments?.[n];
    if (file?.kind !== 'file' || file.bytes === undefined) throw new TaskNotFoundError(`task ${taskId} has no file ${index}/${n}`);
    return { ...file, bytes: file.bytes };
  }
}
