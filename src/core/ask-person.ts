import type { HumanAnswer } from './human';
import { deadlineAnswer, type InputDraft } from './human-requests';
import type { RunRecorder } from './recorder';
import { isInterrupted, type TeamRuntime } from './team-runtime';

/**
 * Asks a person and applies what they (or the deadline) answer: the answer taken, or
 * 'interrupted' when the run must stop first.
 */
export async function askPerson(
  run: RunRecorder,
  runtime: Pick<TeamRuntime, 'waitForHuman'>,
  draft: InputDraft,
): Promise<HumanAnswer | 'interrupted'> {
  const request = run.requestInput(draft);
  const outcome = await runtime.waitForHuman(request);
  if (isInterrupted(outcome)) {
    run.withdrawInput(run.state.stop?.reason ?? 'the run is stopping');
    return 'interrupted';
  }
  const timedOut = outcome === 'timeout';
  const answer = timedOut ? deadlineAnswer(request, draft.timeout) : outcome;
  run.applyAnswer(request, answer, timedOut);
  return answer;
}
