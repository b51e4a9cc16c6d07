import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StreamResponse, TaskState, type Task, type TaskPushNotificationConfig } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import { ClientFactory } from '@a2a-js/sdk/client';
import { startA2AServer, type A2AServer } from '../../src/server/server';
import { loadTeamFile } from '../../src/files/team-file';
import type { TeamSpec } from '../../src/spec/team';
import { startWebhookReceiver, type ReceivedCall, type WebhookReceiver } from '../../src/testing/webhook-receiver';
import { REVIEW_SCRIPT, ROOT, reviewTeam } from '../helpers/teams';
import { historyText } from '../helpers/history-text';
import { sendParams, startA2AEnv, userMessage, type A2AEnv } from './a2a-env';

const approvalTeam = (): TeamSpec => loadTeamFile(join(ROOT, 'examples/teams/review-approval.yaml'));

/** Polls until `ready` holds; the deadline only keeps a broken run from hanging the suite. */
async function until(what: string, ready: () => boolean | Promise<boolean>, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function asTask(result: unknown): Task {
  expect(result).toHaveProperty('status');
  return result as Task;
}

function pushConfig(url: string, id: string, token: string, credentials: string, taskId = ''): TaskPushNotificationConfig {
  return { tenant: '', id, taskId, url, token, authentication: { scheme: 'Bearer', credentials } };
}

/**
 * A workflow's history as text, its payloads decoded: fetchHistory gives payload data in base64,
 * where a secret would never show as plain text whether it was sealed or not.
 */
/** Whether a history holds a string, said briefly (a history is too long for a failure message). */
const holds = (text: string, secret: string) => (text.includes(secret) ? `holds ${secret}` : 'clean');

/** The ids of the push-notification workflows a run started (one per config and change of state). */
async function pushWorkflowIds(env: A2AEnv, runId: string): Promise<string[]> {
  const history = await env.worker.client.client.workflow.getHandle(runId).fetchHistory();
  return (history.events ?? [])
    .map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId)
    .filter((id): id is string => !!id && id.startsWith('push:'));
}

interface PushBody {
  statusUpdate?: { taskId: string; contextId: string; status: { state: string }; metadata: { seq: number } };
  task?: {
    id: string;
    contextId: string;
    status: { state: string; message?: unknown };
    artifacts?: { artifactId: string; parts: { text?: string }[] }[];
  };
}

/** The state a notification tells of, from either form of body. */
const stateOf = (call: ReceivedCall) => {
  const body = call.body as PushBody;
  return body.task ? body.task.status.state : body.statusUpdate!.status.state;
};

/** The event number in a notification's idempotency key (<run>/push/<config>/<seq>). */
const seqOf = (call: ReceivedCall) => Number(String(call.headers['idempotency-key']).split('/').at(-1));

describe('A2A push notifications', () => {
  let env: A2AEnv;
  let client: Client;
  const receivers: WebhookReceiver[] = [];
  const receiver = async (options?: Parameters<typeof startWebhookReceiver>[0]) => {
    const r = await startWebhookReceiver(options);
    receivers.push(r);
    return r;
  };

  beforeAll(async () => {
    env = await startA2AEnv([approvalTeam(), reviewTeam()], REVIEW_SCRIPT);
    client = await env.clientFor('review-approval');
  });
  afterAll(async () => {
    await env?.stop();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('POSTs every change of state to each config, with its token, its credentials and an idempotency key; configs can be read, listed and deleted', async () => {
    const hooks = await receiver();
    const first = pushConfig(`${hooks.url}/first`, 'first', 'client-token-first-5f1e', 'receiver-credential-first-9a7c');
    const waiting = asTask(await client.sendMessage(sendParams(userMessage('Write a note.'), { taskPushNotificationConfig: first })));
    expect(waiting.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const taskId = waiting.id;

    const second = pushConfig(`${hooks.url}/second`, 'second', 'client-token-second-44b0', 'receiver-credential-second-c3d2', taskId);
    const created = await client.createTaskPushNotificationConfig(second);
    expect(created).toMatchObject({
      id: 'second',
      taskId,
      url: second.url,
      token: second.token,
      authentication: { scheme: 'Bearer', credentials: '' },
    });
    const doomed = pushConfig(`${hooks.url}/doomed`, 'doomed', 'client-token-doomed-e812', 'receiver-credential-doomed-07aa', taskId);
    await client.createTaskPushNotificationConfig(doomed);

    // Get and List give the client's token back, and never the credentials for the receiver.
    const got = await client.getTaskPushNotificationConfig({ tenant: '', taskId, id: 'first' });
    expect(got).toMatchObject({
      id: 'first',
      taskId,
      url: first.url,
      token: first.token,
      authentication: { scheme: 'Bearer', credentials: '' },
    });
    const listed = await client.listTaskPushNotificationConfig({ tenant: '', taskId, pageSize: 0, pageToken: '' });
    expect(listed.configs.map((c) => [c.id, c.token]).sort()).toEqual([
      ['doomed', doomed.token],
      ['first', first.token],
      ['second', second.token],
    ]);
    const wire = JSON.stringify([created, got, listed]);
    for (const secret of [first, second, doomed].map((c) => c.authentication!.credentials)) expect(wire).not.toContain(secret);

    await client.deleteTaskPushNotificationConfig({ tenant: '', taskId, id: 'doomed' });
    expect(
      (await client.listTaskPushNotificationConfig({ tenant: '', taskId, pageSize: 0, pageToken: '' })).configs.map((c) => c.id).sort(),
    ).toEqual(['first', 'second']);
    await expect(client.getTaskPushNotificationConfig({ tenant: '', taskId, id: 'doomed' })).rejects.toThrow(/doomed/);

    // Changes asked for: the team goes another round and asks again; then the approval ends it.
    const again = asTask(await client.sendMessage(sendParams(userMessage('Make it shorter.', { taskId, contextId: waiting.contextId }))));
    expect(again.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const done = asTask(await client.sendMessage(sendParams(userMessage('approve', { taskId, contextId: waiting.contextId }))));
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);

    // "first" saw every change; "second", created while the task waited, every change from then on.
    const WORKING = 'TASK_STATE_WORKING';
    const ASKING = 'TASK_STATE_INPUT_REQUIRED';
    const COMPLETED = 'TASK_STATE_COMPLETED';
    await until('eight notifications', () => hooks.delivered().length >= 8);
    const byPath = (path: string) => hooks.calls.filter((c) => c.path === `/hooks/runs/${path}`).sort((a, b) => seqOf(a) - seqOf(b));
    expect(byPath('first').map(stateOf)).toEqual([WORKING, ASKING, WORKING, ASKING, COMPLETED]);
    expect(byPath('second').map(stateOf)).toEqual([WORKING, ASKING, COMPLETED]);
    expect(byPath('second').map(seqOf)).toEqual(byPath('first').slice(2).map(seqOf));
    expect(byPath('doomed')).toEqual([]);
    expect(hooks.calls.every((c) => c.status === 204)).toBe(true);

    for (const [config, calls] of [
      [first, byPath('first')],
      [second, byPath('second')],
    ] as const) {
      for (const call of calls) {
        expect(call.headers['x-a2a-notification-token']).toBe(config.token);
        expect(call.headers.authorization).toBe(`Bearer ${config.authentication!.credentials}`);
        expect(call.headers['content-type']).toBe('application/json');
        expect(call.headers['idempotency-key']).toBe(`${taskId}/push/${config.id}/${seqOf(call)}`);
        // Each body is an A2A v1.0 StreamResponse.
        expect(StreamResponse.fromJSON(call.body).payload?.$case).toBe((call.body as PushBody).task ? 'task' : 'statusUpdate');
      }
    }
    expect(new Set(hooks.calls.map((c) => c.headers['idempotency-key'])).size).toBe(hooks.calls.length);

    // While the task lives, a status update; at its end, the whole task with its answer.
    const [working, asking, , , ended] = byPath('first').map((c) => c.body as PushBody);
    expect(working!.statusUpdate).toMatchObject({ taskId, contextId: waiting.contextId, status: { state: 'TASK_STATE_WORKING' } });
    expect(asking!.statusUpdate).toMatchObject({
      taskId,
      status: {
        state: 'TASK_STATE_INPUT_REQUIRED',
        message: { parts: [{ text: expect.stringContaining('Publish it?') }, { data: { kind: 'approval' } }] },
      },
    });
    expect(ended!.task).toMatchObject({ id: taskId, contextId: waiting.contextId, status: { state: 'TASK_STATE_COMPLETED' } });
    expect(ended!.task!.artifacts?.[0]).toMatchObject({ artifactId: 'final-answer', parts: [{ text: 'APPROVED' }] });
    expect(byPath('second')[2]!.body).toEqual(ended);

    // The configs are kept by the run, sealed: no token and no credential in its history or its notifications'.
    const pushIds = await pushWorkflowIds(env, taskId);
    expect(pushIds).toHaveLength(8);
    for (const id of [taskId, ...pushIds]) {
      const text = await historyText(env.worker.client, id);
      expect(holds(text, 'sealed:v1:')).toBe('holds sealed:v1:');
      for (const config of [first, second, doomed]) {
        expect(holds(text, config.token)).toBe('clean');
        expect(holds(text, config.authentication!.credentials)).toBe('clean');
      }
    }
    // (The decoding works: what is not secret shows in plain text.)
    expect(holds(await historyText(env.worker.client, taskId), 'Write a note.')).toBe('holds Write a note.');

    // Once the task has ended, a config is still taken (A2A §3.1.7 names no error for it) and
    // listed beside the run's own; it never fires, as the task changes no more (push-ended.test.ts).
    await client.createTaskPushNotificationConfig(pushConfig(`${hooks.url}/late`, 'late', 'client-token-late-77aa', 'x', taskId));
    expect(
      (await client.listTaskPushNotificationConfig({ tenant: '', taskId, pageSize: 0, pageToken: '' })).configs.map((c) => c.id).sort(),
    ).toEqual(['first', 'late', 'second']);
  });

  it('keeps delivering to a receiver that answers 503 and then refuses connections for a while', async () => {
    // Two 503s, then the receiver goes away: connections are refused until it comes back.
    const hooks = await receiver({ failFirst: 2, refuseAfterFailures: true });
    const reviewClient = await env.clientFor('review');
    const config = pushConfig(hooks.url, 'flaky', 'client-token-flaky-1b2c', 'receiver-credential-flaky-3d4e');
    const done = asTask(await reviewClient.sendMessage(sendParams(userMessage('Write a note.'), { taskPushNotificationConfig: config })));
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const taskId = done.id;

    await until('the receiver to go down', () => hooks.refusing);
    const pushIds = await pushWorkflowIds(env, taskId);
    expect(pushIds).toHaveLength(2); // working and completed
    // Temporal retries: an attempt finds the receiver gone, and the delivery goes on waiting.
    await until('a delivery attempt to find the receiver unreachable', async () => {
      for (const id of pushIds) {
        const { raw } = await env.worker.client.client.workflow.getHandle(id).describe();
        const failure = raw.pendingActivities?.[0]?.lastFailure;
        if (failure?.applicationFailureInfo?.type === 'PushUnreachable') return true;
      }
      return false;
    });
    expect(hooks.delivered()).toEqual([]);
    await hooks.accept();

    await until('both notifications', () => hooks.delivered().length >= 2);
    const delivered = hooks.calls.filter((c) => c.status === 204);
    expect(delivered.map(stateOf).sort()).toEqual(['TASK_STATE_COMPLETED', 'TASK_STATE_WORKING']);
    expect(hooks.calls.filter((c) => c.status === 503)).toHaveLength(2);
    // Every attempt of a notification carries the same key, token and credentials.
    for (const call of hooks.calls) {
      expect(call.headers['x-a2a-notification-token']).toBe(config.token);
      expect(call.headers.authorization).toBe(`Bearer ${config.authentication!.credentials}`);
      expect(pushIds).toContain(`push:${String(call.headers['idempotency-key'])}`);
    }
    for (const id of pushIds) await env.worker.client.client.workflow.getHandle(id).result();
  });

  describe('a front end without a secrets key', () => {
    let bare: A2AServer;
    beforeAll(async () => {
      bare = await startA2AServer({
        teams: [reviewTeam()],
        client: env.worker.client,
        port: 0,
        version: '0.0.0-test',
        tokens: null,
        secrets: null,
      });
    });
    afterAll(() => bare?.close());

    it('refuses a config with a token or credentials, naming DURABLE_TEAMS_SECRETS_KEY, and takes one without', async () => {
      const hooks = await receiver();
      const bareClient = await new ClientFactory().createFromUrl(bare.teamUrls.review!);
      const withToken: TaskPushNotificationConfig = {
        tenant: '',
        id: 'tok',
        taskId: '',
        url: hooks.url,
        token: 'client-token-nokey-8e8e',
        authentication: undefined,
      };
      await expect(
        bareClient.sendMessage(sendParams(userMessage('Write a note.'), { taskPushNotificationConfig: withToken })),
      ).rejects.toThrow(/DURABLE_TEAMS_SECRETS_KEY/);
      const withCredentials = pushConfig(hooks.url, 'cred', '', 'receiver-credential-nokey-9f9f');
      await expect(
        bareClient.sendMessage(sendParams(userMessage('Write a note.'), { taskPushNotificationConfig: withCredentials })),
      ).rejects.toThrow(/DURABLE_TEAMS_SECRETS_KEY/);

      const plain: TaskPushNotificationConfig = {
        tenant: '',
        id: 'plain',
        taskId: '',
        url: hooks.url,
        token: '',
        authentication: undefined,
      };
      const done = asTask(await bareClient.sendMessage(sendParams(userMessage('Write a note.'), { taskPushNotificationConfig: plain })));
      expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      await until('both notifications', () => hooks.delivered().length >= 2);
      expect(hooks.calls.map(stateOf).sort()).toEqual(['TASK_STATE_COMPLETED', 'TASK_STATE_WORKING']);
      for (const call of hooks.calls) {
        expect(call.headers['x-a2a-notification-token']).toBeUndefined();
        expect(call.headers.authorization).toBeUndefined();
        expect(call.headers['idempotency-key']).toMatch(new RegExp(`^${done.id}/push/plain/\\d+$`));
      }
      // The config is kept and read back as given (no key needed: it holds no secret).
      const got = await bareClient.getTaskPushNotificationConfig({ tenant: '', taskId: done.id, id: 'plain' });
      expect(got).toMatchObject({ id: 'plain', url: hooks.url, token: '' });
    });

    it('refuses CreateTaskPushNotificationConfig with a token on a live task', async () => {
      const approvalServer = await startA2AServer({
        teams: [approvalTeam()],
        client: env.worker.client,
        port: 0,
        version: '0.0.0-test',
        tokens: null,
        secrets: null,
      });
      try {
        const c = await new ClientFactory().createFromUrl(approvalServer.teamUrls['review-approval']!);
        const waiting = asTask(await c.sendMessage(sendParams(userMessage('Write a note.'))));
        expect(waiting.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
        const hooks = await receiver();
        await expect(
          c.createTaskPushNotificationConfig(pushConfig(hooks.url, 'x', 'client-token-nokey-a1a1', '', waiting.id)),
        ).rejects.toThrow(/DURABLE_TEAMS_SECRETS_KEY/);
        const added = await c.createTaskPushNotificationConfig({
          tenant: '',
          id: 'y',
          taskId: waiting.id,
          url: hooks.url,
          token: '',
          authentication: undefined,
        });
        expect(added).toMatchObject({ id: 'y', taskId: waiting.id, token: '' });
        expect(
          (await c.listTaskPushNotificationConfig({ tenant: '', taskId: waiting.id, pageSize: 0, pageToken: '' })).configs.map((x) => x.id),
        ).toEqual(['y']);
        await c.sendMessage(sendParams(userMessage('approve', { taskId: waiting.id, contextId: waiting.contextId })));
        await until('the completion', () => hooks.delivered().length >= 1);
        expect(hooks.calls.map(stateOf)).toEqual(['TASK_STATE_COMPLETED']);
      } finally {
        await approvalServer.close();
      }
    });
  });
});
