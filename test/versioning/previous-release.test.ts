import type { Client } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeClient, connectClient } from '../../src/temporal/connection';
import { TeamClient } from '../../src/client/team-client';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { startWorkerProcess, type WorkerProcess } from '../../src/testing/worker-process';
import { nextRequest, untilEvent } from '../helpers/waiting';
import { buildPreviousRelease, PREVIOUS_RELEASE, type ReleaseBuild } from './previous-release';
import { approvalTeam, failuresIn, longTeam, VERSIONING_SCRIPT } from './versioned-runs';

/**
 * The release users run now (the previous one, test/versioning/previous-release.ts) and this
 * tree, each a worker process of its own on one task queue, without Worker Versioning: the way a
 * rolling deploy replaces workers, and a rollback puts the old ones back. Each takes over runs the
 * other began, mid-conversation and waiting on a person, and carries them to the end with no
 * failed workflow task or activity: the workflow code replays the other's histories (`patched`
 * where it changed) and the activities take the other's requests (the activity contract).
 */
describe(`the previous release (${PREVIOUS_RELEASE.slice(0, 7)}) and this one on the same runs`, () => {
  let model: ScriptedModelServer;
  let raw: Client;
  let client: TeamClient;
  let previous: ReleaseBuild;
  let worker: WorkerProcess | null = null;
  const taskQueue = uniqueTaskQueue('releases');

  beforeAll(async () => {
    previous = buildPreviousRelease();
    model = await startScriptedModelServer({ script: VERSIONING_SCRIPT });
    raw = await connectClient(testTemporalAddress(), 'default');
    client = await TeamClient.connect({ address: testTemporalAddress(), namespace: 'default', taskQueue });
  });
  afterAll(async () => {
    await worker?.kill('SIGKILL');
    await client?.close();
    if (raw) await closeClient(raw);
    await model?.close();
    previous?.remove();
  });

  /** Stops the worker running now as a deploy does (it finishes what it holds), and starts `cli`'s (default: this tree's). */
  const deploy = async (cli?: string): Promise<string> => {
    await worker?.kill('SIGTERM');
    worker = await startWorkerProcess({ address: testTemporalAddress(), taskQueue, modelBaseUrl: model.baseUrl, ...(cli ? { cli } : {}) });
    return `${worker.child.pid}@`;
  };

  /** The workers that took the run's workflow tasks and activities, by identity (`<pid>@<host>`). */
  const workersOf = async (runId: string): Promise<string[]> => {
    const events = (await raw.workflow.getHandle(runId).fetchHistory()).events ?? [];
    const identities = events.map((e) => e.workflowTaskStartedEventAttributes?.identity ?? e.activityTaskStartedEventAttributes?.identity);
    return [...new Set(identities.filter((identity): identity is string => !!identity))].sort();
  };

  /** Each run's workflow tasks and activities were taken by exactly the two workers, the one before the deploy and the one after. */
  const expectTakenOver = async (runs: string[], before: string, after: string) => {
    for (const runId of runs) {
      const workers = await workersOf(runId);
      expect(workers).toHaveLength(2);
      expect(workers.some((w) => w.startsWith(before))).toBe(true);
      expect(workers.some((w) => w.startsWith(after))).toBe(true);
    }
  };

  /** The run's result; a run that has not ended within a minute fails the test with what its history says went wrong. */
  const resultOf = async (runId: string) => {
    const ended = await Promise.race([client.result(runId), sleep(60_000).then(() => null)]);
    if (ended) return ended;
    throw new Error(
      `run ${runId} has not ended after a minute; the failures in its history: ${JSON.stringify(await failuresIn(raw, runId))}`,
    );
  };

  /** Begins a run waiting on a person and one mid-conversation; hands both to `next`; answers; checks both end well. */
  const handOver = async (next: () => Promise<string>): Promise<{ runs: string[]; after: string }> => {
    const waiting = await client.start(approvalTeam, 'Write a note.');
    const asked = await nextRequest(client, waiting);
    const long = await client.start(longTeam(13), 'Go.');
    await untilEvent(client, long, (e) => e.type === 'message' && e.message.index >= 3);

    const after = await next();
    // The same request, answered on the other build.
    expect((await client.getState(waiting)).pendingInput?.requestId).toBe(asked.requestId);
    await client.answer(waiting, { action: 'approve' });
    const [waited, talked] = await Promise.all([resultOf(waiting), resultOf(long)]);
    expect(waited.snapshot.status).toBe('completed');
    expect(waited.messages.map((m) => m.content)).toEqual(['Write a note.', 'draft']);
    expect(talked.snapshot.status).toBe('completed');
    expect(talked.messages.map((m) => m.index)).toEqual([...Array(13).keys()]);
    expect(talked.messages.slice(1).map((m) => m.source)).toEqual(Array.from({ length: 12 }, (_, i) => (i % 2 ? 'pong' : 'ping')));
    for (const runId of [waiting, long]) expect(await failuresIn(raw, runId)).toEqual([]);
    return { runs: [waiting, long], after };
  };

  it('a deploy: runs the previous release began go on on this one', async () => {
    const before = await deploy(previous.cli);
    const { runs, after } = await handOver(() => deploy());
    await expectTakenOver(runs, before, after);
  }, 120_000);

  it('a rollback: runs this release began go on on the previous one', async () => {
    const before = `${worker!.child.pid}@`; // this tree's, from the deploy above
    const { runs, after } = await handOver(() => deploy(previous.cli));
    await expectTakenOver(runs, before, after);
  }, 120_000);
});
