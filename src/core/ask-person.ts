import type { TeamSpec } from '../spec/team';
import type { HumanTimeoutSpec } from '../spec/human';
import type { HumanAnswer, PendingInput } from './human';
import { approvalDraft, deadlineAnswer, type InputDraft } from './human-requests';
import type { RunRecorder } from './recorder';
import { isTerminal } from './status';
import { isInterrupted, type TeamRuntime } from './team-runtime';

/**
 * Asks a person and applies what they (or the deadline) answer: the answer taken, or
 * 'interrupted' when the run must stop first.
 */
export function askPerson(
  run: RunRecorder,
  runtime: Pick<TeamRuntime, 'waitForHuman'>,
  draft: InputDraft,
): Promise<HumanAnswer | 'interrupted'> {
  // Not async: a workflow's commands keep the order they had when this was one function.
  return awaitAnswer(run, runtime, run.requestInput(draft), draft.timeout);
}

/**
 * Waits for the answer to a request already made (now, or by the execution the run moved from)
 * and applies it. `timeout` is the spec the request's deadline came from: it says what the
 * deadline answers.
 */
export async function awaitAnswer(
  run: RunRecorder,
  runtime: Pick<TeamRuntime, 'waitForHuman'>,
  request: PendingInput,
  timeout: HumanTimeoutSpec | undefined,
): Promise<HumanAnswer | 'interrupted'> {
  const outcome = await runtime.waitForHuman(request);
  if (isInterrupted(outcome)) {
    run.withdrawInput(run.state.stop?.reason ?? 'the run is stopping');
    return 'interrupted';
  }
  const timedOut = outcome === 'timeout';
  const answer = timedOut ? deadlineAnswer(request, timeout) : outcome;
  run.applyAnswer(request, answer, timedOut);
  return answer;
}

/**
 * After a turn: the request for a person's approval when `approval.when` holds on what the turn
 * said, else null. Synchronous, so a turn with no gate costs the workflow no extra await.
 */
export function approvalGateAfterTurn(team: TeamSpec, run: RunRecorder): InputDraft | null {
  const { state } = run;
  const gate = state.stop || isTerminal(state.status) ? null : run.checkApprovalGate();
  return gate ? approvalDraft(team, state, 'approval_gate', gate) : null;
}
