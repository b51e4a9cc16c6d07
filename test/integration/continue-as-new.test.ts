import type { RunEvent } from '../../src/core/events';
import { maxMessages, team } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';

/**
 * Temporal suggests continuing as new past 4,096 history events, which takes some 400 turns; this
 * file's own server suggests it past 300, so a run of 200 turns continues several times.
 */
const SUGGEST_AFTER_EVENTS = 300;

const chatty = (messages: number) =>
  team('chatty')
    .roundRobin()
    .model({ model: 'scripted' })
    .agent('ping', { description: 'Says ping.' })
    .agent('pong', { description: 'Says pong.' })
    .terminateWhen(maxMessages(messages))
    .build();

describe('long runs continue as new, carrying their state', () => {
  let server: DevServer;
  let model: ScriptedModelServer;
  let env: TestWorker;

  beforeAll(async () => {
    server = await startDevServer({
      extraArgs: ['--dynamic-config-value', `limit.historyCount.suggestContinueAsNew=${SUGGEST_AFTER_EVENTS}`],
    });
    // onExhausted cycles, so these two replies serve any number of turns.
    model = await startScriptedModelServer({ script: { agents: { ping: ['ping'], pong: ['pong'] } } });
    env = await startTestWorker({ address: server.address, model: { baseUrl: model.baseUrl } });
  });
  afterAll(async () => {
    await env?.stop();
    await model?.close();
    await server?.stop();
  });

  it('keeps every turn, in order, and one gap-free event stream across executions', async () => {
    const runId = await env.client.start(chatty(11), 'Go.', { options: { continueAsNewAfterTurns: 3 } });
    const events: RunEvent[] = [];
    for await (const event of env.client.follow(runId)) events.push(event);

    const result = await env.client.result(runId);
    expect(result.snapshot.turns).toBe(10);
    expect(result.snapshot.continuedAsNew).toBe(3);
    expect(result.messages.map((m) => m.index)).toEqual([...Array(11).keys()]);
    expect(result.messages.slice(1).map((m) => m.source)).toEqual(Array.from({ length: 10 }, (_, i) => (i % 2 ? 'pong' : 'ping')));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.type === 'message')).toHaveLength(10); // the task is in run_started
  });

  it('completes a long run, continuing as new each time Temporal suggests it', async () => {
    const runId = await env.client.start(chatty(201), 'Go.');
    const result = await env.client.result(runId);
    expect(result.snapshot.turns).toBe(200);
    expect(result.snapshot.continuedAsNew).toBeGreaterThanOrEqual(2);
    expect(result.messages.map((m) => m.index)).toEqual([...Array(201).keys()]);
  }, 120_000);
});
