import type { RunEvent } from '../../src/core/events';
import { runLocal } from '../../src/local/run-local';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { REVIEW_SCRIPT, REVIEW_TURNS, exampleTeam, reviewTeam } from '../helpers/teams';

describe('round-robin team run on a real Temporal server', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: REVIEW_SCRIPT });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
  });
  afterAll(async () => {
    await env?.stop();
    await model?.close();
  });
  beforeEach(() => model.reset());

  it('runs agents in order until the reviewer approves, with the stop reason', async () => {
    const runId = await env.client.start(reviewTeam(), 'Write a note.');
    const result = await env.client.result(runId);

    expect(result.snapshot.status).toBe('completed');
    expect(result.snapshot.stopReason).toBe('"APPROVED" mentioned by reviewer');
    expect(result.snapshot.stoppedBy).toEqual(['text_mention']);
    expect(result.messages.map((m) => [m.source, m.content])).toEqual([['user', 'Write a note.'], ...REVIEW_TURNS]);
    expect(result.messages.map((m) => m.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(model.countRequests()).toBe(6);
  });

  it('sends each agent its own view: own messages as assistant, others as named user messages', async () => {
    const runId = await env.client.start(reviewTeam(), 'Write a note.');
    await env.client.result(runId);
    const writerSecond = model.requests.filter((r) => r.agent === 'writer')[1]!;
    const roles = (writerSecond.messages as { role: string; name?: string }[]).map((m) => `${m.role}:${m.name ?? ''}`);
    expect(roles).toEqual(['system:', 'user:user', 'user:researcher', 'assistant:', 'user:reviewer', 'user:researcher']);
    expect(writerSecond.runId).toBe(runId);
    expect(writerSecond.turn).toBe(4);
  });

  it('stops at max_messages, the task message counted', async () => {
    const team = reviewTeam({ maxMsgs: 3 });
    const result = await env.client.result(await env.client.start(team, 'Go.'));
    expect(result.snapshot.turns).toBe(2);
    expect(result.snapshot.stopReason).toBe('maximum of 3 messages reached');
  });

  it('numbers events without gaps and ends them with run_finished', async () => {
    const runId = await env.client.start(reviewTeam(), 'Write a note.');
    const followed: RunEvent[] = [];
    for await (const event of env.client.follow(runId)) followed.push(event);

    expect(followed.map((e) => e.seq)).toEqual(followed.map((_, i) => i + 1));
    expect(followed[0]!.type).toBe('run_started');
    expect(followed.at(-1)).toMatchObject({ type: 'run_finished', status: 'completed' });
    const speakers = followed.flatMap((e) => (e.type === 'turn_started' ? [e.speaker] : []));
    expect(speakers).toEqual(['researcher', 'writer', 'reviewer', 'researcher', 'writer', 'reviewer']);
    const statuses = followed.flatMap((e) => (e.type === 'status_changed' ? [e.status] : []));
    expect(statuses).toEqual(['working', 'completed']);
  });

  it('answers status and transcript for a finished run', async () => {
    const runId = await env.client.start(reviewTeam(), 'Write a note.');
    await env.client.result(runId);
    const state = await env.client.getState(runId);
    expect(state).toMatchObject({ runId, team: 'review', status: 'completed', turns: 6, messageCount: 7 });
    expect(state.usage.completionTokens).toBeGreaterThan(0);
    const page = await env.client.transcript(runId, 2, 2);
    expect(page.messages.map((m) => m.content)).toEqual(['draft one', 'needs work']);
    expect(page.total).toBe(7);
  });

  it('gives the same transcript as runLocal with the same script (one core drives both)', async () => {
    const team = reviewTeam();
    const durable = await env.client.result(await env.client.start(team, 'Same task.'));
    const local = await runLocal(team, 'Same task.', { model: { baseUrl: model.baseUrl } });
    const strip = (ms: { source: string; content: string; kind: string }[]) =>
      ms.map(({ source, content, kind }) => ({ source, content, kind }));
    expect(local.status).toBe('completed');
    expect(strip(local.messages)).toEqual(strip(durable.messages));
    expect(local.stop?.reason).toBe(durable.snapshot.stopReason);
  });

  it('runs the example team file to completion', async () => {
    const result = await env.client.result(await env.client.start(exampleTeam(), 'Write a note.'));
    expect(result.snapshot.status).toBe('completed');
    expect(result.snapshot.turns).toBe(6);
  });
});
