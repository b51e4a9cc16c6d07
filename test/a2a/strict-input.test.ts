import { REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';
import { startA2AEnv, type A2AEnv } from './a2a-env';

/**
 * Issue 16: fields the SDK would coerce (Number("3"), Boolean("yes"), String(42)) and start a run
 * with are refused first, naming the field: JSON-RPC -32602 over HTTP 200, HTTP+JSON 400.
 */
describe('A2A strict input: wrong-typed fields are refused with their path, and no run starts', () => {
  let env: A2AEnv;
  let jsonRpc: string;
  let rest: string;
  const v1 = { 'A2A-Version': '1.0', 'content-type': 'application/json' };
  const message = { messageId: 'm-strict', role: 'ROLE_USER', parts: [{ text: 'Write a note.' }] };
  const runs = async () => {
    let n = 0;
    for await (const _ of env.worker.client.lister.runs({ taskQueue: env.worker.client.taskQueue, teams: ['review'] })) n += 1;
    return n;
  };
  let before = 0;

  beforeAll(async () => {
    env = await startA2AEnv([reviewTeam()], REVIEW_SCRIPT);
    jsonRpc = `${env.server.teamUrls.review}a2a/jsonrpc`;
    rest = `${env.server.teamUrls.review}a2a/rest`;
    before = await runs();
  });
  afterAll(() => env?.stop());

  const rpc = async (method: string, params: unknown, headers: Record<string, string> = v1) => {
    const response = await fetch(jsonRpc, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 7, method, params }) });
    expect(response.status).toBe(200);
    return (await response.json()) as { id: unknown; error?: { code: number; message: string; data?: { reason: string }[] } };
  };

  it.each([
    ['historyLength "3"', { historyLength: '3' }, 'params.configuration.historyLength: expected number, received string'],
    ['historyLength [3]', { historyLength: [3] }, 'params.configuration.historyLength: expected number, received array'],
    ['historyLength {"n":3}', { historyLength: { n: 3 } }, 'params.configuration.historyLength: expected number, received object'],
    ['historyLength 2.5', { historyLength: 2.5 }, 'params.configuration.historyLength: expected an integer, received 2.5'],
    ['returnImmediately "yes"', { returnImmediately: 'yes' }, 'params.configuration.returnImmediately: expected boolean, received string'],
    [
      'acceptedOutputModes "text/plain"',
      { acceptedOutputModes: 'text/plain' },
      'params.configuration.acceptedOutputModes: expected array, received string',
    ],
    [
      'push config url 42',
      { taskPushNotificationConfig: { url: 42 } },
      'params.configuration.taskPushNotificationConfig.url: expected string, received number',
    ],
    [
      'history_length "3" (the proto name)',
      { history_length: '3' },
      'params.configuration.history_length: expected number, received string',
    ],
  ])('SendMessage with %s: -32602 naming the field', async (_name, configuration, expected) => {
    const answer = await rpc('SendMessage', { message, configuration });
    expect(answer).toMatchObject({ id: 7, error: { code: -32602, message: expected, data: [{ reason: 'INVALID_PARAMS' }] } });
  });

  it('refuses v0.3 message/send with blocking "no", and metadata given as a list', async () => {
    const v03 = { 'content-type': 'application/json' };
    const legacy = { kind: 'message', messageId: 'm-03', role: 'user', parts: [{ kind: 'text', text: 'hi' }] };
    expect(await rpc('message/send', { message: legacy, configuration: { blocking: 'no' } }, v03)).toMatchObject({
      error: { code: -32602, message: 'params.configuration.blocking: expected boolean, received string' },
    });
    expect(await rpc('message/send', { message: legacy, metadata: ['a'] }, v03)).toMatchObject({
      error: { code: -32602, message: 'params.metadata: expected object, received array' },
    });
  });

  it('refuses wrong types in the other methods: GetTask, ListTasks, push configs', async () => {
    expect(await rpc('GetTask', { id: 'review-x', historyLength: '3' })).toMatchObject({
      error: { code: -32602, message: 'params.historyLength: expected number, received string' },
    });
    expect(await rpc('ListTasks', { pageSize: 'x' })).toMatchObject({
      error: { code: -32602, message: 'params.pageSize: expected number, received string' },
    });
    expect(await rpc('ListTasks', { includeArtifacts: 'true' })).toMatchObject({
      error: { code: -32602, message: 'params.includeArtifacts: expected boolean, received string' },
    });
    expect((await rpc('ListTasks', { status: 'TASK_STATE_DONE' })).error).toMatchObject({ code: -32602 });
    expect(await rpc('CreateTaskPushNotificationConfig', { taskId: 'review-x', url: 42 })).toMatchObject({
      error: { code: -32602, message: 'params.url: expected string, received number' },
    });
    expect(await rpc('tasks/get', { id: 42 }, { 'content-type': 'application/json' })).toMatchObject({
      error: { code: -32602, message: 'params.id: expected string, received number' },
    });
  });

  it('takes null for a field that may be left out (protobuf JSON: not given), and refuses it where one is needed', async () => {
    expect((await rpc('GetTask', { id: 'review-no-such-task', historyLength: null, metadata: null })).error).toMatchObject({
      code: -32001,
    });
    expect(await rpc('GetTask', { id: null })).toMatchObject({
      error: { code: -32602, message: 'params.id: expected string, received null' },
    });
  });

  it('refuses bad JSON-RPC envelopes: batches, wrong jsonrpc, ids and unknown methods', async () => {
    const post = async (body: unknown) =>
      (await (await fetch(jsonRpc, { method: 'POST', headers: v1, body: JSON.stringify(body) })).json()) as { error: { code: number } };
    expect((await post([{ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: 'x' } }])).error.code).toBe(-32600);
    expect((await post({ jsonrpc: '1.0', id: 1, method: 'GetTask', params: { id: 'x' } })).error.code).toBe(-32600);
    expect((await post({ jsonrpc: '2.0', id: 1.5, method: 'GetTask', params: { id: 'x' } })).error.code).toBe(-32600);
    expect((await post({ jsonrpc: '2.0', id: 1, method: 42 })).error.code).toBe(-32600);
    expect((await post({ jsonrpc: '2.0', id: 1, method: 'tasks/explode', params: {} })).error.code).toBe(-32601);
  });

  it('refuses HTTP+JSON query strings and bodies the SDK would coerce, with 400 naming the field', async () => {
    const get = async (path: string) => {
      const response = await fetch(`${rest}${path}`, { headers: v1 });
      return { status: response.status, body: (await response.json()) as { error: { status: string; message: string } } };
    };
    expect(await get('/tasks/review-x?historyLength=abc')).toMatchObject({
      status: 400,
      body: { error: { status: 'INVALID_ARGUMENT', message: 'query.historyLength: expected a non-negative integer' } },
    });
    expect(await get('/tasks/review-x?historyLength=3abc')).toMatchObject({ status: 400 });
    expect(await get('/tasks?pageSize=x')).toMatchObject({
      status: 400,
      body: { error: { message: 'query.pageSize: expected a non-negative integer' } },
    });
    expect(await get('/tasks?includeArtifacts=yes')).toMatchObject({ status: 400 });
    expect(await get('/tasks?pageSize=1&pageSize=2')).toMatchObject({ status: 400, body: { error: { message: /^query.pageSize/ } } });
    expect(await get('/some-tenant/tasks?pageSize=x')).toMatchObject({ status: 400, body: { error: { message: /^query.pageSize/ } } });
    expect(await get('/tasks/review-x/pushNotificationConfigs?tenant=a&tenant=b')).toMatchObject({
      status: 400,
      body: { error: { message: 'query.tenant: expected string, received array' } },
    });

    const send = await fetch(`${rest}/message:send`, {
      method: 'POST',
      headers: v1,
      body: JSON.stringify({ message, configuration: { historyLength: '3' } }),
    });
    expect(send.status).toBe(400);
    expect(await send.json()).toMatchObject({ error: { message: 'body.configuration.historyLength: expected number, received string' } });

    const v03Send = await fetch(`${rest}/v1/message:send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        message: { messageId: 'm', role: 'ROLE_USER', content: [{ text: 'hi' }] },
        configuration: { blocking: 'yes' },
      }),
    });
    expect(v03Send.status).toBe(400);
    expect(await v03Send.json()).toMatchObject({ error: { message: 'body.configuration.blocking: expected boolean, received string' } });
  });

  it('started no run for any of them, and still starts one for a valid request', async () => {
    const answer = await rpc('SendMessage', { message: { ...message, messageId: 'm-valid' }, configuration: { historyLength: 3 } });
    expect(answer.error).toBeUndefined();
    const taskId = (answer as unknown as { result: { task: { id: string } } }).result.task.id;
    // Visibility lags a little behind a start; wait for the valid run, then count.
    for (;;) {
      const ids: string[] = [];
      for await (const e of env.worker.client.lister.runs({ taskQueue: env.worker.client.taskQueue, teams: ['review'] }))
        ids.push(e.workflowId);
      if (ids.includes(taskId)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await runs()).toBe(before + 1);
  });
});
