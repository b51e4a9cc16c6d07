import { getExternalWorkflowHandle, log, workflowInfo } from '@temporalio/workflow';
import type { RunEvent } from '../src/core/events';
import { nestedQuestionSignal, nestedSettledSignal, type NestedParent } from './definitions';

/**
 * A nested run's side of the link to its outer run: each question it asks a person is told to
 * the outer run (which shows it as its own), and so is its settling. The signals go one after
 * another, so the outer run never hears of a settling before the question.
 */
export function outerRunLink(parent: NestedParent | undefined) {
  let sent: Promise<void> = Promise.resolve();
  if (!parent) return { onEvent: (_event: RunEvent) => undefined, flush: () => sent };
  const outer = getExternalWorkflowHandle(parent.runId);
  const runId = workflowInfo().workflowId;
  const send = (signal: () => Promise<void>) => {
    sent = sent
      .then(signal)
      .catch((err: Error) => log.warn('could not tell the outer run of a question', { outerRunId: parent.runId, error: err.message }));
  };
  return {
    onEvent(event: RunEvent): void {
      if (event.type === 'input_requested') send(() => outer.signal(nestedQuestionSignal, { runId, request: event.request }));
      else if (event.type === 'input_received') {
        const reason = event.timedOut ? 'its deadline passed' : `answered (${event.action})`;
        send(() => outer.signal(nestedSettledSignal, { runId, requestId: event.requestId, reason }));
      } else if (event.type === 'input_withdrawn')
        send(() => outer.signal(nestedSettledSignal, { runId, requestId: event.requestId, reason: event.reason }));
    },
    /** Waits for the signals in flight, so the run does not end before the outer run is told. */
    flush: () => sent,
  };
}
