import { randomUUID } from 'node:crypto';
import { TaskState, type Task } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import { startA2AServer, type A2AServer } from '../../src/server/server';
import { secretBox } from '../../src/secrets/sealed';
import { ConversationStore } from '../../src/store/conversation-store';
import { StoreSite } from '../../src/site/store-site';
import { startPostgres, type TestPostgres } from '../../src/testing/postgres';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { ClientFactory } from '@a2a-js/sdk/client';
import { a2aError, sendParams, userMessage } from '../a2a/a2a-env';
import { lastRequest, SESSION_SCRIPT, sessionTeam, textsOf, waitingTeam } from './context-teams';

const FULL = 'session-full';
const ANSWERS = 'session-answers';
const NONE = 'session-none';
const WAITING = 'session-waiting';
const WAITING_ALONE = 'session-waiting-none';
const TEAMS = [
  sessionTeam(FULL),
  sessionTeam(ANSWERS, 'answers'),
  sessionTeam(NONE, 'none'),
  waitingTeam(WAITING),
  waitingTeam(WAITING_ALONE, 'none'),
];

/**
 * Tasks that continue one another over A2A: a follow-up in the same context begins with the
 * conversation before it (all of it, or its tasks and answers, or nothing, as the team says), a
 * referenced task's answer reaches the new run, and a second task for a context whose newest task
 * still waits is refused, naming that task. On the embedded store and on PostgreSQL.
 */
describe.each(['embedded', 'postgres'] as const)('tasks of one context, store %s', (backend) => {
  let postgres: TestPostgres | null = null;
  let store: ConversationStore | undefined;
  let model: ScriptedModelServer;
  let worker: TestWorker;
  let server: A2AServer;
  const clients = new Map<string, Client>();

  beforeAll(async () => {
    if (backend === 'postgres') {
      postgres = await startPostgres();
      store = new ConversationStore(await StoreSite.of(postgres.url).openConversations());
    }
    model = await startScriptedModelServer({ script: SESSION_SCRIPT });
    worker = await startTestWorker({ model: { baseUrl: model.baseUrl }, ...(store ? { store } : {}) });
    server = await startA2AServer({
      teams: TEAMS,
      client: worker.client,
      port: 0,
      version: '0.0.0-test',
      tokens: null,
      secrets: secretBox('context-test-secrets'),
    });
    for (const team of TEAMS) clients.set(team.name, await new ClientFactory().createFromUrl(server.teamUrls[team.name]!));
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await worker?.stop();
    await store?.close();
    await model?.close();
    await postgres?.destroy();
  }, 60_000);

  async function ask(team: string, text: string, extra: Parameters<typeof userMessage>[1] = {}): Promise<Task> {
    const task = (await clients.get(team)!.sendMessage(sendParams(userMessage(text, extra)))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    return task;
  }
  const seenBy = (task: Task, agent: string) => textsOf(lastRequest(model.requests, task.id, agent));

  it('a follow-up in the same context sees the whole conversation before it; GetTask shows its own messages', async () => {
    const first = await ask(FULL, 'What is A?');
    const second = await ask(FULL, 'And B?', { contextId: first.contextId });
    expect(second.contextId).toBe(first.contextId);
    // The writer saw the first task, both replies, the new task, and the researcher's new fact.
    expect(seenBy(second, 'writer')).toEqual(['What is A?', 'fact 1', 'answer 1', 'And B?', 'fact 2']);
    // Its model saw its own earlier answer as its own: the script's next reply came.
    expect(second.artifacts[0]?.parts[0]?.content).toEqual({ $case: 'text', value: 'answer 2' });
    const third = await ask(FULL, 'And C?', { contextId: first.contextId });
    expect(seenBy(third, 'researcher')).toEqual(['What is A?', 'fact 1', 'answer 1', 'And B?', 'fact 2', 'answer 2', 'And C?']);
    // Each task keeps its own messages.
    const got = await clients.get(FULL)!.getTask({ tenant: '', id: second.id, historyLength: 10 });
    expect(got.history.map((m) => m.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join(''))).toEqual([
      'And B?',
      'fact 2',
      'answer 2',
    ]);
  }, 60_000);

  it('with context: answers a follow-up sees the earlier tasks and answers only; with none, nothing', async () => {
    const first = await ask(ANSWERS, 'What is A?');
    const second = await ask(ANSWERS, 'And B?', { contextId: first.contextId });
    expect(seenBy(second, 'researcher')).toEqual(['What is A?', 'answer 1', 'And B?']);
    const alone = await ask(NONE, 'What is A?');
    const fresh = await ask(NONE, 'And B?', { contextId: alone.contextId });
    expect(seenBy(fresh, 'researcher')).toEqual(['And B?']);
  }, 60_000);

  it("a referenced task's answer reaches the new run, in another context; an unknown reference is -32001 naming it", async () => {
    const earlier = await ask(ANSWERS, 'What is X?');
    const citing = await ask(ANSWERS, 'Compare with Y.', { referenceTaskIds: [earlier.id] });
    expect(citing.contextId).not.toBe(earlier.contextId);
    expect(seenBy(citing, 'researcher')).toEqual(['What is X?', 'answer 1', 'Compare with Y.']);
    const error = await a2aError(
      clients.get(ANSWERS)!.sendMessage(sendParams(userMessage('Compare.', { referenceTaskIds: [`${ANSWERS}-no-such-task`] }))),
    );
    expect(error).toMatchObject({ code: -32001 });
    expect(error.message).toContain(`message.referenceTaskIds[0]: task ${ANSWERS}-no-such-task not found`);
  }, 60_000);

  it('a new task for a context whose task waits on a person is refused naming that task, which still waits', async () => {
    const client = clients.get(WAITING)!;
    const waiting = (await client.sendMessage(sendParams(userMessage('Draft it.')))) as Task;
    expect(waiting.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const error = await a2aError(client.sendMessage(sendParams(userMessage('Something else.', { contextId: waiting.contextId }))));
    expect(error).toMatchObject({ code: -32004 });
    expect(error.message).toContain(`context "${waiting.contextId}" has a task that has not ended (${waiting.id}, input-required)`);
    const still = await client.getTask({ tenant: '', id: waiting.id, historyLength: 0 });
    expect(still.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    // Answered, the task ends, and the context takes its next task, which sees the person's words.
    await client.sendMessage(sendParams(userMessage('Looks good.', { taskId: waiting.id, contextId: waiting.contextId })));
    const next = (await client.sendMessage(sendParams(userMessage('Now shorter.', { contextId: waiting.contextId })))) as Task;
    expect(next.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(seenBy(next, 'writer')).toEqual(expect.arrayContaining(['Draft it.', 'Looks good.', 'Now shorter.']));
  }, 60_000);

  it('with context: none the tasks of a context are independent: a second one starts while the first waits', async () => {
    const client = clients.get(WAITING_ALONE)!;
    const first = (await client.sendMessage(sendParams(userMessage('Draft it.')))) as Task;
    const second = (await client.sendMessage(sendParams(userMessage('Draft another.', { contextId: first.contextId })))) as Task;
    for (const task of [first, second]) expect(task.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(second.contextId).toBe(first.contextId);
    expect(seenBy(second, 'writer')).toEqual(['Draft another.']);
  }, 60_000);

  it('a context id the client makes up starts a context like any other', async () => {
    const contextId = `client-context-${randomUUID()}`;
    const first = await ask(FULL, 'What is A?', { contextId });
    const second = await ask(FULL, 'And B?', { contextId });
    expect(first.contextId).toBe(contextId);
    expect(seenBy(second, 'writer').slice(0, 3)).toEqual(['What is A?', 'fact 1', 'answer 1']);
  }, 60_000);
});
