import { maxMessages, team } from '../../src/spec';
import type { HumanTimeoutSpec } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { nextRequest, untilEvent } from '../helpers/waiting';

const waitsFor = (timeout: HumanTimeoutSpec) =>
  team('deadline')
    .roundRobin()
    .model({ model: 'scripted' })
    .human('person', { description: 'Answers, or not.', timeout })
    .agent('writer', { description: 'Writes.' })
    .terminateWhen(maxMessages(3))
    .build();

describe('deadlines on questions to people', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: { agents: { writer: ['ok'] } } });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
  });
  afterAll(async () => {
    await env?.stop();
    await model?.close();
  });

  it('continue: the default message stands in for the answer', async () => {
    const runId = await env.client.start(waitsFor({ after: '1500ms', action: 'continue', message: 'No comment.' }), 'Go.');
    const request = await nextRequest(env.client, runId);
    expect(request.deadline).toBe(request.since + 1500);
    const received = await untilEvent(env.client, runId, (e) => e.type === 'input_received');
    expect(received).toMatchObject({ action: 'input', by: 'deadline', timedOut: true });
    const result = await env.client.result(runId);
    expect(result.messages.map((m) => [m.source, m.content])).toEqual([
      ['user', 'Go.'],
      ['person', 'No comment.'],
      ['writer', 'ok'],
    ]);
  });

  it('reject: the run ends rejected, saying no answer came', async () => {
    const runId = await env.client.start(waitsFor({ after: '1s', action: 'reject' }), 'Go.');
    const result = await env.client.result(runId);
    expect(result.snapshot).toMatchObject({ status: 'rejected', stopReason: 'rejected: no answer within 1s' });
  });

  it('an answer in time wins over the deadline', async () => {
    const runId = await env.client.start(waitsFor({ after: '30s', action: 'reject' }), 'Go.');
    await nextRequest(env.client, runId);
    await env.client.answer(runId, { action: 'input', text: 'in time' });
    const result = await env.client.result(runId);
    expect(result.snapshot.status).toBe('completed');
    expect(result.messages[1]?.content).toBe('in time');
  });
});
