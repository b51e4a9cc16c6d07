import { pingPongTeam } from './ping-pong';
import { cpus } from 'node:os';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { installRuntimeLogging } from '../src/logging/runtime-logging';
import { runLocal } from '../src/local/run-local';
import { ModelClients } from '../src/model/chat-client';
import { startScriptedModelServer } from '../src/testing/scripted-model';
import { startDevServer } from '../src/temporal/dev-server';
import { TeamClient } from '../src/client/team-client';
import { createWorkerOptions } from '../src/worker/worker-options';
import { logBreakdown, turnBreakdown } from './turn-breakdown';
import { fmt, median, percentile, timeInterleaved } from './stats';
import { benchA2AStream } from './a2a-stream';
import { benchTools, benchToolCalls } from './tool-calls';
import { benchMcpCalls } from './mcp-calls';
import { benchRemoteCalls } from './remote-calls';
import { benchCodec, type StartWorker } from './codec';
import { benchStoreOverhead } from './store-overhead';
import { benchLongConversations } from './long-conversations';
import { benchLiveStreams } from './live-streams';
import { benchCancelLatency } from './cancel-latency';
import { benchA2AGuards } from './a2a-guards';
import { benchContexts } from './contexts';
import { benchForks } from './forks';
import { benchMemoryLookup } from './memory-lookup';
import { benchConsole } from './console';
import { benchBudgetTokens } from './budget-tokens';
import { benchClusterLoad } from './cluster-load';
import { benchListing } from './listing';
import { benchReads } from './reads';
import { benchVersioning } from './versioning';

/**
 * The overhead benchmark: what durability costs per turn. One dev server, one worker, a
 * zero-latency scripted model, the same 10-turn team run (a) in-process with runLocal, (b) as a
 * durable workflow, and (c) the floor: a bare workflow running 10 no-op activities. Then many
 * durable runs at once for throughput. It prints figures; it never fails on them.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 100);
const TURNS = 10;

const tenTurns = pingPongTeam('bench', TURNS);

async function main(): Promise<void> {
  installRuntimeLogging('ERROR');
  const log = (line: string) => process.stdout.write(`${line}\n`);
  /** Runs a section and prints how long it took, so the bench's total time stays in view. */
  const timed = async <T>(name: string, section: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await section();
    } finally {
      log(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
  };
  const benchStarted = performance.now();
  const server = await startDevServer({});
  const model = await startScriptedModelServer({ script: { agents: { ping: ['ping'], pong: ['pong'] } } });
  const connection = await NativeConnection.connect({ address: server.address });
  const taskQueue = 'bench';
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./workflows'), logger: quiet });
  const options = createWorkerOptions({ connection, taskQueue, model: { baseUrl: model.baseUrl }, tools: benchTools });
  const worker = await Worker.create({
    ...options,
    workflowsPath: undefined,
    workflowBundle,
    activities: { ...options.activities, noop: async () => undefined },
  });
  const startWorker: StartWorker = async (queue, { dataConverter, store, heartbeatEvery, deployment }) => {
    const other = await Worker.create({
      ...createWorkerOptions({
        connection,
        taskQueue: queue,
        model: { baseUrl: model.baseUrl },
        dataConverter,
        store,
        heartbeatEvery,
        ...(deployment ? { deployment } : {}),
      }),
      workflowsPath: undefined,
      workflowBundle,
    });
    const runningOther = other.run();
    return {
      async stop() {
        other.shutdown();
        await runningOther;
      },
    };
  };
  const running = worker.run();
  const client = await TeamClient.connect({ address: server.address, namespace: 'default', taskQueue });
  // The runs timed below, kept for the breakdown of their steps from history.
  const timedRuns = { durable: [] as string[], floor: [] as string[] };
  const durableRun = async () => {
    const runId = await client.start(tenTurns, 'Go.');
    timedRuns.durable.push(runId);
    return client.result(runId);
  };
  const floorRun = (i: number) => {
    const workflowId = `floor-${i}-${Date.now()}`;
    timedRuns.floor.push(workflowId);
    return client.client.workflow.execute('floorRun', { taskQueue, workflowId, args: [TURNS] });
  };
  const clients = new ModelClients();
  const localRun = () => runLocal(tenTurns, 'Go.', { model: { baseUrl: model.baseUrl }, clients });

  try {
    log(`durable-teams overhead benchmark: ${cpus().length} cores, ${RUNS} runs of ${TURNS} turns each, zero-latency model`);
    log(`Temporal dev server ${server.binary}`);
    await timeInterleaved(5, [localRun, durableRun, floorRun]); // warm-up: code loaded, connections open
    timedRuns.durable.length = timedRuns.floor.length = 0;

    const [local, durable, floor] = (await timeInterleaved(RUNS, [localRun, durableRun, floorRun])).map((times) =>
      times.map((t) => t / TURNS),
    ) as [number[], number[], number[]];
    const localMedian = median(local);
    const overhead = durable.map((t) => t - localMedian);

    log(`(a) runLocal      per turn: p50 ${fmt(median(local))}  p99 ${fmt(percentile(local, 99))}`);
    log(`(b) durable run   per turn: p50 ${fmt(median(durable))}  p99 ${fmt(percentile(durable, 99))}`);
    log(`(c) floor         per activity: p50 ${fmt(median(floor))}  p99 ${fmt(percentile(floor, 99))}`);
    log(
      `overhead of (b) over (a) per turn: p50 ${fmt(median(overhead))}  p99 ${fmt(percentile(overhead, 99))}  (targets <= 15 ms, <= 40 ms)`,
    );
    const ratio = median(durable) / median(floor);
    log(`(b)/(c) per-turn time over per-activity time: ${ratio.toFixed(2)}  (target <= 1.3)`);
    const [turnParts, floorParts] = [
      await turnBreakdown(client.client, timedRuns.durable),
      await turnBreakdown(client.client, timedRuns.floor),
    ];
    logBreakdown(log, turnParts, floorParts);

    const concurrently = async (one: (i: number) => Promise<unknown>) => {
      const started = performance.now();
      await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => one(i)));
      return (performance.now() - started) / 1000;
    };
    const seconds = await concurrently(durableRun);
    const turnsPerSecond = (CONCURRENT * TURNS) / seconds;
    const rssMb = process.memoryUsage().rss / 2 ** 20;
    log(
      `${CONCURRENT} concurrent durable runs of ${TURNS} turns on one worker: ${turnsPerSecond.toFixed(0)} turns/s (${seconds.toFixed(1)} s; target >= 150)`,
    );
    const floorPerSecond = (CONCURRENT * TURNS) / (await concurrently((i) => floorRun(RUNS + i)));
    log(
      `the floor at the same concurrency: ${floorPerSecond.toFixed(0)} activities/s (the server and worker share ${cpus().length} cores)`,
    );
    log(`worker process RSS after the concurrent runs: ${rssMb.toFixed(0)} MiB`);
    log(`(overhead and throughput: ${((performance.now() - benchStarted) / 1000).toFixed(1)} s)`);
    const a2aSummary = await timed('a2a stream', () => benchA2AStream(client, log));
    const guardsSummary = await timed('a2a guards', () => benchA2AGuards(client, log));
    const toolSummary = await timed('tool calls', () => benchToolCalls(client, log));
    const mcpSummary = await timed('mcp calls', () => benchMcpCalls(client, log));
    const remoteSummary = await timed('remote calls', () => benchRemoteCalls(client, log));
    const cancelSummary = await timed('cancel latency', () => benchCancelLatency(server.address, startWorker, log));
    const codecSummary = await timed('codec', () => benchCodec(server.address, client, model.baseUrl, startWorker, log));
    const storeSummary = await timed('store', () => benchStoreOverhead(server.address, model.baseUrl, startWorker, log));
    const contextSummary = await timed('contexts', () => benchContexts(server.address, model.baseUrl, startWorker, log));
    const forkSummary = await timed('forks', () => benchForks(server.address, model.baseUrl, startWorker, log));
    const liveSummary = await timed('live streams', () =>
      benchLiveStreams({ client, address: server.address, connection, workflowBundle, log }),
    );
    const readsSummary = await timed('reads', () => benchReads(server.address, log));
    const versioningSummary = await timed('versioning', () => benchVersioning(server.address, model.baseUrl, startWorker, log));
    const memorySummary = await timed('memory lookup', () => benchMemoryLookup(log));
    // Creating the console's 10,000 runs takes minutes: BENCH_CONSOLE=0 leaves the section out.
    const consoleSummary =
      process.env.BENCH_CONSOLE === '0' ? 'console=skipped' : await timed('console', () => benchConsole(server.address, log));
    const budgetSummary = await timed('budget tokens', () => benchBudgetTokens(log));
    // A Temporal cluster of processes and 1,000 runs of 10 turns: minutes. BENCH_CLUSTER=0 leaves it out.
    const clusterSummary = process.env.BENCH_CLUSTER === '0' ? 'cluster=skipped' : await timed('cluster load', () => benchClusterLoad(log));
    // 100,000 finished runs on a cluster, then ListTasks by context and by state: a quarter of an hour. BENCH_LISTING=0 leaves it out.
    const listingSummary = process.env.BENCH_LISTING === '0' ? 'listing=skipped' : await timed('listing', () => benchListing(log));
    const longSummary =
      process.env.BENCH_LONG === '0' ? 'long=skipped' : await timed('long conversations', () => benchLongConversations(client, log));
    log(
      `SUMMARY cores=${cpus().length} overhead_p50_ms=${median(overhead).toFixed(1)} overhead_p99_ms=${percentile(overhead, 99).toFixed(1)} ` +
        `durable_turn_p50_ms=${median(durable).toFixed(1)} floor_activity_p50_ms=${median(floor).toFixed(1)} ratio_b_c=${ratio.toFixed(2)} ` +
        `turn_activity_p50_ms=${median(turnParts.activity).toFixed(1)} turn_decide_p50_ms=${median(turnParts.decide).toFixed(1)} ` +
        `turn_wake_p50_ms=${median(turnParts.wake).toFixed(1)} floor_step_activity_p50_ms=${median(floorParts.activity).toFixed(1)} ` +
        `turns_per_s=${turnsPerSecond.toFixed(0)} floor_activities_per_s=${floorPerSecond.toFixed(0)} rss_mib=${rssMb.toFixed(0)} ${a2aSummary} ${guardsSummary} ${toolSummary} ${mcpSummary} ${remoteSummary} ${cancelSummary} ${codecSummary} ${storeSummary} ${contextSummary} ${forkSummary} ${liveSummary} ${readsSummary} ${versioningSummary} ${memorySummary} ${consoleSummary} ${budgetSummary} ${clusterSummary} ${listingSummary} ${longSummary}`,
    );
    log(`(total: ${((performance.now() - benchStarted) / 1000).toFixed(1)} s)`);
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
    await client.close();
    await model.close();
    await server.stop();
  }
}

const ignore = () => undefined;
const quiet = { trace: ignore, debug: ignore, info: ignore, warn: ignore, error: console.error, log: ignore };

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
