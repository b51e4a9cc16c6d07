import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TaskState, type Task, type TaskPushNotificationConfig } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import { loadTeamFile } from '../../src/files/team-file';
import { targetPolicy } from '../../src/http/outbound-target';
import { REVIEW_SCRIPT, ROOT } from '../helpers/teams';
import { a2aError, sendParams, startA2AEnv, userMessage, type A2AEnv } from './a2a-env';

/**
 * A2A §13.2: push URLs aimed at loopback, private or link-local addresses are refused when the
 * config is given, over JSON-RPC and REST. The front end here has an empty allowlist; every URL
 * refused is decided from its address (or what localhost resolves to) and is never connected to.
 */
describe('A2A push notification targets (§13.2)', () => {
  let env: A2AEnv;
  let client: Client;
  let waiting: Task;
  const config = (url: string, taskId = ''): TaskPushNotificationConfig => ({
    tenant: '',
    id: 'hook',
    taskId,
    url,
    token: '',
    authentication: undefined,
  });

  const runs = async () => (await env.worker.client.client.workflow.count(`TaskQueue = "${env.worker.taskQueue}"`)).count;

  beforeAll(async () => {
    const approval = loadTeamFile(join(ROOT, 'examples/teams/review-approval.yaml'));
    env = await startA2AEnv([approval], REVIEW_SCRIPT, { webhookPolicy: targetPolicy([]) });
    client = await env.clientFor('review-approval');
    waiting = (await client.sendMessage(sendParams(userMessage('Write a note.')))) as Task;
    expect(waiting.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    // Visibility lags: wait until that one run is counted, so a count that grows means a new run.
    while ((await runs()) < 1) await sleep(100);
  });
  afterAll(() => env?.stop());

  const refused: [string, RegExp][] = [
    ['http://169.254.169.254/x', /is 169\.254\.169\.254, a link-local address/],
    ['http://10.0.0.1/x', /is 10\.0\.0\.1, a private address/],
    ['http://localhost:1/x', /resolves to (127\.0\.0\.1|::1), a loopback address/],
    ['http://[::ffff:127.0.0.1]:1/x', /IPv4-mapped 127\.0\.0\.1\), a loopback address/],
  ];

  it.each(refused)('SendMessage refuses %s with -32602 naming the field, and starts nothing', async (url, why) => {
    const before = await runs();
    const err = await a2aError(client.sendMessage(sendParams(userMessage('Write a note.'), { taskPushNotificationConfig: config(url) })));
    expect(err.code).toBe(-32602);
    expect(err.message).toContain('configuration.taskPushNotificationConfig.url: ');
    expect(err.message).toMatch(why);
    expect(err.message).toContain('DURABLE_TEAMS_WEBHOOK_ALLOW');
    expect(await runs()).toBe(before);
  });

  it.each(refused)('CreateTaskPushNotificationConfig refuses %s on a live task, which keeps no config', async (url, why) => {
    const err = await a2aError(client.createTaskPushNotificationConfig(config(url, waiting.id)));
    expect(err.code).toBe(-32602);
    expect(err.message).toMatch(/^url: /);
    expect(err.message).toMatch(why);
    const listed = await client.listTaskPushNotificationConfig({ tenant: '', taskId: waiting.id, pageSize: 0, pageToken: '' });
    expect(listed.configs).toEqual([]);
  });

  it('an answer carrying an inward push URL is refused, and the task still waits', async () => {
    const answer = userMessage('approve', { taskId: waiting.id, contextId: waiting.contextId });
    const err = await a2aError(client.sendMessage(sendParams(answer, { taskPushNotificationConfig: config('http://192.168.1.1/x') })));
    expect(err.code).toBe(-32602);
    expect(err.message).toContain('configuration.taskPushNotificationConfig.url: http://192.168.1.1/x is 192.168.1.1, a private address');
    expect((await client.getTask({ tenant: '', id: waiting.id, historyLength: 0 })).status?.state).toBe(
      TaskState.TASK_STATE_INPUT_REQUIRED,
    );
  });

  it('over HTTP+JSON the refusal is 400 INVALID_ARGUMENT, its message without the credentials or query given', async () => {
    const rest = `${env.server.teamUrls['review-approval']}a2a/rest`;
    const response = await fetch(`${rest}/tasks/${waiting.id}/pushNotificationConfigs`, {
      method: 'POST',
      headers: { 'A2A-Version': '1.0', 'content-type': 'application/json' },
      body: JSON.stringify({ taskId: waiting.id, id: 'meta', url: 'http://user:pw-5150@169.254.169.254/latest?sig=q-6160' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toContain('url: http://169.254.169.254/latest is 169.254.169.254, a link-local address');
    expect(body.error.message).not.toMatch(/pw-5150|q-6160/);
  });
});
