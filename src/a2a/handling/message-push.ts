import type { SendMessageRequest } from '@a2a-js/sdk';
import { reachesAll } from '../../access/access';
import type { Caller } from '../../access/caller';
import type { PushConfig } from '../../core/push';
import { sealPushConfig } from '../push-configs';
import { checkTargetField } from '../target-field';
import type { TeamTasks } from './team-tasks';

/** Where a push URL sent with a message is, for errors. */
const PUSH_URL_FIELD = 'configuration.taskPushNotificationConfig.url';

/** The push config sent with a message, sealed and its URL checked; null when it names no URL. */
export async function messagePushConfig(
  tasks: TeamTasks,
  configuration: SendMessageRequest['configuration'],
  caller: Caller,
): Promise<PushConfig | null> {
  const push = configuration?.taskPushNotificationConfig;
  if (!push?.url) return null;
  const config = sealPushConfig(push, tasks.settings.secrets);
  await checkTargetField(config.url, PUSH_URL_FIELD, tasks.settings.webhookPolicy, { detailed: reachesAll(caller) });
  return config;
}
