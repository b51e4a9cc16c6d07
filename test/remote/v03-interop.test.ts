import { maxMessages, team } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { startV03Agent, type V03Agent } from './v03-server';

/** Interop with remote agents built on the A2A JS SDK 0.3, which speak protocol v0.3 only. */
describe('a remote participant that speaks A2A v0.3', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;
  let tasks: V03Agent;
  let messages: V03Agent;

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: { agents: { editor: ['brief one', 'brief two'] } } });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
    tasks = await startV03Agent({ name: 'researcher', reply: 'three sources', workMs: 1_500 });
    messages = await startV03Agent({ name: 'quick', reply: 'noted', answerWithMessage: true });
  });
  afterAll(async () => {
    await env?.stop();
    await tasks?.close();
    await messages?.close();
    await model?.close();
  });

  const callingTeam = (name: string, card: string) =>
    team(name)
      .roundRobin()
      .model({ model: 'scripted' })
      .agent('editor', { description: 'Writes the brief.' })
      .remote('helper', { description: 'A v0.3 agent.', card, pollInterval: '100ms' })
      .terminateWhen(maxMessages(3))
      .build();

  it('takes the artifacts of a v0.3 task that works a while, polled since its card does not stream; the message was sent once', async () => {
    const runId = await env.client.start(callingTeam('v03-task', tasks.cardUrl), 'Find sources.');
    const { snapshot, messages: transcript } = await env.client.result(runId);
    expect(snapshot.status).toBe('completed');
    expect(transcript.at(-1)).toMatchObject({
      source: 'helper',
      content: 'three sources (to: [user] Find sources.\n\n[editor] brief one)',
      model: 'a2a:researcher',
    });
    // v0.3 method names on the wire: one send with our deterministic id, then polls.
    const sends = tasks.calls.filter((c) => c.method === 'message/send');
    expect(sends.map((c) => c.messageId)).toEqual([`${runId}/turn-1/helper`]);
    expect(tasks.calls.filter((c) => c.method === 'tasks/get').length).toBeGreaterThan(0);
    expect(tasks.calls.some((c) => c.method === 'tasks/resubscribe')).toBe(false);
  });

  it('takes a plain v0.3 message as the answer', async () => {
    const runId = await env.client.start(callingTeam('v03-message', messages.cardUrl), 'Note this.');
    const { snapshot, messages: transcript } = await env.client.result(runId);
    expect(snapshot.status).toBe('completed');
    expect(transcript.at(-1)).toMatchObject({ source: 'helper', content: 'noted (to: [user] Note this.\n\n[editor] brief one)' });
    expect(messages.calls.map((c) => c.method)).toEqual(['message/send']);
  });
});
