import type { Client } from '@a2a-js/sdk/client';

/** How long CancelTask may take: our own run's cancellation is waiting for it. */
export const CANCEL_REMOTE_DEADLINE_MS = 3_000;

/**
 * Sends CancelTask for the remote task our cancelled call followed, under a deadline of its own
 * (the call's signal has already fired). Best effort: a remote that cannot be reached or refuses
 * is logged, never thrown, since the call is reported cancelled whatever the remote says.
 */
export async function cancelRemoteTask(
  client: Client,
  taskId: string,
  where: string,
  log: (message: string, attributes: Record<string, unknown>) => void,
): Promise<void> {
  try {
    const task = await client.cancelTask(
      { tenant: '', id: taskId, metadata: undefined },
      { signal: AbortSignal.timeout(CANCEL_REMOTE_DEADLINE_MS) },
    );
    log(`${where}: cancelled its task ${taskId}`, { taskId, state: task.status?.state });
  } catch (err) {
    log(`${where}: could not cancel its task ${taskId}`, { taskId, error: err instanceof Error ? err.message : String(err) });
  }
}

/** What a cancelled call throws: the cancellation itself (Temporal's CancelledFailure), not what it interrupted. */
export function cancellationOf(signal: AbortSignal, interrupted: unknown): unknown {
  return signal.reason instanceof Error ? signal.reason : interrupted;
}
