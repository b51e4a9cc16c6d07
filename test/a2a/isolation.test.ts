import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { TaskState, type ListTasksRequest, type Task } from '@a2a-js/sdk';
import { ClientFactory, JsonRpcTransportFactory, RestTransportFactory, type Client } from '@a2a-js/sdk/client';
import { bearerTokens } from '../../src/access/auth';
import { startA2AServer } from '../../src/server/server';
import { loadTeamFile } from '../../src/files/team-file';
import type { TeamSpec } from '../../src/spec/team';
import { eventually } from '../cli/cli-helpers';
import { ROOT } from '../helpers/teams';
import { LIST_ALL, TOKENS, TO_APPROVAL_SCRIPT, withBearer } from './callers';
import { a2aError, collect, sendParams, startA2AEnv, userMessage, type A2AEnv } from './a2a-env';

/**
 * Callers see only what they may reach (A2A v1.0 §13.1): alice's task is unknown to bob on every
 * method and binding, answered word for word as a task that does not exist; carol, an operator,
 * sees and answers it. Each run of the approval team waits for a decision, so tasks stay live.
 */
const approvalTeam = (): TeamSpec => loadTeamFile(join(ROOT, 'examples/teams/review-approval.yaml'));

describe('A2A callers isolated by their tokens', () => {
  let env: A2AEnv;
  let base: string;
  const rpc: Record<string, Client> = {};
  const rest: Record<string, Client> = {};
  /** alice's task, waiting for approval. */
  let task: Task;
  /** An id no task has, to compare "someone else's" against "nobody's". */
  const unknown = `review-approval-${randomUUID()}`;

  beforeAll(async () => {
    const tokens = bearerTokens([`alice=${TOKENS.alice}`, `bob=${TOKENS.bob}`, `carol:operator=${TOKENS.carol}`], 'test');
    env = await startA2AEnv([approvalTeam()], TO_APPROVAL_SCRIPT, { tokens });
    base = env.server.teamUrls['review-approval']!;
    for (const [name, token] of Object.entries(TOKENS)) {
      rpc[name] = await new ClientFactory({ transports: [new JsonRpcTransportFactory({ fetchImpl: withBearer(token) })] }).createFromUrl(
        base,
      );
      rest[name] = await new ClientFactory({ transports: [new RestTransportFactory({ fetchImpl: withBearer(token) })] }).createFromUrl(
        base,
      );
    }
    task = (await rpc.alice!.sendMessage(sendParams(userMessage('Write a note.')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
  });
  afterAll(() => env?.stop());

  /** A JSON-RPC call's error, or its result, as the wire has it. */
  async function rawRpc(token: string, method: string, params: Record<string, unknown>) {
    // v0.3 clients (method names with a slash) send no A2A-Version.
    const version: Record<string, string> = method.includes('/') ? {} : { 'A2A-Version': '1.0' };
    const response = await fetch(`${base}a2a/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...version, authorization: `Bearer ${token}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method, params }),
    });
    return { status: response.status, body: (await response.json()) as { error?: { code: number; message: string }; result?: unknown } };
  }

  async function rawRest(token: string, method: string, path: string, body?: unknown) {
    const version: Record<string, string> = path.startsWith('/v1/') ? {} : { 'A2A-Version': '1.0' };
    const response = await fetch(`${base}a2a/rest${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...version, authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text };
  }

  /** An answer to a task as JSON-RPC and REST bodies carry it (ProtoJSON, not the SDK's objects). */
  const wireAnswer = (taskId: string) => ({
    message: { messageId: randomUUID(), taskId, role: 'ROLE_USER', parts: [{ text: 'approve' }] },
  });

  /** The same answer with the task id in it replaced, so two answers can be compared. */
  const blind = (text: string, id: string) => text.split(id).join('<id>');

  const rpcCalls = (id: string): [string, Record<string, unknown>][] => [
    ['GetTask', { id }],
    ['CancelTask', { id }],
    ['CreateTaskPushNotificationConfig', { taskId: id, id: 'hook', url: 'http://127.0.0.1:9/hook' }],
    ['GetTaskPushNotificationConfig', { taskId: id, id: 'hook' }],
    ['ListTaskPushNotificationConfigs', { taskId: id }],
    ['DeleteTaskPushNotificationConfig', { taskId: id, id: 'hook' }],
    ['SendMessage', wireAnswer(id)],
    ['tasks/get', { id }],
    ['tasks/cancel', { id }],
    ['tasks/pushNotificationConfig/list', { id }],
    ['tasks/pushNotificationConfig/get', { id, pushNotificationConfigId: 'hook' }],
    [
      'message/send',
      { message: { kind: 'message', messageId: randomUUID(), taskId: id, role: 'user', parts: [{ kind: 'text', text: 'approve' }] } },
    ],
  ];

  it('answers bob on every JSON-RPC method as if alice’s task did not exist', async () => {
    for (const [method, params] of rpcCalls(task.id)) {
      const theirs = await rawRpc(TOKENS.bob, method, params);
      const nobodys = await rawRpc(TOKENS.bob, method, JSON.parse(JSON.stringify(params).split(task.id).join(unknown)));
      expect([method, theirs.body.error?.code]).toEqual([method, -32001]);
      expect([method, blind(JSON.stringify(theirs.body), task.id)]).toEqual([method, blind(JSON.stringify(nobodys.body), unknown)]);
    }
  });

  it('answers bob on every REST route as if alice’s task did not exist, 404 alike', async () => {
    const routes = (id: string): [string, string, unknown?][] => [
      ['GET', `/tasks/${id}`],
      ['POST', `/tasks/${id}:cancel`],
      ['POST', `/tasks/${id}/pushNotificationConfigs`, { taskId: id, id: 'hook', url: 'http://127.0.0.1:9/hook' }],
      ['GET', `/tasks/${id}/pushNotificationConfigs`],
      ['GET', `/tasks/${id}/pushNotificationConfigs/hook`],
      ['DELETE', `/tasks/${id}/pushNotificationConfigs/hook`],
      ['POST', `/message:send`, wireAnswer(id)],
      ['GET', `/v1/tasks/${id}`],
      ['POST', `/v1/tasks/${id}:cancel`],
      ['GET', `/v1/tasks/${id}/pushNotificationConfigs`],
    ];
    const mine = routes(task.id);
    const nobodys = routes(unknown);
    for (const [i, [method, path, body]] of mine.entries()) {
      const theirs = await rawRest(TOKENS.bob, method, path, body);
      const [m2, p2, b2] = nobodys[i]!;
      const none = await rawRest(TOKENS.bob, m2, p2, b2);
      expect([method, path, theirs.status]).toEqual([method, path, 404]);
      expect([method, path, blind(theirs.text, task.id)]).toEqual([method, path, blind(none.text, unknown)]);
    }
  });

  it('refuses bob’s streams on alice’s task, over both bindings', async () => {
    for (const client of [rpc.bob!, rest.bob!]) {
      await expect(collect(client.resubscribeTask({ tenant: '', id: task.id }))).rejects.toThrow(`task ${task.id} not found`);
      const answer = userMessage('approve', { taskId: task.id, contextId: task.contextId });
      await expect(collect(client.sendMessageStream(sendParams(answer)))).rejects.toThrow(`task ${task.id} not found`);
    }
  });

  it('lists to each caller its own tasks; the operator sees all of them', async () => {
    const bobs = (await rpc.bob!.sendMessage(sendParams(userMessage('Write another note.')))) as Task;
    const list = (client: Client, params: Partial<ListTasksRequest> = {}) => client.listTasks({ ...LIST_ALL, ...params });
    const ids = async (client: Client) => (await list(client)).tasks.map((t) => t.id);
    // Visibility lists a run a moment after it starts.
    await eventually(async () => expect(await ids(rpc.carol!)).toEqual(expect.arrayContaining([task.id, bobs.id])));
    expect(await ids(rpc.alice!)).toEqual([task.id]);
    expect(await ids(rest.bob!)).toEqual([bobs.id]);
    // Filtering by alice's context tells bob nothing either.
    const byContext = await list(rpc.bob!, { contextId: task.contextId });
    expect(byContext.tasks).toEqual([]);
    expect(byContext.totalSize).toBe(0);
    expect((await list(rpc.alice!, { contextId: task.contextId })).totalSize).toBe(1);
  });

  it('is the same on a second front end, which knows whose task it is from the run alone', async () => {
    const tokens = bearerTokens([`alice=${TOKENS.alice}`, `bob=${TOKENS.bob}`], 'test');
    const other = await startA2AServer({
      teams: [approvalTeam()],
      client: env.worker.client,
      port: 0,
      version: '0.0.0-test',
      tokens,
      secrets: null,
    });
    try {
      const at = async (token: string) =>
        new ClientFactory({ transports: [new JsonRpcTransportFactory({ fetchImpl: withBearer(token) })] }).createFromUrl(
          other.teamUrls['review-approval']!,
        );
      expect((await (await at(TOKENS.alice)).getTask({ tenant: '', id: task.id, historyLength: 0 })).id).toBe(task.id);
      const err = await a2aError((await at(TOKENS.bob)).getTask({ tenant: '', id: task.id, historyLength: 0 }));
      expect(err).toEqual({ code: -32001, name: 'TaskNotFoundError', message: `task ${task.id} not found` });
    } finally {
      await other.close();
    }
  });

  it('keeps bob out of alice’s conversation: her context id names his own context, her task is not his to reference', async () => {
    // Each caller's contexts are its own (test/security/context-namespaces.test.ts): bob's task begins a context of his.
    const follow = (await rpc.bob!.sendMessage(sendParams(userMessage('And then?', { contextId: task.contextId })))) as Task;
    expect([follow.contextId, follow.status?.state]).toEqual([task.contextId, TaskState.TASK_STATE_INPUT_REQUIRED]);
    const seen = env.model.requests.filter((r) => r.runId === follow.id).flatMap((r) => JSON.stringify(r.messages));
    expect(seen.length).toBeGreaterThan(0);
    for (const request of seen) expect(request).not.toContain('Write a note.');
    const overRest = await rawRest(TOKENS.bob, 'POST', '/message:send', {
      message: { messageId: randomUUID(), contextId: task.contextId, role: 'ROLE_USER', parts: [{ text: 'And then?' }] },
    });
    // His own task there waits for its approval: a second one is refused as in any context of his, naming his task.
    expect(overRest.status).toBe(409);
    expect(overRest.text).toContain(`has a task that has not ended (${follow.id}, input-required)`);
    expect(overRest.text).not.toContain(task.id);
    const cite = await a2aError(rpc.bob!.sendMessage(sendParams(userMessage('Compare.', { referenceTaskIds: [task.id] }))));
    expect(cite).toMatchObject({
      code: -32001,
      message: expect.stringContaining(`message.referenceTaskIds[0]: task ${task.id} not found`),
    });
  });

  it('leaves alice’s task as it was after all that: still waiting, no push config, not cancelled', async () => {
    const seen = await rpc.alice!.getTask({ tenant: '', id: task.id, historyLength: 0 });
    expect(seen.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const configs = await rpc.alice!.listTaskPushNotificationConfig({ tenant: '', taskId: task.id, pageSize: 0, pageToken: '' });
    expect(configs.configs).toEqual([]);
    const { events } = await env.worker.client.events(task.id);
    expect(events.some((e) => e.type === 'input_received')).toBe(false);
  });

  it('lets carol, an operator, read alice’s task and answer its approval, recorded under her name', async () => {
    expect((await rest.carol!.getTask({ tenant: '', id: task.id, historyLength: 0 })).status?.state).toBe(
      TaskState.TASK_STATE_INPUT_REQUIRED,
    );
    const done = (await rpc.carol!.sendMessage(sendParams(userMessage('approve', { taskId: task.id, contextId: task.contextId })))) as Task;
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const { events } = await env.worker.client.events(task.id);
    expect(events.filter((e) => e.type === 'input_received')).toEqual([expect.objectContaining({ action: 'approve', by: 'carol' })]);
    // And alice, whose task it is, reads the outcome.
    expect((await rpc.alice!.getTask({ tenant: '', id: task.id, historyLength: 0 })).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });
});

describe('approvals answered by operators only', () => {
  let env: A2AEnv;
  let base: string;
  beforeAll(async () => {
    const tokens = bearerTokens([`alice=${TOKENS.alice}`, `carol:operator=${TOKENS.carol}`], 'test');
    env = await startA2AEnv([approvalTeam()], TO_APPROVAL_SCRIPT, { tokens, operatorApprovals: true });
    base = env.server.teamUrls['review-approval']!;
  });
  afterAll(() => env?.stop());

  it('refuses the owner’s own approval (403 over REST, -32004 over JSON-RPC) and takes the operator’s', async () => {
    const client = (token: string) =>
      new ClientFactory({ transports: [new JsonRpcTransportFactory({ fetchImpl: withBearer(token) })] }).createFromUrl(base);
    const alice = await client(TOKENS.alice);
    const task = (await alice.sendMessage(sendParams(userMessage('Write a note.')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const answer = () => sendParams(userMessage('approve', { taskId: task.id, contextId: task.contextId }));

    const err = await a2aError(alice.sendMessage(answer()));
    expect(err.code).toBe(-32004);
    expect(err.message).toMatch(/only an operator answers approvals/);
    const overRest = await fetch(`${base}a2a/rest/message:send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'A2A-Version': '1.0', authorization: `Bearer ${TOKENS.alice}` },
      body: JSON.stringify({ message: { messageId: randomUUID(), taskId: task.id, role: 'ROLE_USER', parts: [{ text: 'approve' }] } }),
    });
    expect(overRest.status).toBe(403);
    expect((await alice.getTask({ tenant: '', id: task.id, historyLength: 0 })).status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);

    const done = (await (await client(TOKENS.carol)).sendMessage(answer())) as Task;
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });
});
