import type { Client } from '@a2a-js/sdk/client';
import { streamedStatusOf, type StreamedStatus } from './remote-task';

/** How long one subscription is followed before GetTask checks on the task anyway. */
const STREAM_RECHECK_MS = 30_000;

/** How following a stream ended: a state to act on was reported, or the stream closed or broke. */
export interface StreamEnd {
  settled: boolean;
  broken?: string;
}

/**
 * Follows a remote task with SubscribeToTask until it reports a state `actOn` wants. A stream that
 * fails is reported, not thrown (a task that ended just before the subscription is refused by some
 * servers): GetTask then tells what happened. Our own cancellation is thrown.
 */
export async function followStream(
  client: Client,
  taskId: string,
  actOn: (status: StreamedStatus) => boolean,
  onEvent: () => void,
  signal: AbortSignal,
): Promise<StreamEnd> {
  // A stream that stays silent is not trusted for ever: after a while GetTask looks, and a new
  // subscription follows if the task still works.
  const recheck = AbortSignal.timeout(STREAM_RECHECK_MS);
  try {
    for await (const event of client.resubscribeTask({ tenant: '', id: taskId }, { signal: AbortSignal.any([signal, recheck]) })) {
      onEvent();
      const status = streamedStatusOf(event);
      if (status && actOn(status)) return { settled: true };
    }
    return { settled: false };
  } catch (err) {
    if (signal.aborted) throw err;
    if (recheck.aborted) return { settled: false };
    return { settled: false, broken: err instanceof Error ? err.message : String(err) };
  }
}
