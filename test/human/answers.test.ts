import { maxMessages, team } from '../../src/spec';
import { MAX_ANSWER_CHARS } from '../../src/core/human';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { answerSignal, answerUpdate } from '../../workflows/definitions';
import { nextRequest, untilEvent } from '../helpers/waiting';

const askOnce = () => team('asks').roundRobin().human('person', { description: 'Answers.' }).terminateWhen(maxMessages(2)).build();

describe('answers to a waiting run', () => {
  let env: TestWorker;

  beforeAll(async () => {
    env = await startTestWorker();
  });
  afterAll(async () => env?.stop());

  it('an answer to a request that is not pending is refused with the reason and changes nothing', async () => {
    const runId = await env.client.start(askOnce(), 'Say something.');
    const request = await nextRequest(env.client, runId);
    await expect(env.client.answer(runId, { action: 'input', text: 'late', requestId: 'req-99' })).rejects.toThrow(
      `refused the answer: request "req-99" is not pending; the run is waiting on request "${request.requestId}"`,
    );
    await expect(env.client.answer(runId, { action: 'approve' })).rejects.toThrow('waits for input (or reject), not approve');
    const state = await env.client.getState(runId);
    expect(state).toMatchObject({ status: 'input-required', messageCount: 1 });
    expect(state.pendingInput).toMatchObject({ requestId: request.requestId, answered: false });
    await env.client.answer(runId, { action: 'input', text: 'now' });
    await env.client.result(runId);
  });

  it('two answers at once: exactly one is taken', async () => {
    // Two questions, so the run is still going when the losing answers arrive.
    const twice = team('twice').roundRobin().human('person', { description: 'Answers.' }).terminateWhen(maxMessages(3)).build();
    const runId = await env.client.start(twice, 'Say something.');
    const { requestId } = await nextRequest(env.client, runId);
    const handle = env.client.client.workflow.getHandle(runId);
    const outcomes = await Promise.allSettled([
      handle.executeUpdate(answerUpdate, { args: [{ requestId, action: 'input', text: 'first' }] }),
      handle.executeUpdate(answerUpdate, { args: [{ requestId, action: 'input', text: 'second' }] }),
      handle.executeUpdate(answerUpdate, { args: [{ requestId, action: 'input', text: 'third' }] }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const refused of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
      expect(String(refused.reason.cause?.message ?? refused.reason.message)).toMatch(/already been answered|is not pending/);
    }
    await env.client.stop(runId, 'enough');
    const result = await env.client.result(runId);
    expect(result.messages.filter((m) => m.source === 'person')).toHaveLength(1);
  });

  it('a refused signal is recorded as answer_refused and changes nothing', async () => {
    const runId = await env.client.start(askOnce(), 'Say something.');
    const request = await nextRequest(env.client, runId);
    const handle = env.client.client.workflow.getHandle(runId);
    await handle.signal(answerSignal, { requestId: 'req-7', action: 'input', text: 'stale' });
    const refused = await untilEvent(env.client, runId, (e) => e.type === 'answer_refused');
    expect(refused).toMatchObject({ requestId: 'req-7', reason: expect.stringContaining('is not pending') });
    expect((await env.client.getState(runId)).pendingInput?.requestId).toBe(request.requestId);
    await handle.signal(answerSignal, { requestId: request.requestId, action: 'input', text: 'by signal' });
    expect((await env.client.result(runId)).messages.at(-1)?.content).toBe('by signal');
  });

  it('empty and oversized answers are refused with the limit named; a finished run says it has ended', async () => {
    const runId = await env.client.start(askOnce(), 'Say something.');
    await nextRequest(env.client, runId);
    await expect(env.client.answer(runId, { action: 'input', text: '   ' })).rejects.toThrow('the answer is empty');
    const huge = 'x'.repeat(MAX_ANSWER_CHARS + 1);
    await expect(env.client.answer(runId, { action: 'input', text: huge })).rejects.toThrow(`the limit is ${MAX_ANSWER_CHARS} (64 KiB)`);
    // The workflow's own validator holds the same line for callers that skip the client.
    const handle = env.client.client.workflow.getHandle(runId);
    const { requestId } = (await env.client.getState(runId)).pendingInput!;
    await expect(handle.executeUpdate(answerUpdate, { args: [{ requestId, action: 'input', text: huge }] })).rejects.toThrow();
    await env.client.answer(runId, { action: 'input', text: 'fine' });
    await env.client.result(runId);
    await expect(env.client.answer(runId, { action: 'input', text: 'again' })).rejects.toThrow(
      `run "${runId}" has already ended (completed)`,
    );
  });

  it('a run that is not waiting says so', async () => {
    const slow = team('busy').roundRobin().human('person', { description: 'Answers.' }).terminateWhen(maxMessages(3)).build();
    const runId = await env.client.start(slow, 'Go.');
    const first = await nextRequest(env.client, runId);
    await env.client.answer(runId, { action: 'input', text: 'one' });
    await nextRequest(env.client, runId, first.seq); // the second question is pending again
    await env.client.stop(runId, 'done');
    await env.client.result(runId);
    await expect(env.client.answer(runId, { action: 'input', text: 'x' })).rejects.toThrow('has already ended');
  });
});
