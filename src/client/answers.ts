import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { MAX_ANSWER_CHARS, type HumanAction, type HumanAnswer, type InputKind } from '../core/human';
import { answerSignal, answerUpdate } from '../../workflows/definitions';
import { InvalidRequestError, isNoWorkerAnswer } from '../temporal/errors';
import type { ConversationStore } from '../store/conversation-store';
import { runStatusOf, readStatusMemo } from '../temporal/run-status';

/** An answer as a caller gives it; the pending request's id is looked up when left out. */
export type AnswerInput = Omit<HumanAnswer, 'requestId'> & { requestId?: string };

/** How an answer was delivered: acknowledged by the run, or queued for a worker that is not running now. */
export interface AnswerResult {
  requestId: string;
  delivery: 'accepted' | 'queued';
}

/** How long an acknowledged answer waits for a worker before it is sent as a signal instead. */
const UPDATE_DEADLINE_MS = 10_000;

const TAKES: Record<InputKind, HumanAction[]> = {
  input: ['input', 'reject'],
  approval: ['approve', 'reject', 'request_changes'],
  budget: ['raise', 'stop'],
};
const WANTS: Record<InputKind, string> = {
  input: 'input (or reject)',
  approval: 'a decision: approve, reject or request-changes',
  budget: 'a budget decision: budget --raise-tokens N / --raise-usd X, or budget --stop',
};

/**
 * Sends a person's answer to a waiting run. It goes as an update, so the run's own validator
 * accepts it or says why not. With no worker running, nobody can validate: it then goes as a
 * signal, which Temporal keeps in the run's history and the run applies (or refuses, on the
 * record) when a worker starts. The run's memo tells what is pending without a worker.
 */
export async function sendAnswer(
  handle: WorkflowHandle,
  runId: string,
  input: AnswerInput,
  withDeadline: <T>(ms: number, call: () => Promise<T>) => Promise<T>,
  store: ConversationStore,
): Promise<AnswerResult> {
  const text = input.text ?? '';
  if (text.length > MAX_ANSWER_CHARS) {
    throw new InvalidRequestError(`the answer has ${text.length} characters; the limit is ${MAX_ANSWER_CHARS} (64 KiB)`);
  }
  if ((input.action === 'input' || input.action === 'request_changes') && !text.trim()) {
    throw new InvalidRequestError(input.action === 'input' ? 'the answer is empty' : 'say what should change');
  }
  const view = await handle.describe();
  const status = runStatusOf(view);
  if (view.status.name !== 'RUNNING') throw new InvalidRequestError(`run "${runId}" has already ended (${status}); nothing to answer`);
  const waiting = readStatusMemo(view)?.waiting ?? null;
  if (!waiting && readStatusMemo(view)) throw new InvalidRequestError(`run "${runId}" is not waiting for input (status: ${status})`);
  if (waiting && !TAKES[waiting.kind as InputKind]?.includes(input.action)) {
    throw new InvalidRequestError(`run "${runId}" waits for ${WANTS[waiting.kind as InputKind]}, not ${input.action.replace('_', '-')}`);
  }
  const requestId = input.requestId ?? waiting?.requestId;
  if (!requestId) throw new InvalidRequestError(`run "${runId}" has no pending request id to answer; pass the request id`);
  // What the person said goes to the store once; the run records the message by its key.
  const ref = text.trim() ? await store.putBody(runId, { content: text.trim() }) : undefined;
  const answer: HumanAnswer = { ...input, requestId, ...(ref ? { ref } : {}) };

  try {
    await withDeadline(UPDATE_DEADLINE_MS, () => updateThroughTaskFailures(handle, answer));
    return { requestId, delivery: 'accepted' };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      const reason = (err.cause as Error | undefined)?.message ?? err.message;
      throw new InvalidRequestError(`run "${runId}" refused the answer: ${reason}`);
    }
    if (!isNoWorkerAnswer(err)) throw err;
  }
  await handle.signal(answerSignal, answer);
  return { requestId, delivery: 'queued' };
}

/** How often an answer is sent again after the workflow task that carried it failed. */
const TASK_FAILURE_RETRIES = 3;

/**
 * Sends the answer as an update, again (under the same update id, so it counts once) when the
 * workflow task that carried it failed for a reason of Temporal's own: a step that would end the
 * run while a timer fired meanwhile fails with UnhandledCommand, and Temporal answers the update
 * "unexpected workflow task failure" though the run is fine and takes it on the next task.
 */
async function updateThroughTaskFailures(handle: WorkflowHandle, answer: HumanAnswer): Promise<void> {
  const updateId = randomUUID();
  for (let attempt = 1; ; attempt++) {
    try {
      await handle.executeUpdate(answerUpdate, { args: [answer], updateId });
      return;
    } catch (err) {
      const failedTask = (err as { cause?: { code?: number; details?: string } }).cause;
      const retry = failedTask?.code === 9 /* FAILED_PRECONDITION */ && /unexpected workflow task failure/.test(failedTask.details ?? '');
      if (!retry || attempt >= TASK_FAILURE_RETRIES) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
