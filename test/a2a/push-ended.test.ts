import { TaskState, type Task, type TaskPushNotificationConfig } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import type { EndedPushConfigs } from '../../src/a2a/ended-push-configs';
import { REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';
import { a2aError, sendParams, startA2AEnv, userMessage, type A2AEnv } from './a2a-env';

/** A public address, never reached: a config on an ended task never fires. */
const HOOK = 'https://1.1.1.1/hook';

function pushConfig(taskId: string, id: string, token = ''): TaskPushNotificationConfig {
  return { tenant: '', id, taskId, url: `${HOOK}/${id}`, token, authentication: { scheme: 'Bearer', credentials: 'receiver-secret-41' } };
}

/**
 * A2A v1.0 §3.1.7: CreateTaskPushNotificationConfig lists no error for a task in a terminal state,
 * so configs on an ended task are taken, read, listed and deleted like any other (§3.1.8–3.1.10).
 */
describe('A2A §3.1.7–3.1.10 push configs on an ended task', () => {
  let env: A2AEnv;
  let client: Client;
  let done: Task;

  beforeAll(async () => {
    env = await startA2AEnv([reviewTeam()], REVIEW_SCRIPT);
    client = await env.clientFor('review');
    done = (await client.sendMessage(sendParams(userMessage('Write a note.')))) as Task;
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });
  afterAll(() => env?.stop());

  it('over JSON-RPC: created (token back, credentials never), got, listed, deleted, and deleted again', async () => {
    const created = await client.createTaskPushNotificationConfig(pushConfig(done.id, 'late-1', 'client-token-late-1'));
    expect(created).toMatchObject({ id: 'late-1', taskId: done.id, url: `${HOOK}/late-1`, token: 'client-token-late-1' });
    expect(created.authentication).toMatchObject({ scheme: 'Bearer', credentials: '' });

    const got = await client.getTaskPushNotificationConfig({ tenant: '', taskId: done.id, id: 'late-1' });
    expect(got).toMatchObject({ id: 'late-1', url: `${HOOK}/late-1`, token: 'client-token-late-1' });
    await client.createTaskPushNotificationConfig(pushConfig(done.id, 'late-2'));
    const listed = await client.listTaskPushNotificationConfig({ tenant: '', taskId: done.id, pageSize: 0, pageToken: '' });
    expect(listed.configs.map((c) => c.id).sort()).toEqual(['late-1', 'late-2']);

    // Kept beside the run in the conversation store, secrets sealed as in the run's own state.
    const note = await env.worker.client.store.runNote<EndedPushConfigs>(done.id, 'a2a-push-configs');
    const kept = note!.added.find((c) => c.id === 'late-1')!;
    expect(kept.token).toMatch(/^sealed:v1:/);
    expect(kept.authentication?.credentials).toMatch(/^sealed:v1:/);

    await client.deleteTaskPushNotificationConfig({ tenant: '', taskId: done.id, id: 'late-1' });
    const gone = await a2aError(client.getTaskPushNotificationConfig({ tenant: '', taskId: done.id, id: 'late-1' }));
    expect(gone.code).toBe(-32001);
    await client.deleteTaskPushNotificationConfig({ tenant: '', taskId: done.id, id: 'late-1' }); // idempotent
    const after = await client.listTaskPushNotificationConfig({ tenant: '', taskId: done.id, pageSize: 0, pageToken: '' });
    expect(after.configs.map((c) => c.id)).toEqual(['late-2']);
    // The task itself is as it was.
    expect((await client.getTask({ tenant: '', id: done.id, historyLength: 0 })).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });

  it('an inward URL is still refused on an ended task, and nothing is kept', async () => {
    const err = await a2aError(
      client.createTaskPushNotificationConfig({ ...pushConfig(done.id, 'inward'), url: 'http://169.254.169.254/latest' }),
    );
    expect(err.code).toBe(-32602);
    expect(err.message).toContain('url: http://169.254.169.254/latest is 169.254.169.254, a link-local address');
    const listed = await client.listTaskPushNotificationConfig({ tenant: '', taskId: done.id, pageSize: 0, pageToken: '' });
    expect(listed.configs.map((c) => c.id)).not.toContain('inward');
  });

  it('over JSON-RPC on the wire, with the proto field names the TCK sends (task_id), then got by either name', async () => {
    const rpc = async (method: string, params: Record<string, unknown>) => {
      const res = await fetch(`${env.server.teamUrls['review']}a2a/jsonrpc`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'A2A-Version': '1.0' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      });
      return (await res.json()) as { result?: Record<string, unknown>; error?: { code: number; message: string } };
    };
    const created = await rpc('CreateTaskPushNotificationConfig', { task_id: done.id, id: 'snake-1', url: `${HOOK}/snake-1` });
    expect(created.result).toMatchObject({ id: 'snake-1', taskId: done.id, url: `${HOOK}/snake-1` });
    expect((await rpc('GetTaskPushNotificationConfig', { task_id: done.id, id: 'snake-1' })).result).toMatchObject({ id: 'snake-1' });
    expect((await rpc('GetTaskPushNotificationConfig', { taskId: done.id, id: 'snake-1' })).result).toMatchObject({ id: 'snake-1' });
    // Under neither name, the task id is still missing, said as before.
    const missing = await rpc('CreateTaskPushNotificationConfig', { id: 'x', url: `${HOOK}/x` });
    expect(missing.error).toMatchObject({ code: -32602, message: 'params.taskId: required (expected string)' });
  });

  it('over v0.3 JSON-RPC (no A2A-Version): tasks/pushNotificationConfig/set, get and list on the ended task', async () => {
    const rpc = async (method: string, params: Record<string, unknown>) => {
      const res = await fetch(`${env.server.teamUrls['review']}a2a/jsonrpc`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      });
      return (await res.json()) as { result?: Record<string, unknown>; error?: { code: number; message: string } };
    };
    const set = await rpc('tasks/pushNotificationConfig/set', {
      taskId: done.id,
      pushNotificationConfig: { id: 'v03-1', url: `${HOOK}/v03-1`, token: 'v03-token' },
    });
    expect(set.result).toMatchObject({ taskId: done.id, pushNotificationConfig: { id: 'v03-1', url: `${HOOK}/v03-1` } });
    const got = await rpc('tasks/pushNotificationConfig/get', { id: done.id, pushNotificationConfigId: 'v03-1' });
    expect(got.result).toMatchObject({ taskId: done.id, pushNotificationConfig: { id: 'v03-1' } });
    const listed = await rpc('tasks/pushNotificationConfig/list', { id: done.id });
    expect((listed.result as unknown as { pushNotificationConfig: { id: string } }[]).map((c) => c.pushNotificationConfig.id)).toContain(
      'v03-1',
    );
  });

  it('an unknown task is still -32001', async () => {
    const err = await a2aError(client.createTaskPushNotificationConfig(pushConfig('review-no-such-task', 'x')));
    expect(err.code).toBe(-32001);
  });

  it('over HTTP+JSON: POST, GET one, GET the list, DELETE (twice), then 404', async () => {
    const rest = `${env.server.teamUrls['review']}a2a/rest/tasks/${done.id}/pushNotificationConfigs`;
    const headers = { 'A2A-Version': '1.0', 'content-type': 'application/json' };
    const posted = await fetch(rest, {
      method: 'POST',
      headers,
      body: JSON.stringify({ taskId: done.id, id: 'rest-1', url: `${HOOK}/rest-1`, token: 'rest-token-9' }),
    });
    expect(posted.status).toBe(201);
    expect(await posted.json()).toMatchObject({ id: 'rest-1', taskId: done.id, url: `${HOOK}/rest-1`, token: 'rest-token-9' });

    const one = await fetch(`${rest}/rest-1`, { headers });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ id: 'rest-1', token: 'rest-token-9' });
    const list = (await (await fetch(rest, { headers })).json()) as { configs: { id: string }[] };
    expect(list.configs.map((c) => c.id)).toContain('rest-1');

    expect((await fetch(`${rest}/rest-1`, { method: 'DELETE', headers })).status).toBe(204);
    expect((await fetch(`${rest}/rest-1`, { method: 'DELETE', headers })).status).toBe(204);
    expect((await fetch(`${rest}/rest-1`, { headers })).status).toBe(404);
  });
});
