import { maxMessages, team } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { runLocal } from '../../src/local/run-local';
import { REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';
import { untilEvent } from '../helpers/waiting';

/** A team as one participant of another: the inner team runs as a child workflow. */
describe('nested teams', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;

  beforeAll(async () => {
    model = await startScriptedModelServer({
      script: { agents: { ...REVIEW_SCRIPT.agents, editor: ['brief one'], sleeper: { replies: ['zzz'], latencyMs: 60_000 } } },
    });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
  });
  afterAll(async () => {
    await env?.stop();
    await model?.close();
  });

  const outer = (name: string, inner = reviewTeam()) =>
    team(name)
      .roundRobin()
      .model({ model: 'scripted' })
      .agent('editor', { description: 'Writes the brief.' })
      .nested('reviewers', { description: 'The review team.', team: inner })
      .terminateWhen(maxMessages(3))
      .build();

  it("runs the inner team on the conversation and takes its final answer as the participant's message", async () => {
    const runId = await env.client.start(outer('outer'), 'Plan a note.');
    const { snapshot, messages } = await env.client.result(runId);

    expect(snapshot.status).toBe('completed');
    expect(messages.map((m) => [m.source, m.content, m.model ?? null])).toEqual([
      ['user', 'Plan a note.', null],
      ['editor', 'brief one', 'scripted'],
      ['reviewers', 'APPROVED', 'team:review'],
    ]);
    // The inner team's tokens count as the turn's.
    expect(messages[2]!.usage!.promptTokens).toBeGreaterThan(0);

    const inner = await env.client.result(`${runId}/turn-1/reviewers`);
    expect(inner.snapshot.status).toBe('completed');
    expect(inner.snapshot.turns).toBe(6);
    expect(inner.messages[0]!.content).toBe('[user] Plan a note.\n\n[editor] brief one');
  });

  it('cancels the inner run with the outer one', async () => {
    const slow = team('slow-inner')
      .roundRobin()
      .model({ model: 'scripted' })
      .agent('sleeper', { description: 'Sleeps.' })
      .terminateWhen(maxMessages(2))
      .build();
    const runId = await env.client.start(outer('outer-cancel', slow), 'Plan a note.');
    await untilEvent(env.client, runId, (e) => e.type === 'turn_started' && e.speaker === 'reviewers');
    const innerId = `${runId}/turn-1/reviewers`;
    await untilEvent(env.client, innerId, (e) => e.type === 'turn_started');
    await env.client.cancel(runId);

    await expect(env.client.result(runId)).rejects.toThrow();
    const described = await env.client.client.workflow.getHandle(innerId).describe();
    expect(described.status.name).toBe('CANCELLED');
  });

  it('runs nested teams in runLocal too', async () => {
    const state = await runLocal(outer('outer-local'), 'Plan a note.', { model: { baseUrl: model.baseUrl } });
    expect(state.status).toBe('completed');
    expect(state.messages.at(-1)).toMatchObject({ source: 'reviewers', content: 'APPROVED', model: 'team:review' });
  });
});
