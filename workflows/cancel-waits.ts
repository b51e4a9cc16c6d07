import { CancellationScope, isCancellation, patched } from '@temporalio/workflow';

/**
 * The marker of the change that makes a cancelled run wait for the activities it cancels (model
 * calls, tool calls, remote calls) to stop, so that `canceled` means the work was stopped and a
 * remote task was told. Runs begun before it replay as they ran: their cancellation closed the
 * run at once and left the activities to find out from a heartbeat to a closed run.
 */
export const CANCEL_WAITS_PATCH = 'cancel-waits';

/** Decided once per execution, at its start, so that every activity of the execution agrees. */
export function cancelWaits(): boolean {
  return patched(CANCEL_WAITS_PATCH);
}

/**
 * Tells whether a failure is the run's cancellation. An activity cancelled and waited for may end
 * otherwise (it timed out on a dead worker, it failed as it stopped): once the run is asked to
 * cancel, whatever stops the step is taken as the cancellation. Call at the run's start, in its
 * root scope (whose `consideredCancelled` stays false: only its promise tells).
 */
export function runCancellation(): (err: unknown) => boolean {
  let asked = false;
  CancellationScope.current().cancelRequested.catch(() => {
    asked = true;
  });
  return (err) => isCancellation(err) || asked;
}
