import { proxyActivities } from '@temporalio/workflow';
import type { TeamActivities } from '../activities';
import type { PushDelivery } from '../activities/push';

// The promise: a receiver down for a minute (or a day) still gets every notification.
const { pushNotification } = proxyActivities<TeamActivities>({
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '3d',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m', nonRetryableErrorTypes: ['PushRejected'] },
});

/** Delivers one A2A push notification; left behind by the run, it outlives it and any restart. */
export async function deliverPushNotification(delivery: PushDelivery): Promise<void> {
  await pushNotification(delivery);
}
