import { TaskState } from '@a2a-js/sdk';
import { REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';
import { startA2AEnv, sendParams, userMessage, type A2AEnv } from './a2a-env';

/**
 * Stopping a front end the way a load balancer needs: not ready at once, requests in flight
 * finished, streams ended so their clients go elsewhere, nothing new taken. The run itself lives
 * in Temporal and is untouched.
 */
describe('a front end told to stop', () => {
  let env: A2AEnv;
  beforeEach(async () => {
    // Each reply takes a second, so a blocking SendMessage is still in flight when close() comes.
    const slow = Object.fromEntries(Object.entries(REVIEW_SCRIPT.agents).map(([name, replies]) => [name, { replies, latencyMs: 1_000 }]));
    env = await startA2AEnv([reviewTeam()], { agents: slow });
  });
  afterEach(async () => {
    await env.worker.stop();
    await env.model.close();
  });

  it('finishes a blocking SendMessage in flight, ends streams, is not ready meanwhile and takes no new connections', async () => {
    const client = await env.clientFor('review');
    const blocking = client.sendMessage(sendParams(userMessage('Write a note.')));
    const stream = client.sendMessageStream(sendParams(userMessage('Write another note.')));
    const first = await stream.next(); // the stream is open and serving
    expect(first.done).toBe(false);
    // A keep-alive connection opened before the stop, to ask /readyz on while it drains.
    const ready = async () => (await fetch(`${env.server.listenUrl}/readyz`)).status;
    expect(await ready()).toBe(200);

    const closing = env.server.close({ graceMs: 30_000 });
    let streamEnded = false;
    try {
      for (;;) if ((await stream.next()).done) break;
      streamEnded = true;
    } catch {
      streamEnded = true; // cut off: the client subscribes again elsewhere
    }
    expect(streamEnded).toBe(true);

    const result = await blocking;
    expect('status' in result && result.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    await closing;
    await expect(fetch(`${env.server.listenUrl}/healthz`)).rejects.toThrow();
  });

  it('with a drain delay, goes on serving while /readyz says "draining", then stops', async () => {
    const ready = async () => {
      const res = await fetch(`${env.server.listenUrl}/readyz`);
      return { status: res.status, body: (await res.json()) as { status: string } };
    };
    expect((await ready()).status).toBe(200);
    const closing = env.server.close({ graceMs: 5_000, drainDelayMs: 2_000 });
    expect(await ready()).toEqual({ status: 503, body: expect.objectContaining({ status: 'draining' }) });
    // Still serving meanwhile: a card is read as ever.
    expect((await fetch(`${env.server.teamUrls.review}.well-known/agent-card.json`)).status).toBe(200);
    await closing;
    await expect(fetch(`${env.server.listenUrl}/healthz`)).rejects.toThrow();
  });
});
