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
export function humanInput(
  run: RunRecorder,
  stopping: () => boolean,
  forward: (pending: PendingInput, answer: HumanAnswer) => Promise<void>,
  move?: {
    /** Whether the run is to move to another build during this wait now. */
    during(request: PendingInput): boolean;
    /**
     * Ends this execution; the wait goes on in the next, on the current build. Returns (the run
     * stays) only when `answered()` holds once what must finish before it leaves has finished.
     */
    now(answered: () => boolean): Promise<void>;
  },
) {
  const { state } = run;
  let answer: HumanAnswer | null = null;
  const refusal = (candidate: HumanAnswer) => refuseAnswer(state.pendingInput, candidate, state.status);
  const take = (candidate: HumanAnswer) => {
    state.pendingInput!.answered = true;
    answer = candidate;
  };
  /**
   * A nested run's question: the answer goes to that run, which applies it; here it is only
   * recorded. Marked answered first, so a second answer is refused while the first travels.
   */
  const passOn = async (candidate: HumanAnswer) => {
    const pending = state.pendingInput!;
    pending.answered = true;
    try {
      await forward(pending, candidate);
    } catch (err) {
      pending.answered = false;
      throw ApplicationFailure.nonRetryable(
        `the answer could not be passed on to nested run ${pending.forward!.runId}: ${(err as Error).message}`,
        'AnswerNotForwarded',
      );
    }
    if (state.pendingInput === pending) run.applyAnswer(pending, candidate, false);
  };

  setHandler(
    answerUpdate,
    async (candidate) => {
      // Checked again here: two updates may pass the validator in one workflow task.
      const reason = refusal(candidate);
      if (reason) throw ApplicationFailure.nonRetryable(reason, 'AnswerRefused');
      if (state.pendingInput!.forward) await passOn(candidate);
      else take(candidate);
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
    else if (state.pendingInput!.forward) passOn(candidate).catch((err: Error) => run.refuseAnswer(candidate.requestId, err.message));
    else take(candidate);
  });

  /**
   * Waits for the answer to `request`, durably: days if need be, across worker restarts. When the
   * run is to move to another build first, the wait goes on there (see build-move.ts).
   */
  return async function waitForHuman(request: PendingInput): Promise<HumanAnswer | 'timeout' | Interrupted> {
    // An answer to this very request may have come before the wait began: in the first step of the
    // execution a run moved to, the answer can arrive with the run. Any other is an earlier request's.
    if (answer?.requestId !== request.requestId) answer = null;
    const moving = () => move?.during(request) === true;
    const settled = () => answer !== null || stopping() || moving();
    const timeoutMs = request.deadline === null ? undefined : Math.max(1, request.deadline - Date.now());
    const inTime = timeoutMs === undefined ? (await condition(settled), true) : await condition(settled, timeoutMs);
    if (answer) return answer;
    if (!inTime) return 'timeout';
    if (stopping() || !moving()) return INTERRUPTED;
    // An answer that comes while the run gets ready to leave is taken here, not lost with this execution.
    await move!.now(() => answer !== null);
    return answer!;
  };
}
