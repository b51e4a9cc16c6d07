import type { Client } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { closeClient, connectClient } from '../../src/temporal/connection';
import type { DeploymentStatus } from '../../src/temporal/deployments';
import { TeamClient } from '../../src/client/team-client';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { startWorkerProcess, type WorkerProcess } from '../../src/testing/worker-process';
import { runCli } from '../cli/cli-helpers';
import { nextRequest, until, untilEvent } from '../helpers/waiting';
import { buildNextRelease, type NextBuild } from './next-build';
import { approvalTeam, buildOf, executionsOf, longTeam, slowTeam, VERSIONING_SCRIPT } from './versioned-runs';

/**
 * A release as users make one: build A (this tree) and build B (a next release whose workflow code
 * and activity contract differ, test/versioning/next-build.ts), each in worker processes of its
 * own, switched with the `deploy` command. No run of A fails or is replayed by B; the moved ones go
 * on on B with nothing lost; A is stopped once `deploy status` says nothing needs it.
 */

describe('a deploy of a new build, with runs of the old one in flight', () => {
  let model: ScriptedModelServer;
  let raw: Client;
  let client: TeamClient;
  let next: NextBuild;
  const workers: WorkerProcess[] = [];
  const deployment = `dt-${randomBytes(3).toString('hex')}`;
  const taskQueue = uniqueTaskQueue('deploy');
  const flags = ['--address', testTemporalAddress(), '--deployment', deployment];

  beforeAll(async () => {
    next = buildNextRelease();
    model = await startScriptedModelServer({ script: VERSIONING_SCRIPT });
    raw = await connectClient(testTemporalAddress(), 'default');
    client = await TeamClient.connect({ address: testTemporalAddress(), namespace: 'default', taskQueue });
  });
  afterAll(async () => {
    for (const worker of workers) await worker.kill('SIGKILL');
    await client?.close();
    if (raw) await closeClient(raw);
    await model?.close();
    next?.remove();
  });

  const startBuild = async (buildId: string, cli?: string) => {
    const worker = await startWorkerProcess({
      address: testTemporalAddress(),
      taskQueue,
      modelBaseUrl: model.baseUrl,
      logLevel: 'WARN',
      args: ['--deployment', deployment, '--build-id', buildId],
      ...(cli ? { cli } : {}),
    });
    workers.push(worker);
    return worker;
  };
  const status = async (): Promise<DeploymentStatus> => {
    const result = await runCli(['deploy', 'status', '--json', ...flags]);
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as DeploymentStatus;
  };
  it('moves every run of A to B without a failure, and A can be stopped in seconds', async () => {
    const a = await startBuild('A');
    expect(a.output()).toContain(`build A is the first of deployment ${deployment}: it is current`);

    const waiting = await client.start(approvalTeam, 'Write a note.');
    const asked = await nextRequest(client, waiting);
    const mid = await client.start(slowTeam, 'Think.');
    await untilEvent(client, mid, (e) => e.type === 'turn_started');
    const long = await client.start(longTeam(21), 'Go.');
    await untilEvent(client, long, (e) => e.type === 'message' && e.message.index >= 3);

    const b = await startBuild('B', next.cli);
    expect(b.output()).toContain(`durable-teams deploy promote B`);
    const promoting = Date.now();
    const promoted = await runCli(['deploy', 'promote', 'B', '--json', ...flags]);
    expect(promoted.code).toBe(0);
    expect(JSON.parse(promoted.stdout)).toMatchObject({ deployment, current: 'B' });

    const fresh = await client.start(approvalTeam, 'Another note.');
    await nextRequest(client, fresh);
    expect(await buildOf(raw, fresh)).toBe('B');

    await until(async () => (await status()).builds.find((x) => x.buildId === 'A')?.canStop === true, 'deploy status: A can stop', 60_000);
    process.stdout.write(`deploys: build A held no run ${Date.now() - promoting} ms after deploy promote B\n`);
    expect(await buildOf(raw, waiting)).toBe('B');
    await a.kill('SIGTERM');

    // The wait goes on on B: the same request, answered after the switch.
    expect((await client.getState(waiting)).pendingInput?.requestId).toBe(asked.requestId);
    await client.answer(waiting, { action: 'approve' });
    await client.answer(fresh, { action: 'approve' });
    const [waited, thought, talked, freshResult] = await Promise.all([waiting, mid, long, fresh].map((runId) => client.result(runId)));
    for (const result of [waited, thought, talked, freshResult]) expect(result.snapshot.status).toBe('completed');
    expect(waited.messages.map((m) => m.content)).toEqual(['Write a note.', 'draft']);
    expect(thought.messages.map((m) => m.content)).toEqual(['Think.', 'slow answer']);
    expect(talked.messages.map((m) => m.index)).toEqual([...Array(21).keys()]);
    expect(talked.messages.slice(1).map((m) => m.source)).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 ? 'pong' : 'ping')));
    expect(model.requests.filter((r) => r.agent === 'slow')).toHaveLength(1);

    // Each execution B ran begins with B's timer; A's never do; nothing failed anywhere.
    const waitedOn = await executionsOf(raw, waiting);
    expect(waitedOn.map((e) => e.timers).sort()).toEqual([0, 1]);
    expect((await executionsOf(raw, fresh)).map((e) => e.timers)).toEqual([1]);
    for (const runId of [waiting, mid, long, fresh]) expect((await executionsOf(raw, runId)).flatMap((e) => e.failures)).toEqual([]);

    const after = await status();
    expect(after.current).toBe('B');
    expect(after.builds.find((x) => x.buildId === 'B')).toMatchObject({ state: 'current', canStop: false });
  }, 150_000);
});
