import type { SendMessageRequest } from '@a2a-js/sdk';
import {
  RequestMalformedError,
  RestContentTypeNotSupportedError,
  RestUnsupportedOperationError,
  UnsupportedOperationError,
} from '@a2a-js/sdk/errors';
import { reachesAll } from '../../access/access';
import type { Caller } from '../../access/caller';
import { isTerminal } from '../../core/status';
import type { RunReport } from '../../client/run-report';
import { answerOf, type IncomingMessage } from '../incoming';
import { viewOfReport } from '../task-view';
import { messagePushConfig } from './message-push';
import { onRun } from './run-errors';
import type { TeamTasks } from './team-tasks';

/** A task answered: its report from before the answer, and where the answer's effects begin. */
export interface AnsweredTask {
  report: RunReport;
  after: number;
  answered?: string;
}

/**
 * A message to an existing task answers what it waits on. Returns the report from before the
 * answer and the last event number then, from which the answer's effects are followed; with no
 * worker up that number is unknown, and the request answered marks where the effects begin.
 */
export async function answerTask(
  tasks: TeamTasks,
  message: IncomingMessage,
  caller: Caller,
  configuration: SendMessageRequest['configuration'],
): Promise<AnsweredTask> {
  const taskId = message.taskId!;
  // A caller that may not reach the task learns nothing of it, its question included.
  const report = await tasks.report(taskId, caller, 0);
  const contextId = viewOfReport(report).contextId;
  if (message.contextId && message.contextId !== contextId) {
    throw new RequestMalformedError(`message.contextId "${message.contextId}" does not match task ${taskId}'s context "${contextId}"`);
  }
  if (isTerminal(report.status)) {
    throw new UnsupportedOperationError(
      `task ${taskId} has ended (${report.status}) and takes no more messages; send a new message without taskId to start another`,
    );
  }
  const waiting = report.snapshot?.pendingInput ?? report.waiting;
  if (report.status !== 'input-required' || !waiting) {
    throw new UnsupportedOperationError(
      `task ${taskId} is ${report.status}; it takes a message only while it waits for input (input-required)`,
    );
  }
  if (waiting.kind === 'approval' && tasks.settings.operatorApprovals && !reachesAll(caller)) {
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
  const push = await messagePushConfig(tasks, configuration, caller);
  if (push) await onRun(() => tasks.client.changePushConfigs(taskId, { op: 'set', config: push }));
  const { requestId } = await onRun(() => tasks.client.answer(taskId, answer));
  if (!report.snapshot) return { report, after: 0, answered: requestId };
  return { report, after: report.snapshot.lastEventSeq };
}
