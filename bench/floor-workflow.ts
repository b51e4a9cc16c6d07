import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '10s' });

/** The floor: what `n` activities in sequence cost on this server, with no model and no state. */
export async function floorRun(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await noop();
}
