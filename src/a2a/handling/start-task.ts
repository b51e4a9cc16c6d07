import { randomUUID } from 'node:crypto';
import type { SendMessageRequest, Task } from '@a2a-js/sdk';
import { RequestMalformedError, TaskNotFoundError } from '@a2a-js/sdk/errors';
import { mayReach, reachesAll } from '../../access/access';
import type { Caller } from '../../access/caller';
import { ForkRefusal } from '../../core/fork';
import { TASK_SOURCE, type ChatMessage } from '../../core/messages';
import type { PushConfig } from '../../core/push';
import { FORK_FROM_FIELD, forkRequestOf, type ForkRequest } from '../fork-request';
import { checkFileUrls, type IncomingMessage } from '../incoming';
import { memoryUserOf } from '../memory-user';
import { budgetedTeamOf } from '../run-budget-field';
import { submittedTask } from '../task-view';
import { messagePushConfig } from './message-push';
import { onRun } from './run-errors';
import type { TeamTasks } from './team-tasks';

/** A task just started: its run, its context, and the task as it stands (submitted). */
export interface StartedTask {
  runId: string;
  contextId: string;
  task: Task;
}

/**
 * A new task is a new run: its id is the workflow id; the client's context is kept, or one is
 * made. A context's tasks come one after another, each beginning with the conversation before
 * it (see context-chain.ts); referenced tasks are checked as GetTask checks them, then read too.
 */
export async function startTask(
  tasks: TeamTasks,
  message: IncomingMessage,
  params: SendMessageRequest,
  caller: Caller,
): Promise<StartedTask> {
  const { settings, client } = tasks;
  const contextId = message.contextId ?? randomUUID();
  const push = await messagePushConfig(tasks, params.configuration, caller);
  const pushConfigs = push ? [push] : [];
  const fork = forkRequestOf(params.message?.metadata);
  if (fork) return startFork(tasks, fork, message, caller, pushConfigs);
  await checkFileUrls(message, settings.webhookPolicy, reachesAll(caller));
  for (const [i, id] of message.references.entries()) {
    await tasks.reach(id, caller).catch((err: unknown) => {
      if (err instanceof TaskNotFoundError) throw new TaskNotFoundError(`message.referenceTaskIds[${i}]: task ${id} not found`);
      throw err;
    });
  }
  const user = memoryUserOf(params.message?.metadata, caller, settings.team);
  const team = budgetedTeamOf(params.message?.metadata, settings.team);
  const runId = await onRun(() =>
    client.start(team, message.text, {
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
  return { runId, contextId, task: submittedTask(runId, contextId, settings.team.name, task) };
}

/**
 * A fork of a task the caller may reach (see core/fork.ts): a new task in a new context that
 * begins with the task's first turns; the message's text, when it has any, replaces the task.
 */
async function startFork(
  tasks: TeamTasks,
  fork: ForkRequest,
  message: IncomingMessage,
  caller: Caller,
  pushConfigs: PushConfig[],
): Promise<StartedTask> {
  if (message.contextId) throw new RequestMalformedError('message.contextId: a fork begins a new context; leave it out');
  if (message.attachments.length || message.references.length) {
    throw new RequestMalformedError(`${FORK_FROM_FIELD}: a fork takes text only (no files, data or referenceTaskIds)`);
  }
  await tasks.reach(fork.taskId, caller).catch((err: unknown) => {
    if (err instanceof TaskNotFoundError) throw new TaskNotFoundError(`${FORK_FROM_FIELD}.taskId: task ${fork.taskId} not found`);
    throw err;
  });
  const contextId = randomUUID();
  const runId = await onRun(() =>
    tasks.client
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
  const [task] = await tasks.client.store.read(runId, 0, 1);
  return { runId, contextId, task: submittedTask(runId, contextId, tasks.settings.team.name, task!) };
}
