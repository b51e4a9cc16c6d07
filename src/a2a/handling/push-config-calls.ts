import type {
  DeleteTaskPushNotificationConfigRequest,
  GetTaskPushNotificationConfigRequest,
  ListTaskPushNotificationConfigsRequest,
  ListTaskPushNotificationConfigsResponse,
  TaskPushNotificationConfig,
} from '@a2a-js/sdk';
import { TaskNotFoundError } from '@a2a-js/sdk/errors';
import type { ServerCallContext } from '@a2a-js/sdk/server';
import { reachesAll } from '../../access/access';
import type { Caller } from '../../access/caller';
import type { PushConfig } from '../../core/push';
import { isTerminal } from '../../core/status';
import { changeEndedPushConfigs, endedPushConfigs } from '../ended-push-configs';
import { publicPushConfig, sealPushConfig } from '../push-configs';
import { checkTargetField } from '../target-field';
import { callerInContext } from './call-context';
import { onRun } from './run-errors';
import type { TeamTasks } from './team-tasks';

/**
 * The push-notification config calls on a task: a running task's configs are changed by its run,
 * an ended task's are kept beside it (see ended-push-configs.ts).
 */
export class PushConfigCalls {
  constructor(private readonly tasks: TeamTasks) {}

  async createTaskPushNotificationConfig(
    params: TaskPushNotificationConfig,
    context: ServerCallContext,
  ): Promise<TaskPushNotificationConfig> {
    const { client, settings } = this.tasks;
    const caller = callerInContext(context);
    const report = await this.tasks.report(params.taskId, caller, 0);
    const config = sealPushConfig(params, settings.secrets);
    await checkTargetField(config.url, 'url', settings.webhookPolicy, { detailed: reachesAll(caller) });
    if (isTerminal(report.status)) {
      // Taken and kept beside the ended run (see ended-push-configs.ts); it will never fire.
      const ofRun = () => onRun(() => client.pushConfigs(params.taskId));
      await changeEndedPushConfigs(client.store, params.taskId, ofRun, { op: 'set', config });
    } else {
      await onRun(() => client.changePushConfigs(params.taskId, { op: 'set', config }));
    }
    return publicPushConfig(params.taskId, config, settings.secrets);
  }

  async getTaskPushNotificationConfig(
    params: GetTaskPushNotificationConfigRequest,
    context: ServerCallContext,
  ): Promise<TaskPushNotificationConfig> {
    const configs = await this.pushConfigs(params.taskId, callerInContext(context));
    const config = configs.find((c) => c.id === params.id);
    if (!config) throw new TaskNotFoundError(`task ${params.taskId} has no push notification config "${params.id}"`);
    return publicPushConfig(params.taskId, config, this.tasks.settings.secrets);
  }

  async listTaskPushNotificationConfigs(
    params: ListTaskPushNotificationConfigsRequest,
    context: ServerCallContext,
  ): Promise<ListTaskPushNotificationConfigsResponse> {
    const configs = await this.pushConfigs(params.taskId, callerInContext(context));
    return { configs: configs.map((c) => publicPushConfig(params.taskId, c, this.tasks.settings.secrets)), nextPageToken: '' };
  }

  async deleteTaskPushNotificationConfig(params: DeleteTaskPushNotificationConfigRequest, context: ServerCallContext): Promise<void> {
    const { client } = this.tasks;
    const report = await this.tasks.report(params.taskId, callerInContext(context), 0);
    const change = { op: 'delete' as const, id: params.id };
    if (isTerminal(report.status)) {
      // Kept beside the ended run, whatever it holds; deleting what is not there is done already.
      const ofRun = () => onRun(() => client.pushConfigs(params.taskId));
      await changeEndedPushConfigs(client.store, params.taskId, ofRun, change);
      return;
    }
    await onRun(() => client.changePushConfigs(params.taskId, change));
  }

  /** A task's configs: the run's own, and for an ended task what changed since it ended. */
  private async pushConfigs(taskId: string, caller: Caller): Promise<PushConfig[]> {
    const report = await this.tasks.report(taskId, caller, 0);
    const ofRun = await onRun(() => this.tasks.client.pushConfigs(taskId));
    return isTerminal(report.status) ? endedPushConfigs(this.tasks.client.store, taskId, ofRun) : ofRun;
  }
}
