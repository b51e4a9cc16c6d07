import { pingPongTeam } from './ping-pong';
import { randomBytes } from 'node:crypto';
import { closeClient, connectClient } from '../src/temporal/connection';
import { deploymentStatus, makeCurrentIfFirst, promoteBuild } from '../src/temporal/deployments';
import { TeamClient } from '../src/client/team-client';
import type { StartWorker } from './codec';
import { fmt, median, percentile, timeInterleaved } from './stats';

const RUNS = Number(process.env.BENCH_VERSIONING_RUNS ?? 30);
const WAITING = Number(process.env.BENCH_VERSIONING_WAITING ?? 50);
const TURNS = 10;

/**
 * What Worker Versioning costs and buys. Cost: the same 10-turn run on an unversioned worker and
 * on a versioned one (pinned), interleaved. Gain: how soon an old build holds no run after a new
 * one is promoted, with runs waiting on a person (they move at their wait, by continue-as-new).
 */
export async function benchVersioning(
  address: string,
  modelBaseUrl: string,
  startWorker: StartWorker,
  log: (line: string) => void,
): Promise<string> {
  const deployment = `bench-${randomBytes(3).toString('hex')}`;
  const plainQueue = 'bench-unversioned';
  const versionedQueue = 'bench-versioned';
  const raw = await connectClient(address, 'default');
  const workers = [
    await startWorker(plainQueue, {}),
    await startWorker(versionedQueue, { deployment: { name: deployment, buildId: 'A' } }),
  ];
  const plain = await TeamClient.connect({ address, namespace: 'default', taskQueue: plainQueue });
  const versioned = await TeamClient.connect({ address, namespace: 'default', taskQueue: versionedQueue });
  try {
    await makeCurrentIfFirst(raw, deployment, 'A');
    const spec = pingPongTeam('bench-versioning', TURNS, modelBaseUrl);
    const runWith = (client: TeamClient) => async () => client.result(await client.start(spec, 'Go.'));
    await timeInterleaved(3, [runWith(plain), runWith(versioned)]);
    const [plainTimes, pinnedTimes] = (await timeInterleaved(RUNS, [runWith(plain), runWith(versioned)])).map((times) =>
      times.map((t) => t / TURNS),
    ) as [number[], number[]];
    const overhead = pinnedTimes.map((t) => t - median(plainTimes));
    log(`worker versioning: ${RUNS} runs of ${TURNS} turns each way`);
    log(`  unversioned worker  per turn: p50 ${fmt(median(plainTimes))}  p99 ${fmt(percentile(plainTimes, 99))}`);
    log(`  pinned to a build   per turn: p50 ${fmt(median(pinnedTimes))}  p99 ${fmt(percentile(pinnedTimes, 99))}`);
    log(`  overhead per turn           : p50 ${fmt(median(overhead))}  p99 ${fmt(percentile(overhead, 99))}`);

    // Runs waiting on a person, then a new build made current.
    const waiting = { ...pingPongTeam('bench-waiting', 1, modelBaseUrl), approval: {} };
    const runIds = await Promise.all(Array.from({ length: WAITING }, () => versioned.start(waiting, 'Go.')));
    for (const runId of runIds) while ((await versioned.getState(runId)).status !== 'input-required') await sleep(50);
    workers.push(await startWorker(versionedQueue, { deployment: { name: deployment, buildId: 'B' } }));
    const promoting = performance.now();
    await promoteBuild(raw, deployment, 'B');
    const promotedMs = performance.now() - promoting;
    while ((await deploymentStatus(raw, deployment)).builds.find((b) => b.buildId === 'A')?.canStop !== true) await sleep(100);
    const drainedMs = performance.now() - promoting;
    await Promise.all(runIds.map((runId) => versioned.answer(runId, { action: 'approve' })));
    const finished = await Promise.all(runIds.map((runId) => versioned.result(runId)));
    const completed = finished.filter((r) => r.snapshot.status === 'completed').length;
    log(
      `  ${WAITING} runs waiting on a person, build B promoted (${fmt(promotedMs)} with the nudges): build A held no run after ${fmt(drainedMs)}; ${completed}/${WAITING} completed on B after their answers`,
    );
    return `versioning_overhead_p50_ms=${median(overhead).toFixed(1)} versioning_overhead_p99_ms=${percentile(overhead, 99).toFixed(1)} versioning_drain_${WAITING}_waiting_ms=${drainedMs.toFixed(0)}`;
  } finally {
    await plain.close();
    await versioned.close();
    for (const worker of workers) await worker.stop();
    await closeClient(raw);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
