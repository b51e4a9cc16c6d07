import { maxMessages, team, textMention, anyOf, type TeamSpec } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import type { SpeakerContext } from '../../src/tools';

/** Picks the agent the last message mentions as "@name"; null lets the model choose. */
const byMention = ({ messages, agents }: SpeakerContext) => {
  const mention = /@(\w+)/.exec(messages.at(-1)?.content ?? '')?.[1];
  return agents.some((a) => a.name === mention) ? mention! : null;
};
const seen: SpeakerContext[] = [];

function selectorTeam(name: string, selector: { function?: string; candidateFilter?: string }): TeamSpec {
  return team(name)
    .selector({ model: 'scripted', ...selector })
    .model({ model: 'scripted' })
    .agent('planner', { description: 'Plans.' })
    .agent('coder', { description: 'Codes.' })
    .agent('reviewer', { description: 'Reviews.' })
    .terminateWhen(anyOf(textMention('APPROVED'), maxMessages(6)))
    .build();
}

describe('selector functions and candidate filters registered on the worker', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;

  beforeAll(async () => {
    model = await startScriptedModelServer({
      script: {
        agents: { planner: ['plan ready @coder'], coder: ['code ready, over to review'], reviewer: ['APPROVED'] },
        selector: [['planner', 'reviewer'], 'reviewer', 'reviewer'],
      },
    });
    env = await startTestWorker({
      model: { baseUrl: model.baseUrl },
      speakerFunctions: {
        selectors: { byMention },
        candidateFilters: {
          notPlanner: (context) => {
            seen.push(context);
            return context.agents.map((a) => a.name).filter((n) => n !== 'planner' && n !== context.lastSpeaker);
          },
        },
      },
    });
  });
  afterAll(async () => {
    await env?.stop();
    await model?.close();
  });
  beforeEach(() => {
    model.reset();
    seen.length = 0;
  });

  const choices = async (runId: string) =>
    (await env.client.events(runId)).events.flatMap((e) => (e.type === 'turn_started' ? [`${e.speaker}/${e.choice.by}`] : []));

  it('lets the function choose when it names someone, and the model (among the filtered candidates) when it does not', async () => {
    const runId = await env.client.start(
      selectorTeam('mentions', { function: 'byMention', candidateFilter: 'notPlanner' }),
      'Build it, @planner.',
    );
    const { snapshot } = await env.client.result(runId);

    expect(snapshot.status).toBe('completed');
    // planner and coder by mention; after the coder (no mention) the filter leaves only the reviewer.
    expect(await choices(runId)).toEqual(['planner/function', 'coder/function', 'reviewer/only_candidate']);
    expect(model.requests.filter((r) => r.runId === runId && r.route === 'selector')).toHaveLength(0);
    expect(seen.at(-1)).toMatchObject({ runId, turn: 2, lastSpeaker: 'coder' });
    expect(seen.at(-1)!.messages.map((m) => m.source)).toEqual(['user', 'planner', 'coder']);
  });

  it('gives the model only the filtered candidates', async () => {
    const runId = await env.client.start(selectorTeam('filtered', { candidateFilter: 'notPlanner' }), 'Build it.');
    await env.client.result(runId);
    const first = model.requests.find((r) => r.runId === runId && r.route === 'selector')!;
    const prompt = JSON.stringify(first.messages);
    expect(prompt).toContain('[coder, reviewer]');
    expect(prompt).not.toContain('planner: Plans.');
    // The scripted selector said "planner" first: not a candidate, so the model was asked again.
    expect((await choices(runId))[0]).toBe('reviewer/selector');
  });

  it('fails the run, naming what the worker has, when the function is not registered', async () => {
    const runId = await env.client.start(selectorTeam('missing', { function: 'byMood' }), 'Build it.');
    await expect(env.client.result(runId)).rejects.toThrow(
      'selector function "byMood" is not registered on this worker (it has "byMention")',
    );
  });
});
