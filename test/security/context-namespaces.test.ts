import { randomUUID } from 'node:crypto';
import { TaskState, type Message, type Task } from '@a2a-js/sdk';
import { ClientFactory, JsonRpcTransportFactory, type Client } from '@a2a-js/sdk/client';
import { bearerTokens } from '../../src/access/auth';
import { LIST_ALL, TOKENS, withBearer } from '../a2a/callers';
import { sendParams, startA2AEnv, userMessage, type A2AEnv } from '../a2a/a2a-env';
import { lastRequest, SESSION_SCRIPT, sessionTeam, textsOf, waitingTeam } from '../context/context-teams';
import { eventually } from '../cli/cli-helpers';

const FULL = 'ns-full';
const WAITING = 'ns-waiting';
type Name = keyof typeof TOKENS;

/**
 * With bearer auth each caller's contexts are its own (issue 29): bob sending with alice's
 * contextId starts a context of his own under that id, exactly as with an id nobody used, so he
 * learns nothing of hers, and he cannot claim an id before she uses it. A context begun before
 * contexts had owners (its ledger keyed by the id alone) is continued by the owner of its newest
 * task; anyone else begins their own.
 */
describe('contexts of callers with tokens', () => {
  let env: A2AEnv;
  const clients = {} as Record<Name, Client>;

  beforeAll(async () => {
    const tokens = bearerTokens([`alice=${TOKENS.alice}`, `bob=${TOKENS.bob}`, `carol:operator=${TOKENS.carol}`], 'test');
    env = await startA2AEnv([sessionTeam(FULL), waitingTeam(WAITING)], SESSION_SCRIPT, { tokens });
    for (const name of Object.keys(TOKENS) as Name[]) {
      const transport = new JsonRpcTransportFactory({ fetchImpl: withBearer(TOKENS[name]) });
      clients[name] = await new ClientFactory({ transports: [transport] }).createFromUrl(env.server.teamUrls[FULL]!);
    }
  });
  afterAll(() => env?.stop());

  async function ask(who: Name, text: string, contextId: string): Promise<Task> {
    const task = (await clients[who].sendMessage(sendParams(userMessage(text, { contextId })))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(task.contextId).toBe(contextId);
    return task;
  }
  const seenBy = (task: Task, agent: string) => textsOf(lastRequest(env.model.requests, task.id, agent));
  const texts = (messages: Message[]) =>
    messages.map((m) => m.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join(''));
  /** What a caller gets back for a task, without what differs from task to task anyway (ids, times). */
  const shape = (task: Task) => ({
    state: task.status?.state,
    history: texts(task.history),
    artifacts: task.artifacts.map((a) => a.parts.map((p) => p.content)),
  });

  it('gives bob, sending with alice’s contextId, exactly what an id nobody used gives him; alice’s context goes on as hers', async () => {
    const hers = `ctx-${randomUUID()}`;
    const first = await ask('alice', 'Alice’s secret plan?', hers);
    const onHers = await ask('bob', 'What is B?', hers);
    const onUnused = await ask('bob', 'What is B?', `ctx-${randomUUID()}`);
    expect(shape(onHers)).toEqual(shape(onUnused));
    expect(seenBy(onHers, 'writer')).toEqual(seenBy(onUnused, 'writer'));
    expect(seenBy(onHers, 'writer')).toEqual(['What is B?', 'fact 1']);
    // ListTasks by that context: to each caller its own tasks.
    const listed = async (who: Name) =>
      eventually(async () => {
        const ids = (await clients[who].listTasks({ ...LIST_ALL, contextId: hers })).tasks.map((t) => t.id);
        expect(ids.length).toBeGreaterThan(0);
        return ids;
      });
    expect(await listed('bob')).toEqual([onHers.id]);
    expect(await listed('alice')).toEqual([first.id]);
    // Alice's follow-up reads her first task only: nothing of bob's.
    const next = await ask('alice', 'And then?', hers);
    expect(seenBy(next, 'writer')).toEqual(['Alice’s secret plan?', 'fact 1', 'answer 1', 'And then?', 'fact 2']);
  }, 60_000);

  it('lets bob claim no context id before its owner uses it: hers begins afresh while his task still waits', async () => {
    const waitingClient = await new ClientFactory({
      transports: [new JsonRpcTransportFactory({ fetchImpl: withBearer(TOKENS.bob) })],
    }).createFromUrl(env.server.teamUrls[WAITING]!);
    const taken = `ctx-${randomUUID()}`;
    const bobs = (await waitingClient.sendMessage(sendParams(userMessage('Draft it.', { contextId: taken })))) as Task;
    expect(bobs.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    // Not refused as busy, nor as someone else's: alice's first task in her own context of that id.
    const hers = await ask('alice', 'What is A?', taken);
    expect(seenBy(hers, 'writer')).toEqual(['What is A?', 'fact 1']);
    expect((await waitingClient.getTask({ tenant: '', id: bobs.id, historyLength: 0 })).status?.state).toBe(
      TaskState.TASK_STATE_INPUT_REQUIRED,
    );
  }, 60_000);

  it('continues a context begun before contexts had owners for the owner of its newest task; bob begins his own', async () => {
    const client = env.worker.client;
    const legacy = `legacy-${randomUUID()}`;
    // A task of alice's as the code before owners left it: its run, and its ledger entry under the id alone.
    const runId = await client.start(sessionTeam(FULL), 'The legacy question?', { contextId: legacy, startedBy: { token: 'alice' } });
    await client.result(runId);
    await client.store.putFirst(runId, `context/${legacy}/0`, { runId, before: [] });
    await client.store.putRunNote(`context/${legacy}`, 'newest', 0);

    const bobs = await ask('bob', 'What is B?', legacy);
    expect(seenBy(bobs, 'writer')).toEqual(['What is B?', 'fact 1']);
    const followUp = await ask('alice', 'And then?', legacy);
    expect(seenBy(followUp, 'writer')).toEqual(['The legacy question?', 'fact 1', 'answer 1', 'And then?', 'fact 2']);
    // Her next one goes on from her follow-up, now in her own namespace.
    const again = await ask('alice', 'And after that?', legacy);
    expect(seenBy(again, 'writer')).toEqual([
      'The legacy question?',
      'fact 1',
      'answer 1',
      'And then?',
      'fact 2',
      'answer 2',
      'And after that?',
      'fact 3',
    ]);
  }, 60_000);
});
