import { INTERRUPTED, runTeamLoop, type SpeakerChoice } from '../../../src/core';
import type { SelectorSpec } from '../../../src/spec';
import { anyOf, maxMessages, timeout } from '../../../src/spec';
import { FakeRuntime } from './fake-runtime';
import { selectorPromptOf, selectorTeam, startedRun } from './core-helpers';

async function runSelector(script: string[], selector: SelectorSpec = {}, maxTurns = 3) {
  const team = selectorTeam({ selector, maxTurns });
  const run = startedRun(team, 'Build a CLI');
  const runtime = new FakeRuntime(script);
  await runTeamLoop(team, run.recorder, runtime);
  const choices = run.state.events.flatMap((e) => (e.type === 'turn_started' ? [e.choice] : [])) as SpeakerChoice[];
  const prompts = runtime.selectRequests.map((r) => selectorPromptOf(r)[0]!.content);
  return { run, runtime, choices, prompts, speakers: run.state.messages.slice(1).map((m) => m.source) };
}

describe('runTeamLoop, selector: candidates', () => {
  it('lets the selector model pick each speaker and records how', async () => {
    const { speakers, choices, runtime, run } = await runSelector(['planner', 'The coder should go.', 'tester']);
    expect(speakers).toEqual(['planner', 'coder', 'tester']);
    expect(choices.map((c) => c.by)).toEqual(['selector', 'selector', 'selector']);
    expect(runtime.selectRequests.map((r) => [r.turn, r.attempt])).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
    ]);
    expect(run.state.selectorUsage).toEqual({ promptTokens: 9, completionTokens: 3 });
    expect(run.state.usage).toEqual({ promptTokens: 30, completionTokens: 6 });
  });

  it('leaves the last speaker out of the candidates by default', async () => {
    const { prompts } = await runSelector(['planner', 'coder', 'tester']);
    expect(prompts[0]).toContain('[planner, coder, tester]');
    expect(prompts[1]).toContain('[coder, tester]');
    expect(prompts[1]).not.toContain('planner: Plans the work');
    expect(prompts[1]).toContain('coder: Writes the code\ntester: Tests the code');
  });

  it('keeps the last speaker a candidate with allowRepeatedSpeaker', async () => {
    const { speakers, prompts } = await runSelector(['planner', 'planner', 'coder'], { allowRepeatedSpeaker: true });
    expect(speakers).toEqual(['planner', 'planner', 'coder']);
    expect(prompts[1]).toContain('[planner, coder, tester]');
  });

  it('filters candidates by transitions, and skips the model when one candidate is left', async () => {
    const { speakers, choices, runtime } = await runSelector(['planner', 'coder'], { transitions: { planner: ['tester'] } });
    expect(speakers).toEqual(['planner', 'tester', 'coder']);
    expect(choices[1]).toEqual({ speaker: 'tester', by: 'only_candidate', attempts: 0 });
    expect(runtime.selectRequests.map((r) => r.turn)).toEqual([0, 2]);
  });

  it("sends the selector's own settings at temperature 0 unless it sets one", async () => {
    const { runtime } = await runSelector(['planner', 'coder', 'tester'], { model: 'tiny', apiKeyEnv: 'SEL_KEY' }, 1);
    expect(runtime.selectRequests[0]!.settings).toEqual({ model: 'tiny', apiKeyEnv: 'SEL_KEY', temperature: 0 });
    const warm = await runSelector(['planner'], { temperature: 0.7 }, 1);
    expect(warm.runtime.selectRequests[0]!.settings).toEqual({ model: 'gpt-4o-mini', temperature: 0.7 });
  });
});

describe('runTeamLoop, selector: invalid answers', () => {
  it('retries with the earlier answer and feedback appended to the request', async () => {
    const { speakers, choices, runtime } = await runSelector(['planner', 'planner', 'nobody', 'tester', 'coder'], {}, 3);
    expect(speakers).toEqual(['planner', 'tester', 'coder']);
    expect(choices[1]).toEqual({ speaker: 'tester', by: 'selector', attempts: 3 });
    const [, second, third, fourth] = runtime.selectRequests;
    expect(selectorPromptOf(second!)).toHaveLength(1);
    expect(third!.attempt).toBe(1);
    expect(selectorPromptOf(third!).slice(1)).toEqual([
      { role: 'assistant', content: 'planner' },
      { role: 'user', content: 'planner may not speak next. Answer with exactly one of: coder, tester.' },
    ]);
    expect(selectorPromptOf(fourth!).slice(3)).toEqual([
      { role: 'assistant', content: 'nobody' },
      { role: 'user', content: 'Your answer names no team member. Answer with exactly one of: coder, tester.' },
    ]);
    expect(selectorPromptOf(fourth!)[0]).toEqual(selectorPromptOf(second!)[0]);
  });

  it('falls back to the first candidate after maxAttempts when the last speaker may not repeat', async () => {
    const { speakers, choices, runtime } = await runSelector(['coder', '??', 'coder and tester'], { maxAttempts: 2 }, 2);
    expect(speakers).toEqual(['coder', 'planner']);
    expect(choices[1]).toEqual({ speaker: 'planner', by: 'fallback', attempts: 2 });
    expect(selectorPromptOf(runtime.selectRequests[2]!).at(-1)!.content).toBe(
      'Your answer names no team member. Answer with exactly one of: planner, tester.',
    );
  });

  it('falls back to the last speaker when it may repeat', async () => {
    const { speakers, choices } = await runSelector(['tester', 'x', 'y', 'z'], { allowRepeatedSpeaker: true }, 2);
    expect(speakers).toEqual(['tester', 'tester']);
    expect(choices[1]!.by).toBe('fallback');
  });

  it('falls back to the first agent on the first turn', async () => {
    const { speakers } = await runSelector(['a', 'b'], { maxAttempts: 2 }, 1);
    expect(speakers).toEqual(['planner']);
  });
});

describe('runTeamLoop, selector: interruption', () => {
  it('a selection cut short ends the run with turn_interrupted and no speaker', async () => {
    const team = selectorTeam({ termination: anyOf(timeout('30s'), maxMessages(20)), maxTurns: undefined });
    const run = startedRun(team, 'Build a CLI');
    const runtime = new FakeRuntime(['planner']);
    const select = runtime.selectSpeaker.bind(runtime);
    runtime.selectSpeaker = async (request) => {
      if (request.turn === 0) return select(request);
      run.clock.advance(30_000);
      run.recorder.tick();
      return INTERRUPTED;
    };
    await runTeamLoop(team, run.recorder, runtime);
    expect(run.state.messages.map((m) => m.source)).toEqual(['user', 'planner']);
    expect(run.state.events.find((e) => e.type === 'turn_interrupted')).toMatchObject({
      turn: 1,
      speaker: null,
      reason: 'timeout of 30s reached',
    });
    expect(run.state.status).toBe('completed');
  });
});
