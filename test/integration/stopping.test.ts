import { setTimeout as sleep } from 'node:timers/promises';
import type { RunEvent } from '../../src/core/events';
import { anyOf, external, maxMessages, team, timeout, tokenUsage } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { RunEndedError } from '../../src/temporal/errors';

/** Two agents answering slowly, so a test can act while a turn is in flight. */
const slowPair = (termination = maxMessages(20), timeouts = { heartbeat: '1s' }) =>
  team('pair')
    .roundRobin()
    .model({ model: 'scripted' })
    .agent('alice', { description: 'Speaks first.', timeouts })
    .agent('bob', { description: 'Speaks second.', timeouts })
    .terminateWhen(termination)
    .build();

async function waitForEvent(env: TestWorker, runId: string, match: (e: RunEvent) => boolean): Promise<RunEvent> {
  for await (const event of env.client.follow(runId)) if (match(event)) return event;
  throw new Error(`run ${runId} ended without the awaited event`);
}

describe('stopping a run', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;

  beforeAll(async () => {
    model = await startScriptedModelServer({
      script: {
        latencyMs: 1_000,
        agents: {
          alice: ['a1', 'a2', 'a3'],
          bob: ['b1', 'b2', 'b3'],
          // For the timeout: a first turn far inside it and a second far past it, whatever the machine's load.
          quick: { replies: ['q1'], latencyMs: 100 },
          slow: { replies: ['s1'], latencyMs: 20_000 },
        },
      },
    });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
  });
  afterAll(async () => {
    await env?.stop();
    await model?.close();
  });
  beforeEach(() => model.reset());

  it('timeout holds on durable workflow time and interrupts the turn in flight', async () => {
    const quickThenSlow = team('pair')
      .roundRobin()
      .model({ model: 'scripted' })
      .agent('quick', { description: 'Speaks first, at once.', timeouts: { heartbeat: '1s' } })
      .agent('slow', { description: 'Speaks second, slowly.', timeouts: { heartbeat: '1s' } })
      // Long enough for quick's turn on a busy machine (at 1.5 s it once ended before slow began),
      // far shorter than slow's 20 s reply.
      .terminateWhen(timeout('5s'))
      .build();
    const runId = await env.client.start(quickThenSlow, 'Talk.');
    const events: RunEvent[] = [];
    for await (const event of env.client.follow(runId)) events.push(event);

    const state = await env.client.getState(runId);
    expect(state.status).toBe('completed');
    expect(state.stoppedBy).toEqual(['timeout']);
    expect(state.stopReason).toBe('timeout of 5s reached');
    expect(state.turns).toBe(1); // quick finished; slow was cut short
    expect(events.some((e) => e.type === 'turn_interrupted' && e.speaker === 'slow')).toBe(true);
  });

  it('a stop request ends the run after the turn in flight, with its reason', async () => {
    const runId = await env.client.start(slowPair(anyOf(maxMessages(20), external())), 'Talk.');
    await waitForEvent(env, runId, (e) => e.type === 'turn_started' && e.speaker === 'alice');
    await env.client.stop(runId, 'enough for today');
    const result = await env.client.result(runId);
    expect(result.snapshot.stopReason).toBe('stopped on request: enough for today');
    expect(result.snapshot.turns).toBe(1); // alice's turn in flight was finished, not cut
    expect(result.messages.at(-1)!.content).toBe('a1');
  });

  it('a stop request works even when the team names no external condition', async () => {
    const runId = await env.client.start(slowPair(maxMessages(20)), 'Talk.');
    await waitForEvent(env, runId, (e) => e.type === 'turn_started');
    await env.client.stop(runId);
    expect((await env.client.result(runId)).snapshot.stoppedBy).toEqual(['external']);
  });

  it('token_usage stops once the agents have used the budget', async () => {
    const runId = await env.client.start(slowPair(tokenUsage({ maxCompletionTokens: 2 })), 'Talk.');
    const { snapshot } = await env.client.result(runId);
    expect(snapshot.stoppedBy).toEqual(['token_usage']);
    expect(snapshot.usage.completionTokens).toBeGreaterThanOrEqual(2);
  });

  it('cancel ends the run canceled, cancels the model call in flight, and runs no further turn', async () => {
    const runId = await env.client.start(slowPair(), 'Talk.');
    await waitForEvent(env, runId, (e) => e.type === 'turn_started' && e.speaker === 'bob');
    await env.client.cancel(runId);

    await expect(env.client.result(runId)).rejects.toThrow(RunEndedError);
    await expect(env.client.result(runId)).rejects.toMatchObject({ status: 'canceled' });
    const state = await env.client.getState(runId);
    expect(state.status).toBe('canceled');
    expect(state.turns).toBe(1);

    // The activity learns of the cancellation at its next heartbeat and aborts the HTTP call.
    await sleep(1_500);
    expect(model.countRequests()).toBe(2);
    expect(model.requests[1]).toMatchObject({ agent: 'bob', abandoned: true });
  });

  it('cancelling a finished run says it has ended', async () => {
    const runId = await env.client.start(slowPair(maxMessages(2)), 'Talk.');
    await env.client.result(runId);
    await expect(env.client.cancel(runId)).rejects.toThrow(/has already ended \(completed\)/);
  });
});
