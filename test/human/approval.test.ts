import { anyOf, maxMessages, team, textMention, timeout } from '../../src/spec';
import type { ApprovalSpec } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { nextRequest } from '../helpers/waiting';

const reviewed = (approval: ApprovalSpec = {}) =>
  team('gated')
    .roundRobin()
    .model({ model: 'scripted' })
    .agent('writer', { description: 'Writes drafts.' })
    .agent('reviewer', { description: 'Reviews drafts.' })
    .terminateWhen(anyOf(textMention('APPROVED', { sources: ['reviewer'] }), maxMessages(20)))
    .approval(approval)
    .build();

describe('approval gates', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;

  beforeAll(async () => {
    model = await startScriptedModelServer({
      script: { agents: { writer: ['draft one', 'PLAN READY: outline', 'draft three'], reviewer: ['APPROVED', 'APPROVED', 'APPROVED'] } },
    });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
  });
  afterAll(async () => {
    await env?.stop();
    await model?.close();
  });

  it('asks before completing; approve completes the run', async () => {
    const runId = await env.client.start(reviewed(), 'Write.');
    const request = await nextRequest(env.client, runId);
    expect(request).toMatchObject({ kind: 'approval', reason: 'final_approval', from: 'approval' });
    expect(request.prompt).toContain('"APPROVED" mentioned by reviewer');
    expect((await env.client.getState(runId)).status).toBe('input-required');

    await env.client.answer(runId, { action: 'approve', text: 'ship it' });
    const result = await env.client.result(runId);
    expect(result.snapshot).toMatchObject({ status: 'completed', stopReason: '"APPROVED" mentioned by reviewer', turns: 2 });
    expect(result.messages.at(-1)).toMatchObject({ source: 'user', content: 'ship it', turn: null });
  });

  it('reject ends the run rejected with the reason', async () => {
    const runId = await env.client.start(reviewed(), 'Write.');
    await nextRequest(env.client, runId);
    await env.client.answer(runId, { action: 'reject', text: 'off brand', by: 'bob' });
    const result = await env.client.result(runId);
    expect(result.snapshot).toMatchObject({
      status: 'rejected',
      stopReason: 'rejected: off brand',
      rejection: { reason: 'off brand', by: 'bob' },
    });
  });

  it('request changes: the comment becomes a message and the team goes another round', async () => {
    const runId = await env.client.start(reviewed(), 'Write.');
    const first = await nextRequest(env.client, runId);
    await env.client.answer(runId, { action: 'request_changes', text: 'Add a title.' });
    const second = await nextRequest(env.client, runId, first.seq);
    expect(second.reason).toBe('final_approval');
    await env.client.answer(runId, { action: 'approve' });
    const result = await env.client.result(runId);
    expect(result.snapshot.status).toBe('completed');
    expect(result.messages.map((m) => [m.source, m.content])).toEqual([
      ['user', 'Write.'],
      ['writer', 'draft one'],
      ['reviewer', 'APPROVED'],
      ['user', 'Add a title.'],
      ['writer', 'PLAN READY: outline'],
      ['reviewer', 'APPROVED'],
    ]);
  });

  it('request changes after a counting condition held: the conditions start afresh for the new round', async () => {
    const counted = { ...reviewed(), termination: maxMessages(3) };
    const runId = await env.client.start(counted, 'Write.');
    const first = await nextRequest(env.client, runId);
    await env.client.answer(runId, { action: 'request_changes', text: 'Once more.' });
    const second = await nextRequest(env.client, runId, first.seq);
    expect(second.reason).toBe('final_approval');
    const state = await env.client.getState(runId);
    // Not asked again on the comment itself: the comment and two more turns make the three messages.
    expect(state.turns).toBe(4);
    expect(state.messageCount).toBe(6);
    await env.client.answer(runId, { action: 'approve' });
    expect((await env.client.result(runId)).snapshot.status).toBe('completed');
  });

  it('`when` asks mid-run each time its condition holds; approve lets the team go on', async () => {
    const gate = reviewed({ beforeCompletion: false, when: textMention('PLAN READY', { sources: ['writer'] }) });
    const runId = await env.client.start({ ...gate, termination: maxMessages(6) }, 'Write.');
    const request = await nextRequest(env.client, runId);
    expect(request).toMatchObject({ kind: 'approval', reason: 'approval_gate' });
    expect(request.prompt).toContain('"PLAN READY" mentioned by writer');
    const state = await env.client.getState(runId);
    expect(state.lastMessage?.content).toBe('PLAN READY: outline');
    await env.client.answer(runId, { action: 'approve' });
    const result = await env.client.result(runId);
    expect(result.snapshot).toMatchObject({ status: 'completed', turns: 5 });
  });
});

describe('a timeout round, restarted by a request for changes', () => {
  it('the timeout counts again from the request, with a new durable timer', async () => {
    const model = await startScriptedModelServer({ script: { latencyMs: 400, agents: { writer: ['w'], reviewer: ['r'] } } });
    const env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
    try {
      const timed = { ...reviewed(), termination: timeout('1s') };
      const runId = await env.client.start(timed, 'Write.');
      const first = await nextRequest(env.client, runId);
      expect(first.prompt).toContain('timeout of 1s reached');
      const turnsBefore = (await env.client.getState(runId)).turns;
      await env.client.answer(runId, { action: 'request_changes', text: 'Keep going.' });
      const second = await nextRequest(env.client, runId, first.seq);
      expect(second.prompt).toContain('timeout of 1s reached');
      // The new round ran turns before its own timer fired (the first one's was long gone).
      expect((await env.client.getState(runId)).turns).toBeGreaterThan(turnsBefore);
      await env.client.answer(runId, { action: 'approve' });
      expect((await env.client.result(runId)).snapshot.status).toBe('completed');
    } finally {
      await env.stop();
      await model.close();
    }
  });
});
