import type { RunEvent } from '../../src/core/events';
import { maxMessages, team } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';

const selectorTeam = (options: { transitions?: Record<string, string[]>; allowRepeatedSpeaker?: boolean } = {}) =>
  team('planning')
    .selector({ maxAttempts: 2, ...options })
    .model({ model: 'scripted' })
    .agent('planner', { description: 'Plans the work.' })
    .agent('coder', { description: 'Writes code.' })
    .agent('tester', { description: 'Tests the code.' })
    .terminateWhen(maxMessages(5))
    .build();

describe('selector team run on a real Temporal server', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;

  beforeAll(async () => {
    model = await startScriptedModelServer({
      script: {
        agents: { planner: ['plan'], coder: ['code'], tester: ['tested'] },
        selector: [
          'planner', // turn 0
          ['nobody here', 'coder'], // turn 1: a useless answer, then a good one
          ['planner and tester', 'I cannot decide'], // turn 2: never clear -> fallback
          'The tester, please.', // turn 3
        ],
      },
    });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
  });
  afterAll(async () => {
    await env?.stop();
    await model?.close();
  });
  beforeEach(() => model.reset());

  async function turnsOf(runId: string) {
    const events: RunEvent[] = [];
    for await (const event of env.client.follow(runId)) events.push(event);
    return events.flatMap((e) => (e.type === 'turn_started' ? [e.choice] : []));
  }

  it('lets the model choose, retries unclear answers with feedback, and falls back', async () => {
    const runId = await env.client.start(selectorTeam(), 'Build a thing.');
    const choices = await turnsOf(runId);
    expect(choices).toEqual([
      { speaker: 'planner', by: 'selector', attempts: 1 },
      { speaker: 'coder', by: 'selector', attempts: 2 },
      // the last speaker (coder) may not repeat, so the fallback is the first candidate
      { speaker: 'planner', by: 'fallback', attempts: 2 },
      { speaker: 'tester', by: 'selector', attempts: 1 },
    ]);
    const retry = model.requests.find((r) => r.agent === 'selector' && r.turn === 1 && r.attempt === 1)!;
    const feedback = (retry.messages as { role: string; content: string }[]).at(-1)!;
    expect(feedback.role).toBe('user');
    expect(feedback.content).toContain('names no team member');
    const state = await env.client.getState(runId);
    expect(state.selectorUsage.promptTokens).toBeGreaterThan(0);
  });

  it('shows the model only the allowed candidates, and skips the call when one is left', async () => {
    const transitions = { planner: ['coder'], coder: ['tester', 'planner'] };
    const runId = await env.client.start(selectorTeam({ transitions }), 'Build a thing.');
    const choices = await turnsOf(runId);
    expect(choices[1]).toEqual({ speaker: 'coder', by: 'only_candidate', attempts: 0 });
    const prompt = (model.requests.find((r) => r.agent === 'selector' && r.turn === 2)!.messages as { content: string }[])[0]!.content;
    expect(prompt).toContain('tester: Tests the code.');
    expect(prompt).not.toContain('coder: Writes code.');
  });
});
