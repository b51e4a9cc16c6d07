import type { TeamClient } from '../../src/client/team-client';
import { maxMessages, team } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';

/** Replies of `size` characters, each starting with a mark no other reply has. */
const replies = (who: string, count: number, size: number) =>
  Array.from({ length: count }, (_, i) => `<${who}-${i}> ${'lorem ipsum '.repeat(Math.ceil(size / 12))}`.slice(0, size));

const pair = (messages: number) =>
  team('long')
    .roundRobin()
    .model({ model: 'scripted' })
    .agent('ping', { description: 'Pings.' })
    .agent('pong', { description: 'Pongs.' })
    .terminateWhen(maxMessages(messages))
    .build();

/** Every execution's history of a run (continue-as-new makes several), payloads decoded, as one text. */
async function allHistories(client: TeamClient, runId: string): Promise<{ text: string; executions: number }> {
  const texts: string[] = [];
  for await (const info of client.client.workflow.list({ query: `WorkflowId = '${runId}'` })) {
    const history = await client.client.workflow.getHandle(runId, info.runId).fetchHistory();
    texts.push(
      JSON.stringify(history, function (this: Record<string, unknown>, key: string, value: unknown) {
        return key === 'data' && typeof value === 'string' && 'metadata' in this ? Buffer.from(value, 'base64').toString('utf8') : value;
      }),
    );
  }
  return { text: texts.join('\n'), executions: texts.length };
}

const occurrences = (text: string, mark: string) => text.split(mark).length - 1;

describe('long conversations: every message stored once, nothing forgotten', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;

  beforeAll(async () => {
    model = await startScriptedModelServer({
      script: {
        agents: {
          ping: replies('ping', 70, 20_000),
          pong: replies('pong', 70, 20_000),
          small: replies('small', 12, 3_000),
          talk: replies('talk', 12, 3_000),
        },
      },
    });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
  });
  afterAll(async () => {
    await env?.stop();
    await model?.close();
  });

  it("keeps each message's text in the run's history once, across continue-as-new", async () => {
    const chatty = team('short')
      .roundRobin()
      .model({ model: 'scripted' })
      .agent('small', { description: 'Small.' })
      .agent('talk', { description: 'Talk.' })
      .terminateWhen(maxMessages(13))
      .build();
    const runId = await env.client.start(chatty, '<the-task> Discuss.', { options: { continueAsNewAfterTurns: 4 } });
    const result = await env.client.result(runId);
    expect(result.snapshot.continuedAsNew).toBe(2);
    expect(result.messages.map((m) => m.index)).toEqual([...Array(13).keys()]);
    expect(result.messages[0]!.content).toBe('<the-task> Discuss.');
    expect(result.messages[1]!.content.startsWith('<small-0>')).toBe(true);
    expect(result.messages[12]!.content.startsWith('<talk-5>')).toBe(true);

    const { text, executions } = await allHistories(env.client, runId);
    expect(executions).toBe(3);
    expect(occurrences(text, '<the-task>')).toBe(1);
    for (const m of result.messages.slice(1))
      expect([m.content.slice(0, 10), occurrences(text, m.content.slice(0, 10))]).toEqual([m.content.slice(0, 10), 1]);
  });

  it('completes a conversation far past the 2 MB payload limit, every message in the transcript in order', async () => {
    // 130 turns of 20 KB: 2.6 MB of text, more than a continue-as-new input may hold.
    const runId = await env.client.start(pair(131), 'Go.', { options: { continueAsNewAfterTurns: 40 } });
    const result = await env.client.result(runId);
    expect(result.snapshot.status).toBe('completed');
    expect(result.snapshot.continuedAsNew).toBe(3);
    expect(result.messages).toHaveLength(131);
    expect(result.messages.map((m) => m.index)).toEqual([...Array(131).keys()]);
    result.messages.slice(1).forEach((m, i) => {
      const who = i % 2 ? 'pong' : 'ping';
      expect(m.source).toBe(who);
      expect(m.content).toBe(replies(who, 70, 20_000)[Math.floor(i / 2) % 70]);
    });
    const page = await env.client.transcript(runId, 60, 5);
    expect(page.messages.map((m) => m.index)).toEqual([60, 61, 62, 63, 64]);
    expect(page.total).toBe(131);
  }, 240_000);
});
