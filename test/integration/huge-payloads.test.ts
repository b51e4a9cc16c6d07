import { maxMessages, team } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { historyText } from '../helpers/history-text';
import { ConversationStore } from '../../src/store/conversation-store';
import { defaultConversationStore } from '../../src/site/default-store';

/** Three megabytes, more than Temporal takes in one payload (2 MB), marked to be found. */
const HUGE = `<huge-reply>${'0123456789abcdef'.repeat(3 * 65_536)}</huge-reply>`;

describe('payloads too large for history go to the conversation store (external storage)', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: { agents: { writer: [HUGE], reader: ['I read it all.'] } } });
    // External payloads on, and the store's longest message with them (4 million characters).
    const store = new ConversationStore(defaultConversationStore().backend);
    env = await startTestWorker({ model: { baseUrl: model.baseUrl }, externalPayloads: true, store });
  });
  afterAll(async () => {
    await env?.stop();
    await model?.close();
  });

  it("takes a reply of several megabytes: the run's history holds a claim, the transcript the reply, the next agent reads it", async () => {
    const pair = team('big')
      .roundRobin()
      .model({ model: 'scripted' })
      .agent('writer', { description: 'Writes.' })
      .agent('reader', { description: 'Reads.' })
      .terminateWhen(maxMessages(3))
      .build();
    const runId = await env.client.start(pair, 'Write the whole book.');
    const { snapshot, messages } = await env.client.result(runId);
    expect(snapshot.status).toBe('completed');
    expect(messages.map((m) => m.source)).toEqual(['user', 'writer', 'reader']);
    expect(messages[1]!.content.length).toBe(HUGE.length);
    expect(messages[1]!.content === HUGE).toBe(true);
    // The reader's model was shown the whole reply.
    const shown = model.requests.filter((r) => r.agent === 'reader').at(-1)!.messages as { content?: unknown }[];
    expect(shown.some((m) => m.content === HUGE)).toBe(true);
    const history = await historyText(env.client, runId);
    expect(history.includes('<huge-reply>')).toBe(false);
  });
});

describe('a message longer than the store takes', () => {
  it('is refused where it enters: the turn fails for good, naming the agent and the limit', async () => {
    const model = await startScriptedModelServer({ script: { agents: { writer: ['x'.repeat(2_000)], reader: ['fine'] } } });
    // The suite's store, with a limit of 1,000 characters a message.
    const store = new ConversationStore(defaultConversationStore().backend, { maxMessageChars: 1_000 });
    const env = await startTestWorker({ model: { baseUrl: model.baseUrl }, store });
    try {
      const pair = team('limit')
        .roundRobin()
        .model({ model: 'scripted' })
        .agent('writer', { description: 'Writes.' })
        .agent('reader', { description: 'Reads.' })
        .terminateWhen(maxMessages(3))
        .build();
      const runId = await env.client.start(pair, 'Write.');
      await expect(env.client.result(runId)).rejects.toThrow('agent "writer"\'s reply has 2000 characters; the limit is 1000');
      expect(model.requests.filter((r) => r.agent === 'writer')).toHaveLength(1); // not retried
    } finally {
      await env.stop();
      await model.close();
    }
  });
});
