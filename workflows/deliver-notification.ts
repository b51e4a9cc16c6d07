import { proxyActivities } from '@temporalio/workflow';
import type { TeamActivities } from '../activities';
import type { WebhookDelivery } from '../activities/webhook';

// A receiver may be down for hours: keep trying, backing off to five minutes, for up to three days.
const { notifyWebhook } = proxyActivities<TeamActivities>({
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '3d',
  // No maximumAttempts: unlimited, within the three days.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m', nonRetryableErrorTypes: ['WebhookRejected'] },
});

/**
 * Delivers one notification, as a child workflow the run starts and leaves behind: the run never
 * waits on a slow receiver, and the delivery outlives the run, worker restarts included.
 */
export async function deliverNotification(delivery: WebhookDelivery): Promise<void> {
  await notifyWebhook(delivery);
}
