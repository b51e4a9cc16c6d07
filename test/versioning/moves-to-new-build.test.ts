import type { Client } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { closeClient, connectClient } from '../../src/temporal/connection';
import { deploymentStatus, makeCurrentIfFirst, promoteBuild, rampBuild } from '../../src/temporal/deployments';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, testTemporalAddress, uniqueTaskQueue, type TestWorker } from '../../src/testing/temporal-env';
import { TeamClient } from '../../src/client/team-client';
import { nextRequest, until, untilEvent } from '../helpers/waiting';
import { approvalTeam, buildOf, failuresIn, longTeam, slowTeam, VERSIONING_SCRIPT } from './versioned-runs';

/**
 * Worker Versioning on a real dev server, with two builds of workers polling one task queue: runs
 * stay on the build that started them, move to a new current build at their safe points (a wait
 * for a person, a turn boundary), and a build that holds no run can be stopped. Both builds run
 * this tree's code here; deploy-two-builds.test.ts runs two different builds in their own processes.
 */

describe('runs pinned to their build, moved at safe points', () => {
  let model: ScriptedModelServer;
  let raw: Client;
  const workers: TestWorker[] = [];
  const clients: TeamClient[] = [];

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: VERSIONING_SCRIPT });
    raw = await connectClient(testTemporalAddress(), 'default');
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await Promise.all(clients.map((c) => c.close()));
    if (raw) await closeClient(raw);
    await model?.close();
  });

  const worker = async (taskQueue: string, name: string, buildId: string) => {
    const started = await startTestWorker({ taskQueue, deployment: { name, buildId }, model: { baseUrl: model.baseUrl } });
    workers.push(started);
    // Known to the server once it has polled: only then can it be made current or ramped.
    await until(
      async () => (await deploymentStatus(raw, name).catch(() => null))?.builds.some((b) => b.buildId === buildId) ?? false,
      `build ${buildId} registered`,
    );
    return started;
  };

  it('a new current build takes new runs; old runs finish or move, and the old build is then free to stop', async () => {
    const deployment = `dt-${randomBytes(3).toString('hex')}`;
    const taskQueue = uniqueTaskQueue('versioned');
    const a = await worker(taskQueue, deployment, 'A');
    expect(await makeCurrentIfFirst(raw, deployment, 'A')).toBe('made-current');
    // Its own client: A's goes when A stops.
    const client = await TeamClient.connect({ address: a.address, namespace: 'default', taskQueue });
    clients.push(client);

    const waiting = await client.start(approvalTeam, 'Write a note.');
    const asked = await nextRequest(client, waiting);
    const mid = await client.start(slowTeam, 'Think.');
    await untilEvent(client, mid, (e) => e.type === 'turn_started');
    const long = await client.start(longTeam(25), 'Go.');
    await untilEvent(client, long, (e) => e.type === 'message' && e.message.index >= 3);
    for (const runId of [waiting, mid, long]) expect(await buildOf(raw, runId)).toBe('A');

    await worker(taskQueue, deployment, 'B');
    const promoted = Date.now();
    const { nudged } = await promoteBuild(raw, deployment, 'B');
    expect(nudged).toBeGreaterThanOrEqual(1);

    // New runs go to B.
    const fresh = await client.start(approvalTeam, 'Another note.');
    await nextRequest(client, fresh);
    expect(await buildOf(raw, fresh)).toBe('B');

    // The waiting run moves to B at once, still asking the same question.
    await until(async () => (await buildOf(raw, waiting)) === 'B', 'the waiting run on B');
    const status = await client.getState(waiting);
    expect(status.status).toBe('input-required');
    expect(status.pendingInput?.requestId).toBe(asked.requestId);

    // The long conversation moves at a turn boundary; the call in flight finishes where it began.
    await until(async () => (await buildOf(raw, long)) === 'B', 'the long run on B');
    await until(
      async () => (await deploymentStatus(raw, deployment)).builds.find((b) => b.buildId === 'A')?.canStop === true,
      'A free to stop',
      60_000,
    );
    const drainedInMs = Date.now() - promoted;
    process.stdout.write(`deploys: build A held no run ${drainedInMs} ms after B was promoted\n`);

    // Stop A: everything left completes on B.
    await a.stop();
    await client.answer(waiting, { action: 'approve' });
    await client.answer(fresh, { action: 'approve' });
    const [waited, midResult, longResult] = await Promise.all([client.result(waiting), client.result(mid), client.result(long)]);
    expect(waited.snapshot.status).toBe('completed');
    expect(midResult.snapshot.status).toBe('completed');
    expect(longResult.snapshot.status).toBe('completed');
    expect(longResult.snapshot.continuedAsNew).toBeGreaterThanOrEqual(1);
    // Nothing lost or repeated across the move.
    expect(longResult.messages.map((m) => m.index)).toEqual([...Array(25).keys()]);
    expect(longResult.messages.slice(1).map((m) => m.source)).toEqual(Array.from({ length: 24 }, (_, i) => (i % 2 ? 'pong' : 'ping')));
    expect(waited.messages.map((m) => m.content)).toEqual(['Write a note.', 'draft']);
    expect((await client.result(fresh)).snapshot.status).toBe('completed');
    for (const runId of [waiting, mid, long, fresh]) expect(await failuresIn(raw, runId)).toEqual([]);
  }, 120_000);

  it('takes an answer that arrives with the move: the new build applies it in its first step', async () => {
    const deployment = `dt-${randomBytes(3).toString('hex')}`;
    const taskQueue = uniqueTaskQueue('answered');
    const a = await worker(taskQueue, deployment, 'A');
    await makeCurrentIfFirst(raw, deployment, 'A');
    const client = a.client;
    const runId = await client.start(approvalTeam, 'Write a note.');
    const asked = await nextRequest(client, runId);
    // B is known but has no worker up: the run moves into B's queue and waits there for one.
    const b = await worker(taskQueue, deployment, 'B');
    await b.stop();
    await promoteBuild(raw, deployment, 'B');
    await until(
      async () => (await raw.workflow.count(`WorkflowId = '${runId}' AND ExecutionStatus = 'ContinuedAsNew'`)).count === 1,
      'the move',
    );
    // The new execution reads as the run is, waiting, before any worker of B has touched it.
    expect((await client.getState(runId)).status).toBe('input-required');
    // The answer goes in before B's first step, which then carries the run and the answer at once.
    const answered = client.answer(runId, { action: 'approve', requestId: asked.requestId });
    await worker(taskQueue, deployment, 'B');
    await answered;
    const result = await client.result(runId);
    expect(result.snapshot.status).toBe('completed');
    expect(result.snapshot.continuedAsNew).toBe(1);
    expect(await failuresIn(raw, runId)).toEqual([]);
  }, 90_000);

  it('rolls back: a build ramped to 50 % and back leaves no run failed', async () => {
    const deployment = `dt-${randomBytes(3).toString('hex')}`;
    const taskQueue = uniqueTaskQueue('ramped');
    const a = await worker(taskQueue, deployment, 'A');
    await makeCurrentIfFirst(raw, deployment, 'A');
    await worker(taskQueue, deployment, 'B');
    await rampBuild(raw, deployment, 'B', 50);
    const client = a.client;

    const runs = await Promise.all(Array.from({ length: 12 }, (_, i) => client.start(approvalTeam, `Note ${i}.`)));
    await Promise.all(runs.map((runId) => nextRequest(client, runId)));
    const builds = await Promise.all(runs.map((runId) => buildOf(raw, runId)));
    expect(builds).toContain('A');
    expect(builds).toContain('B');

    // Back to A alone: the runs on B move to A at their wait.
    const { nudged } = await rampBuild(raw, deployment, 'B', 0);
    expect(nudged).toBe(builds.filter((b) => b === 'B').length);
    await until(async () => (await Promise.all(runs.map((runId) => buildOf(raw, runId)))).every((b) => b === 'A'), 'every run on A');
    await Promise.all(runs.map((runId) => client.answer(runId, { action: 'approve' })));
    const results = await Promise.all(runs.map((runId) => client.result(runId)));
    expect(results.map((r) => r.snapshot.status)).toEqual(runs.map(() => 'completed'));
    for (const runId of runs) expect(await failuresIn(raw, runId)).toEqual([]);
    await until(
      async () => (await deploymentStatus(raw, deployment)).builds.find((b) => b.buildId === 'B')?.canStop === true,
      'B free to stop',
    );
  }, 120_000);
});
