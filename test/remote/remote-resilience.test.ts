import { startA2AServer, type A2AServer } from '../../src/server/server';
import { maxMessages, team, type TeamSpec } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, testTemporalAddress, uniqueTaskQueue, type TestWorker } from '../../src/testing/temporal-env';
import { startWorkerProcess, type WorkerProcess } from '../../src/testing/worker-process';
import { TeamClient } from '../../src/client/team-client';
import { REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';
import { startA2AProxy, type A2AProxy } from './a2a-proxy';

/**
 * A remote A2A participant under stress: a flaky network, a worker killed mid-call, a run
 * cancelled mid-call. The remote is our own review team behind its A2A front end, reached
 * through a proxy that counts what reaches it and can refuse calls with 503.
 */
describe('a remote A2A participant, retry-safe', () => {
  let remoteModel: ScriptedModelServer;
  let callerModel: ScriptedModelServer;
  let remoteWorker: TestWorker;
  let front: A2AServer;
  let proxy: A2AProxy;
  let caller: TestWorker;

  const callerTeam = (name: string, extra: Partial<Parameters<ReturnType<typeof team>['remote']>[1]> = {}): TeamSpec =>
    team(name)
      .roundRobin()
      .model({ model: 'scripted' })
      .agent('editor', { description: 'Writes the brief.' })
      .remote('reviewers', {
        description: 'The review team, over A2A.',
        card: `${proxy.url}/teams/review/.well-known/agent-card.json`,
        pollInterval: '100ms',
        retry: { initialInterval: '50ms', maximumInterval: '200ms', maximumAttempts: 20 },
        ...extra,
      })
      .terminateWhen(maxMessages(3))
      .build();

  const sendsOf = (runId: string) => proxy.forwarded.filter((c) => c.messageId?.startsWith(`${runId}/`)).map((c) => c.messageId);

  beforeAll(async () => {
    // The remote team's turns take a while, so a call to it is in flight long enough to disturb.
    remoteModel = await startScriptedModelServer({
      script: {
        agents: Object.fromEntries(Object.entries(REVIEW_SCRIPT.agents).map(([name, replies]) => [name, { replies, latencyMs: 1_000 }])),
      },
    });
    callerModel = await startScriptedModelServer({ script: { agents: { editor: ['brief one', 'brief two'] } } });
    remoteWorker = await startTestWorker({ model: { baseUrl: remoteModel.baseUrl } });
    proxy = await startA2AProxy();
    front = await startA2AServer({
      teams: [reviewTeam()],
      client: remoteWorker.client,
      port: 0,
      publicUrl: proxy.url,
      version: 'test',
      tokens: null,
      secrets: null,
    });
    proxy.target = front.listenUrl;
    caller = await startTestWorker({ model: { baseUrl: callerModel.baseUrl } });
  });
  afterAll(async () => {
    await caller?.stop();
    await front?.close();
    await proxy?.close();
    await remoteWorker?.stop();
    await remoteModel?.close();
    await callerModel?.close();
  });
  beforeEach(() => {
    proxy.fail503Every = 0;
  });

  it('completes through a network that refuses every other call; the message reached the remote once', async () => {
    proxy.fail503Every = 2;
    const runId = await caller.client.start(callerTeam('flaky'), 'Plan a note.');
    const { snapshot, messages } = await caller.client.result(runId);
    expect(snapshot.status).toBe('completed');
    expect(messages.at(-1)).toMatchObject({ source: 'reviewers', content: 'APPROVED' });
    expect(proxy.refused).toBeGreaterThan(0);
    expect(sendsOf(runId)).toEqual([`${runId}/turn-1/reviewers`]);
  });

  it('follows a remote task that works for seconds by its stream, not by polling', async () => {
    const seen = proxy.forwarded.length;
    const runId = await caller.client.start(callerTeam('streamed'), 'Plan a note.');
    const { snapshot } = await caller.client.result(runId);
    expect(snapshot.status).toBe('completed');
    const calls = proxy.forwarded.slice(seen).map((c) => c.method);
    // The remote's turns take a second each, so polling every 100 ms would have asked many times;
    // a stream tells when the task is done, and GetTask then reads it once per subscription.
    const count = (method: string) => calls.filter((m) => m === method).length;
    expect(count('SendMessage')).toBe(1);
    expect(count('SubscribeToTask')).toBeGreaterThanOrEqual(1);
    expect(count('GetTask')).toBeLessThanOrEqual(count('SubscribeToTask'));
  });

  it('cancels the remote task when our run is cancelled mid-call', async () => {
    // A short heartbeat timeout: cancellation reaches an activity with its next heartbeat.
    const runId = await caller.client.start(callerTeam('cancelled', { timeouts: { heartbeat: '1s' } }), 'Plan a note.');
    while (sendsOf(runId).length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    await caller.client.cancel(runId);
    await expect(caller.client.result(runId)).rejects.toThrow(/cancel/i);
    // The remote run (on its own task queue) ends canceled too: our activity told the remote.
    const remoteStatus = async () => {
      for await (const info of remoteWorker.client.client.workflow.list({ query: `TaskQueue = '${remoteWorker.taskQueue}'` })) {
        if (info.memo?.contextId === `${runId}/reviewers`) return info.status.name;
      }
      return null;
    };
    let status = await remoteStatus();
    for (let i = 0; i < 200 && status !== 'CANCELLED'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await remoteStatus();
    }
    expect(status).toBe('CANCELLED');
    expect(proxy.forwarded.some((c) => c.method === 'CancelTask')).toBe(true);
  });

  it('resumes the same remote task after the worker is killed mid-call, without sending again', async () => {
    const taskQueue = uniqueTaskQueue('remote-kill');
    const client = await TeamClient.connect({ address: testTemporalAddress(), namespace: 'default', taskQueue });
    const workers: WorkerProcess[] = [];
    try {
      workers.push(await startWorkerProcess({ address: testTemporalAddress(), taskQueue, modelBaseUrl: callerModel.baseUrl }));
      // A short heartbeat timeout, so the retry after the kill comes soon.
      // Killed once the remote task is being followed (its id has been heartbeated by then): the
      // remote's card says it streams, so the activity subscribes to the task.
      const follows = () => proxy.forwarded.filter((c) => c.method === 'SubscribeToTask').length;
      const before = follows();
      const runId = await client.start(callerTeam('killed', { timeouts: { heartbeat: '2s' } }), 'Plan a note.');
      while (sendsOf(runId).length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      while (follows() === before) await new Promise((resolve) => setTimeout(resolve, 50));
      // Heartbeats go out at most every 0.8 × the heartbeat timeout: let the one with the task id land.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await workers[0]!.kill('SIGKILL');
      workers.push(await startWorkerProcess({ address: testTemporalAddress(), taskQueue, modelBaseUrl: callerModel.baseUrl }));

      const { snapshot, messages } = await client.result(runId);
      expect(snapshot.status).toBe('completed');
      expect(messages.map((m) => m.source)).toEqual(['user', 'editor', 'reviewers']);
      expect(sendsOf(runId)).toEqual([`${runId}/turn-1/reviewers`]);
    } finally {
      for (const worker of workers) await worker.kill('SIGKILL');
      await client.close();
    }
  }, 90_000);
});
