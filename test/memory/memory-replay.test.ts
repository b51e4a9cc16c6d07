import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { FACT, MEMORY_SCRIPT, memoryTeam, systemMessagesOf } from './memory-fixtures';

/**
 * The workflow never reads memory: with no workflow cached, every step replays the history, and
 * runs that remember and recall still complete, each turn recording the ids its model was shown.
 */
describe('memory under replay at every step', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: MEMORY_SCRIPT });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl }, maxCachedWorkflows: 0 });
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
    await model?.close();
  });

  it('remembers in one run and recalls in the next, with replays in between', async () => {
    const team = memoryTeam(`replayed-${Date.now()}`, 'keeper', { scope: 'team' });
    const first = await env.client.start(team, 'Note the colour.');
    expect((await env.client.result(first)).snapshot.status).toBe('completed');
    const second = await env.client.start(team, 'Which colour for the invoice header?');
    expect((await env.client.result(second)).snapshot.status).toBe('completed');
    expect(systemMessagesOf(model, second, 'keeper')[1]).toBe(`Relevant memory:\n- ${FACT}`);

    // The turn's result in history names the entry its model was shown: the first run's remember call.
    const history = await env.client.client.workflow.getHandle(second).fetchHistory();
    const results = (history.events ?? []).flatMap((e) => e.activityTaskCompletedEventAttributes?.result?.payloads ?? []);
    const texts = results.map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8'));
    expect(texts.some((t) => t.includes('"memoryUsed":[') && t.includes(`${first}/turn-0/keeper/0/call_1`))).toBe(true);
  }, 120_000);
});
