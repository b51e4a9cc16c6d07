import { anyOf, maxMessages, team, textMention } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { nextRequest } from '../helpers/waiting';

/** A writer and a human editor, taking turns. */
const withEditor = () =>
  team('edited')
    .roundRobin()
    .model({ model: 'scripted' })
    .agent('writer', { description: 'Writes drafts.' })
    .human('editor', { description: 'A person who edits.', prompt: 'Edit the draft, or say DONE.' })
    .terminateWhen(anyOf(textMention('DONE', { sources: ['editor'] }), maxMessages(9)))
    .build();

describe('a human participant', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: { agents: { writer: ['draft one', 'draft two'] } } });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
  });
  afterAll(async () => {
    await env?.stop();
    await model?.close();
  });

  it('on its turn the run waits input-required with the prompt; the answer is its message', async () => {
    const runId = await env.client.start(withEditor(), 'Write a note.');
    const request = await nextRequest(env.client, runId);
    expect(request).toMatchObject({
      kind: 'input',
      reason: 'human_turn',
      to: 'editor',
      prompt: 'Edit the draft, or say DONE.',
      deadline: null,
    });

    const waiting = await env.client.getState(runId);
    expect(waiting.status).toBe('input-required');
    expect(waiting.pendingInput).toMatchObject({ requestId: request.requestId, answered: false });

    const receipt = await env.client.answer(runId, { action: 'input', text: 'Shorter, please.', by: 'alice' });
    expect(receipt).toEqual({ requestId: request.requestId, delivery: 'accepted' });

    const second = await nextRequest(env.client, runId, request.seq);
    expect(second.requestId).not.toBe(request.requestId);
    await env.client.answer(runId, { action: 'input', text: 'DONE' });

    const result = await env.client.result(runId);
    expect(result.snapshot).toMatchObject({ status: 'completed', stopReason: '"DONE" mentioned by editor', turns: 4 });
    expect(result.messages.map((m) => [m.source, m.content, m.turn])).toEqual([
      ['user', 'Write a note.', null],
      ['writer', 'draft one', 0],
      ['editor', 'Shorter, please.', 1],
      ['writer', 'draft two', 2],
      ['editor', 'DONE', 3],
    ]);
    // The writer saw the editor's words as a named user message.
    const writerSecond = model.requests.filter((r) => r.runId === runId && r.agent === 'writer')[1]!;
    expect(writerSecond.messages).toContainEqual({ role: 'user', content: 'Shorter, please.', name: 'editor' });
  });

  it('rejecting an input request ends the run rejected, with the reason', async () => {
    const runId = await env.client.start(withEditor(), 'Write a note.');
    await nextRequest(env.client, runId);
    await env.client.answer(runId, { action: 'reject', text: 'wrong topic' });
    const result = await env.client.result(runId);
    expect(result.snapshot).toMatchObject({
      status: 'rejected',
      stopReason: 'rejected: wrong topic',
      rejection: { reason: 'wrong topic' },
    });
  });

  it('a stop request ends a run waiting on a person at once', async () => {
    const runId = await env.client.start(withEditor(), 'Write a note.');
    await nextRequest(env.client, runId);
    await env.client.stop(runId, 'out of time');
    const result = await env.client.result(runId);
    expect(result.snapshot).toMatchObject({ status: 'completed', stopReason: 'stopped on request: out of time', pendingInput: null });
  });

  it('a team of people only needs no model at all', async () => {
    const people = team('people')
      .roundRobin()
      .human('ann', { description: 'First.' })
      .human('bob', { description: 'Second.' })
      .terminateWhen(maxMessages(3))
      .build();
    const runId = await env.client.start(people, 'Talk.');
    const ann = await nextRequest(env.client, runId);
    await env.client.answer(runId, { action: 'input', text: 'hi bob' });
    const bob = await nextRequest(env.client, runId, ann.seq);
    expect(bob.to).toBe('bob');
    await env.client.answer(runId, { action: 'input', text: 'hi ann' });
    const result = await env.client.result(runId);
    expect(result.messages.map((m) => m.source)).toEqual(['user', 'ann', 'bob']);
  });
});
