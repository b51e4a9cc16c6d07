import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { refuseAnswer, type HumanAnswer, type PendingInput } from '../src/core/human';
import type { RunRecorder } from '../src/core/recorder';
import { INTERRUPTED, type Interrupted } from '../src/core/team-loop';
import { answerSignal, answerUpdate } from './definitions';

/**
 * Answers from people, by signal or by update, and the durable wait for them. Exactly one answer
 * is taken per request: the first valid one marks the request answered, and every later one,
 * even in the same workflow task, is refused by the same rule.
 */
export function humanInput(run: RunRecorder, stopping: () => boolean) {
  const { state } = run;
  let answer: HumanAnswer | null = null;
  const refusal = (candidate: HumanAnswer) => refuseAnswer(state.pendingInput, candidate, state.status);
  const take = (candidate: HumanAnswer) => {
    state.pendingInput!.answered = true;
    answer = candidate;
  };

  setHandler(
    answerUpdate,
    (candidate) => {
      // Checked again here: two updates may pass the validator in one workflow task.
      const reason = refusal(candidate);
      if (reason) throw ApplicationFailure.nonRetryable(reason, 'AnswerRefused');
      take(candidate);
      return { requestId: candidate.requestId, accepted: true as const };
    },
    {
      validator: (candidate) => {
        const reason = refusal(candidate);
        if (reason) throw new Error(reason);
      },
    },
  );
  setHandler(answerSignal, (candidate) => {
    const reason = refusal(candidate);
    if (reason) run.refuseAnswer(candidate.requestId, reason);
    else take(candidate);
  });

  /** Waits for the answer to `request`, durably: days if need be, across worker restarts. */
  return async function waitForHuman(request: PendingInput): Promise<HumanAnswer | 'timeout' | Interrupted> {
    answer = null;
    const settled = () => answer !== null || stopping();
    const timeoutMs = request.deadline === null ? undefined : Math.max(1, request.deadline - Date.now());
    const inTime = timeoutMs === undefined ? (await condition(settled), true) : await condition(settled, timeoutMs);
    if (answer) return answer;
    return inTime ? INTERRUPTED : 'timeout';
  };
}
