import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { TaskState, type AgentCard, type StreamResponse, type Task } from '@a2a-js/sdk';
import { ClientFactory, DefaultAgentCardResolver, JsonRpcTransportFactory, RestTransportFactory, type Client } from '@a2a-js/sdk/client';
import { loadTeamFile } from '../../src/files/team-file';
import type { TeamSpec } from '../../src/spec/team';
import { REVIEW_SCRIPT, ROOT, reviewTeam } from '../helpers/teams';
import { collect, describeEvent, sendParams, startA2AEnv, userMessage, type A2AEnv } from './a2a-env';
import { sseData, statusOf } from './callers';

const approvalTeam = (): TeamSpec => loadTeamFile(join(ROOT, 'examples/teams/review-approval.yaml'));

function asTask(result: unknown): Task {
  expect(result).toHaveProperty('status');
  return result as Task;
}

/** A fetch that notes each request's URL, A2A-Version header and JSON-RPC method. */
function recordingFetch(seen: { url: string; version: string | null; method: string | null }[]): typeof fetch {
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const version = new Headers(init?.headers).get('a2a-version');
    let method: string | null = null;
    try {
      method = typeof init?.body === 'string' ? ((JSON.parse(init.body) as { method?: string }).method ?? null) : null;
    } catch {
      // not JSON
    }
    seen.push({ url, version, method });
    return fetch(input, init);
  };
}

/** The v1.0 stream of a task that runs to its end: submitted, every turn, the answer, completed. */
function expectCompleteStream(events: StreamResponse[]): void {
  const seen = events.map(describeEvent);
  expect(seen[0]).toBe(`task:${TaskState.TASK_STATE_SUBMITTED}`);
  expect(seen).toContain(`status:${TaskState.TASK_STATE_WORKING}:fact one`);
  expect(seen).toContain(`status:${TaskState.TASK_STATE_WORKING}:draft two`);
  expect(seen.at(-2)).toBe('artifact:final-answer');
  // APPROVED came as a message of this stream: the final status does not say it again.
  expect(seen.at(-1)).toBe(`status:${TaskState.TASK_STATE_COMPLETED}`);
}

const taskIdOf = (events: StreamResponse[]) => (events[0]!.payload as { value: { id: string } }).value.id;

/** A JSON-RPC call with no A2A-Version header: how a v0.3 client speaks. */
async function legacyCall<T>(
  url: string,
  method: string,
  params: unknown,
): Promise<{ result?: T; error?: { code: number; message: string } }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: randomUUID(), method, params }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { result?: T; error?: { code: number; message: string } };
}

/** A v0.3 JSON-RPC stream: each SSE event's JSON-RPC result. */
async function legacyStream(url: string, method: string, params: unknown): Promise<Record<string, unknown>[]> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method, params }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const text = await res.text();
  return sseData(text).map((data) => {
    const message = JSON.parse(data) as { jsonrpc: string; id: unknown; result?: Record<string, unknown>; error?: unknown };
    expect(message).toMatchObject({ jsonrpc: '2.0', id: 7 });
    expect(message.error).toBeUndefined();
    return message.result!;
  });
}

interface LegacyTask {
  kind: string;
  id: string;
  contextId: string;
  status: { state: string; message?: { kind: string; role: string; parts: { kind: string; text?: string; data?: unknown }[] } };
  artifacts?: { artifactId: string; parts: { kind: string; text?: string }[] }[];
  history?: { kind: string; role: string; parts: { kind: string; text?: string }[] }[];
}

const legacyText = (text: string, extra: Record<string, unknown> = {}) => ({
  message: { kind: 'message', messageId: randomUUID(), role: 'user', parts: [{ kind: 'text', text }], ...extra },
});

describe('A2A transports: JSON-RPC, REST and v0.3', () => {
  let env: A2AEnv;
  let reviewUrl: string;
  let approvalUrl: string;
  beforeAll(async () => {
    env = await startA2AEnv([reviewTeam(), approvalTeam()], REVIEW_SCRIPT);
    reviewUrl = env.server.teamUrls.review!;
    approvalUrl = env.server.teamUrls['review-approval']!;
  });
  afterAll(() => env?.stop());

  it('answers /healthz and /readyz while Temporal is reachable', async () => {
    const health = await fetch(`${env.server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${env.server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', temporal: 'reachable' });
  });

  it('serves the v0.3 card to a client that names no version, and the v1.0 card to one that asks, both cacheable', async () => {
    const legacy = await fetch(`${reviewUrl}.well-known/agent-card.json`);
    expect(legacy.status).toBe(200);
    expect(legacy.headers.get('cache-control')).toBe('public, max-age=300');
    expect(legacy.headers.get('vary')).toMatch(/A2A-Version/i);
    const old = (await legacy.json()) as Record<string, unknown>;
    expect(old).toMatchObject({
      name: 'review',
      url: `${reviewUrl}a2a/jsonrpc`,
      preferredTransport: 'JSONRPC',
      capabilities: { streaming: true, pushNotifications: true },
    });
    expect(old.protocolVersion).toMatch(/^0\.3/);
    expect(old.additionalInterfaces).toEqual(expect.arrayContaining([{ url: `${reviewUrl}a2a/rest`, transport: 'HTTP+JSON' }]));
    // (The v1.0 interfaces ride along in supportedInterfaces, for clients that know both.)

    const current = await fetch(`${reviewUrl}.well-known/agent-card.json`, { headers: { 'A2A-Version': '1.0' } });
    expect(current.status).toBe(200);
    expect(current.headers.get('cache-control')).toBe('public, max-age=300');
    const card = (await current.json()) as {
      url?: string;
      supportedInterfaces: { url: string; protocolBinding: string; protocolVersion: string }[];
    };
    expect(card).not.toHaveProperty('url');
    expect(card.supportedInterfaces).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ url: `${reviewUrl}a2a/jsonrpc`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' }),
        expect.objectContaining({ url: `${reviewUrl}a2a/rest`, protocolBinding: 'HTTP+JSON', protocolVersion: '1.0' }),
      ]),
    );
    // A client holding the card revalidates it cheaply. (Not with fetch: a conditional request
    // makes it add Cache-Control: no-cache, which asks for the whole card again.)
    const etag = current.headers.get('etag')!;
    expect(etag).toBeTruthy();
    expect(await statusOf(`${reviewUrl}.well-known/agent-card.json`, { 'A2A-Version': '1.0', 'If-None-Match': etag })).toBe(304);
    expect(await statusOf(`${reviewUrl}.well-known/agent-card.json`, { 'If-None-Match': etag })).toBe(200); // the v0.3 card is another
  });

  it('runs the same task flow over REST', async () => {
    const seen: Parameters<typeof recordingFetch>[0] = [];
    const factory = new ClientFactory({
      transports: [
        new JsonRpcTransportFactory({ fetchImpl: recordingFetch(seen) }),
        new RestTransportFactory({ fetchImpl: recordingFetch(seen) }),
      ],
      preferredTransports: ['HTTP+JSON'],
    });
    const client = await factory.createFromUrl(reviewUrl);
    expect(client.transport.protocolName).toBe('HTTP+JSON');
    expect(client.protocolVersion).toBe('1.0');

    const events = await collect(client.sendMessageStream(sendParams(userMessage('Write a note.'))));
    expectCompleteStream(events);
    const task = await client.getTask({ tenant: '', id: taskIdOf(events), historyLength: 2 });
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(task.history).toHaveLength(2);
    expect(task.artifacts[0]?.parts[0]?.content).toEqual({ $case: 'text', value: 'APPROVED' });

    // An approval, asked and answered over REST.
    const approvals = await factory.createFromUrl(approvalUrl);
    const waiting = asTask(await approvals.sendMessage(sendParams(userMessage('Write a note.'))));
    expect(waiting.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const prompt = waiting.status?.message?.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');
    expect(prompt).toContain('Publish it?');
    const done = asTask(
      await approvals.sendMessage(sendParams(userMessage('approve', { taskId: waiting.id, contextId: waiting.contextId }))),
    );
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);

    const listed = await approvals.listTasks({
      tenant: '',
      contextId: waiting.contextId,
      status: TaskState.TASK_STATE_UNSPECIFIED,
      pageSize: 10,
      pageToken: '',
      historyLength: 0,
      statusTimestampAfter: undefined,
      includeArtifacts: false,
    });
    expect(listed.tasks.map((t) => t.id)).toEqual([waiting.id]);

    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => s.url.includes('/a2a/rest/'))).toBe(true);
    expect(seen.every((s) => s.version === '1.0')).toBe(true);
  });

  describe('v0.3 clients', () => {
    async function legacyClient(
      baseUrl: string,
      binding: 'JSONRPC' | 'HTTP+JSON',
      seen: Parameters<typeof recordingFetch>[0],
    ): Promise<Client> {
      // The card as a v0.3 client finds it: fetched without naming a version, and read without
      // the v1.0 interfaces that ride along (a v0.3 client knows nothing of supportedInterfaces).
      const raw = (await (await fetch(`${baseUrl}.well-known/agent-card.json`)).json()) as Record<string, unknown>;
      expect(raw.url).toBe(`${baseUrl}a2a/jsonrpc`);
      delete raw.supportedInterfaces;
      const legacyCompat = { enabled: true };
      const factory = new ClientFactory({
        transports: [
          new JsonRpcTransportFactory({ legacyCompat, fetchImpl: recordingFetch(seen) }),
          new RestTransportFactory({ legacyCompat, fetchImpl: recordingFetch(seen) }),
        ],
        preferredTransports: [binding],
        cardResolver: new DefaultAgentCardResolver({ legacyCompat }),
      });
      return factory.createFromAgentCard(raw as unknown as AgentCard);
    }

    async function legacyFlow(binding: 'JSONRPC' | 'HTTP+JSON'): Promise<void> {
      const seen: Parameters<typeof recordingFetch>[0] = [];
      const client = await legacyClient(reviewUrl, binding, seen);
      expect(client.transport.protocolName).toBe(binding);
      expect(client.protocolVersion).toMatch(/^0\.3/);

      const events = await collect(client.sendMessageStream(sendParams(userMessage('Write a note.'))));
      expectCompleteStream(events);
      const task = await client.getTask({ tenant: '', id: taskIdOf(events), historyLength: 3 });
      expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      expect(task.artifacts[0]?.parts[0]?.content).toEqual({ $case: 'text', value: 'APPROVED' });

      const approvals = await legacyClient(approvalUrl, binding, seen);
      const waiting = asTask(await approvals.sendMessage(sendParams(userMessage('Write a note.'))));
      expect(waiting.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
      const done = asTask(
        await approvals.sendMessage(sendParams(userMessage('approve', { taskId: waiting.id, contextId: waiting.contextId }))),
      );
      expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);

      // It spoke v0.3 throughout: no v1.0 header, and v0.3 method names over JSON-RPC.
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.some((s) => s.version === '1.0')).toBe(false);
      if (binding === 'JSONRPC')
        expect(new Set(seen.map((s) => s.method))).toEqual(new Set(['message/stream', 'tasks/get', 'message/send']));
      else expect(seen.every((s) => s.url.includes('/a2a/rest/'))).toBe(true);
    }

    it('the SDK client in v0.3 mode streams, gets and answers a task over JSON-RPC', () => legacyFlow('JSONRPC'));

    // v0.3 HTTP+JSON sends v0.3's ProtoJSON ({role: "ROLE_USER", content: [{text}]}), not the
    // JSON-RPC shape: our own message check must leave /v1/ bodies to the SDK's compat layer.
    it('the SDK client in v0.3 mode streams, gets and answers a task over HTTP+JSON', () => legacyFlow('HTTP+JSON'));

    it('raw v0.3 JSON-RPC: message/send, message/stream and tasks/get in v0.3 shapes', async () => {
      const rpc = `${reviewUrl}a2a/jsonrpc`;
      const sent = await legacyCall<LegacyTask>(rpc, 'message/send', legacyText('Write a note.'));
      expect(sent.error).toBeUndefined();
      const task = sent.result!;
      expect(task).toMatchObject({
        kind: 'task',
        status: { state: 'completed', message: { kind: 'message', role: 'agent', parts: [{ kind: 'text', text: 'APPROVED' }] } },
      });
      expect(task.artifacts).toEqual([
        expect.objectContaining({ artifactId: 'final-answer', parts: [{ kind: 'text', text: 'APPROVED' }] }),
      ]);
      expect(task.history?.every((m) => m.kind === 'message' && ['user', 'agent'].includes(m.role))).toBe(true);

      const stream = await legacyStream(rpc, 'message/stream', legacyText('Write a note.'));
      expect(stream[0]).toMatchObject({ kind: 'task', status: { state: 'submitted' } });
      const kinds = new Set(stream.map((e) => e.kind));
      expect(kinds).toEqual(new Set(['task', 'status-update', 'artifact-update']));
      const updates = stream.filter((e) => e.kind === 'status-update') as { status: { state: string }; final: boolean }[];
      expect(updates.slice(0, -1).every((u) => u.status.state === 'working' && u.final === false)).toBe(true);
      expect(stream.at(-1)).toMatchObject({ kind: 'status-update', final: true, status: { state: 'completed' } });
      expect(stream.at(-2)).toMatchObject({
        kind: 'artifact-update',
        artifact: { artifactId: 'final-answer', parts: [{ kind: 'text', text: 'APPROVED' }] },
      });
      const streamedId = (stream[0] as { id: string }).id;

      const got = await legacyCall<LegacyTask>(rpc, 'tasks/get', { id: streamedId, historyLength: 2 });
      expect(got.result).toMatchObject({ kind: 'task', id: streamedId, status: { state: 'completed' } });
      expect(got.result!.history).toHaveLength(2);

      const missing = await legacyCall(rpc, 'tasks/get', { id: 'review-no-such-task' });
      expect(missing.error?.code).toBe(-32001);
    });

    it('raw v0.3 JSON-RPC: an approval is input-required, and a message to the task answers it', async () => {
      const rpc = `${approvalUrl}a2a/jsonrpc`;
      const asked = (await legacyCall<LegacyTask>(rpc, 'message/send', legacyText('Write a note.'))).result!;
      expect(asked).toMatchObject({ kind: 'task', status: { state: 'input-required', message: { kind: 'message', role: 'agent' } } });
      const parts = asked.status.message!.parts;
      expect(parts[0]).toMatchObject({ kind: 'text', text: expect.stringContaining('Publish it?') });
      expect(parts[1]).toMatchObject({ kind: 'data', data: { kind: 'approval', accepts: ['approve', 'reject', 'request_changes'] } });

      const stream = await legacyStream(rpc, 'message/stream', legacyText('approve', { taskId: asked.id, contextId: asked.contextId }));
      expect(stream.at(-1)).toMatchObject({ kind: 'status-update', taskId: asked.id, final: true, status: { state: 'completed' } });
      const got = (await legacyCall<LegacyTask>(rpc, 'tasks/get', { id: asked.id })).result!;
      expect(got.status.state).toBe('completed');
    });
  });
});
