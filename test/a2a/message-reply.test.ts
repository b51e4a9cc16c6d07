import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Role, TaskState, type Message, type Task } from '@a2a-js/sdk';
import { ClientFactory, JsonRpcTransportFactory, RestTransportFactory, type Client } from '@a2a-js/sdk/client';
import { loadTeamFile } from '../../src/files/team-file';
import { maxMessages, team, type TeamSpec } from '../../src/spec';
import { REVIEW_SCRIPT, ROOT } from '../helpers/teams';
import { collect, describeEvent, sendParams, startA2AEnv, userMessage, type A2AEnv } from './a2a-env';
import { sseData } from './callers';

const ANSWER = 'The answer is 42.';

/** A one-shot agent: one turn, answered as a bare Message. */
const oneShot = (): TeamSpec =>
  team('oneshot')
    .roundRobin()
    .model({ model: 'scripted' })
    .agent('answerer', { description: 'Answers at once.' })
    .terminateWhen(maxMessages(2))
    .a2a({ reply: 'message' })
    .build();

/** The review team that asks a person to approve, with the same option: it answers with its task. */
const asking = (): TeamSpec => ({
  ...loadTeamFile(join(ROOT, 'examples/teams/review-approval.yaml')),
  name: 'asking',
  a2a: { reply: 'message' },
});

const textOf = (m: Message) => m.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');
const isMessage = (result: Message | Task): result is Message => 'role' in result && !('status' in result);

/** A2A v1.0 §3.1.1: "the agent MAY respond with a Message" — for teams with `a2a: { reply: message }`. */
describe('A2A §3.1.1 Message replies (team file a2a.reply: message)', () => {
  let env: A2AEnv;
  let client: Client;
  let base: string;

  beforeAll(async () => {
    env = await startA2AEnv([oneShot(), asking()], { agents: { answerer: [ANSWER], ...REVIEW_SCRIPT.agents } });
    client = await env.clientFor('oneshot');
    base = env.server.teamUrls['oneshot']!;
  });
  afterAll(() => env?.stop());

  it('over JSON-RPC (v1.0): a run that completes at once is answered with the final answer as a Message, no task id', async () => {
    const contextId = randomUUID();
    const result = await client.sendMessage(sendParams(userMessage('What is the answer?', { contextId })));
    expect(isMessage(result)).toBe(true);
    const message = result as Message;
    expect(message).toMatchObject({ role: Role.ROLE_AGENT, contextId, taskId: '' });
    expect(textOf(message)).toBe(ANSWER);
    // The run is still there for the operator: its id is in the metadata.
    const runId = String(message.metadata?.runId);
    expect((await env.worker.client.report(runId, 0)).status).toBe('completed');
  });

  it('over HTTP+JSON (v1.0, the SDK client): the same Message', async () => {
    const factory = new ClientFactory({
      transports: [new JsonRpcTransportFactory(), new RestTransportFactory()],
      preferredTransports: ['HTTP+JSON'],
    });
    const rest = await factory.createFromUrl(base);
    expect(rest.transport.protocolName).toBe('HTTP+JSON');
    const result = await rest.sendMessage(sendParams(userMessage('What is the answer?')));
    expect(isMessage(result)).toBe(true);
    expect(textOf(result as Message)).toBe(ANSWER);
    expect((result as Message).role).toBe(Role.ROLE_AGENT);
  });

  it('over HTTP+JSON on the wire: {"message": {...}} with role ROLE_AGENT and no taskId', async () => {
    const res = await fetch(`${base}a2a/rest/message:send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'A2A-Version': '1.0' },
      body: JSON.stringify({ message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'What is the answer?' }] } }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { message?: Record<string, unknown>; task?: unknown };
    expect(body.task).toBeUndefined();
    expect(body.message).toMatchObject({ role: 'ROLE_AGENT', parts: [{ text: ANSWER }] });
    expect(body.message!.taskId ?? '').toBe('');
  });

  it('SendStreamingMessage: a stream of one Message event', async () => {
    const events = await collect(client.sendMessageStream(sendParams(userMessage('What is the answer?'))));
    expect(events.map(describeEvent)).toEqual(['message']);
    const message = (events[0]!.payload as { value: Message }).value;
    expect(textOf(message)).toBe(ANSWER);
  });

  it('a v0.3 client (message/send, no A2A-Version) gets kind: "message", role "agent"', async () => {
    const res = await fetch(`${base}a2a/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'message/send',
        params: {
          message: { kind: 'message', messageId: randomUUID(), role: 'user', parts: [{ kind: 'text', text: 'What is the answer?' }] },
        },
      }),
    });
    const body = (await res.json()) as { result: Record<string, unknown> };
    expect(body.result).toMatchObject({ kind: 'message', role: 'agent', parts: [{ kind: 'text', text: ANSWER }] });
    expect(body.result.taskId ?? '').toBe('');
  });

  it('a v0.3 stream (message/stream) is one event, kind: "message"', async () => {
    const res = await fetch(`${base}a2a/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 2,
        method: 'message/stream',
        params: {
          message: { kind: 'message', messageId: randomUUID(), role: 'user', parts: [{ kind: 'text', text: 'What is the answer?' }] },
        },
      }),
    });
    const events = sseData(await res.text()).map((data) => (JSON.parse(data) as { result: Record<string, unknown> }).result);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'message', role: 'agent', parts: [{ kind: 'text', text: ANSWER }] });
  });

  it('with returnImmediately: the Task, as ever', async () => {
    const result = await client.sendMessage(sendParams(userMessage('What is the answer?'), { returnImmediately: true }));
    expect(isMessage(result)).toBe(false);
    expect((result as Task).status?.state).toBe(TaskState.TASK_STATE_SUBMITTED);
  });

  it('a run that waits on a person is answered with its Task; so is the answer that completes it', async () => {
    const asker = await env.clientFor('asking');
    const waiting = await asker.sendMessage(sendParams(userMessage('Write a note.')));
    expect(isMessage(waiting)).toBe(false);
    expect((waiting as Task).status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);

    const events = await collect(asker.sendMessageStream(sendParams(userMessage('Write another note.'))));
    expect(events.map(describeEvent)).toEqual([`task:${TaskState.TASK_STATE_INPUT_REQUIRED}`]);

    const answer = userMessage('approve', { taskId: (waiting as Task).id, contextId: (waiting as Task).contextId });
    const done = await asker.sendMessage(sendParams(answer));
    expect(isMessage(done)).toBe(false);
    expect((done as Task).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });
});
