import { readFileSync } from 'node:fs';
import type { temporal } from '@temporalio/proto';
import { defaultConversationStore } from '../src/site/default-store';
import { startScriptedModelServer } from '../src/testing/scripted-model';
import { SEARCH_ATTRIBUTE_CACHE_MS, startTemporalCluster } from '../src/testing/temporal-cluster';
import { startWorkerProcess, type WorkerProcess } from '../src/testing/worker-process';
import { TeamClient } from '../src/client/team-client';
import { pingPongTeam } from './ping-pong';
import { fmt, median, percentile } from './stats';

const RUNS = Number(process.env.BENCH_CLUSTER_RUNS ?? 1_000);
const TURNS = 10;
const MODEL_LATENCY_MS = Number(process.env.BENCH_CLUSTER_MODEL_MS ?? 1_000);
/** Runs whose histories are read for schedule-to-start times (reading all 1,000 would take longer than the run). */
const SAMPLED = 100;
const STARTS_AT_ONCE = 50;

/**
 * Load on the cluster of processes (src/testing/temporal-cluster.ts): RUNS runs of a 10-turn team
 * at once, each model call answered after MODEL_LATENCY_MS, two worker processes. Reports turns
 * per second over the whole load, schedule-to-start times of workflow and activity tasks (how long
 * work waited for a worker), and each worker's peak RSS and average CPU.
 */
export async function benchClusterLoad(log: (line: string) => void): Promise<string> {
  // As a production server: search attributes from a cache (see bench/listing.ts), seen by every service after its refresh.
  const cluster = await startTemporalCluster({ refreshSearchAttributesOnRead: false });
  await new Promise((resolve) => setTimeout(resolve, SEARCH_ATTRIBUTE_CACHE_MS + 2_000));
  const env = { DURABLE_TEAMS_STORE: cluster.postgres.url };
  const model = await startScriptedModelServer({ script: { agents: { ping: ['ping'], pong: ['pong'] }, latencyMs: MODEL_LATENCY_MS } });
  const taskQueue = 'cluster-load';
  const workers: WorkerProcess[] = [];
  try {
    // Each run has one call in flight at a time: 1,000 runs want 1,000 slots, 500 a worker.
    const slots = String(Math.ceil(RUNS / 2));
    for (let i = 0; i < 2; i++) {
      workers.push(
        await startWorkerProcess({
          address: cluster.address,
          taskQueue,
          modelBaseUrl: model.baseUrl,
          env,
          args: ['--max-concurrent-activities', slots],
        }),
      );
    }
    const client = await TeamClient.connect({
      address: cluster.address,
      namespace: cluster.namespace,
      taskQueue,
      store: defaultConversationStore(undefined, env),
      live: null,
    });
    const team = pingPongTeam('load', TURNS);
    const usage = workers.map((w) => new ProcessUsage(w.child.pid!));
    const sampler = setInterval(() => usage.forEach((u) => u.sample()), 500);

    const started = performance.now();
    const runIds: string[] = [];
    for (let i = 0; i < RUNS; i += STARTS_AT_ONCE) {
      const batch = Array.from({ length: Math.min(STARTS_AT_ONCE, RUNS - i) }, () => client.start(team, 'Go.'));
      runIds.push(...(await Promise.all(batch)));
    }
    const startedAll = performance.now() - started;
    const results = await Promise.all(runIds.map((id) => client.result(id)));
    const wall = performance.now() - started;
    clearInterval(sampler);
    usage.forEach((u) => u.sample());

    const completed = results.filter((r) => r.snapshot.status === 'completed' && r.snapshot.turns === TURNS).length;
    const turnsPerSecond = (completed * TURNS) / (wall / 1000);
    const waits = await scheduleToStart(
      client,
      runIds.filter((_, i) => i % Math.max(1, Math.floor(RUNS / SAMPLED)) === 0),
    );
    await client.close();

    log(
      `cluster load: ${RUNS} runs x ${TURNS} turns at once, model latency ${MODEL_LATENCY_MS} ms, 2 worker processes (${slots} activity slots each)`,
    );
    log(`  PostgreSQL + frontend, history (4 shards), matching, worker as separate processes on this ${cpuCount()}-core machine`);
    log(`  completed ${completed}/${RUNS}; all started in ${(startedAll / 1000).toFixed(1)} s; all done in ${(wall / 1000).toFixed(1)} s`);
    log(
      `  turns/s ${turnsPerSecond.toFixed(1)} (the floor set by the model alone: ${((RUNS * 1000) / MODEL_LATENCY_MS).toFixed(0)} turns/s)`,
    );
    log(
      `  schedule-to-start (${waits.sampled} runs' histories): workflow tasks p50 ${fmt(median(waits.workflow))} p99 ${fmt(percentile(waits.workflow, 99))}; activities p50 ${fmt(median(waits.activity))} p99 ${fmt(percentile(waits.activity, 99))}`,
    );
    usage.forEach((u, i) =>
      log(`  worker ${i + 1}: peak RSS ${u.peakRssMb().toFixed(0)} MiB, CPU ${u.averageCpuPercent().toFixed(0)}% of one core on average`),
    );
    return `cluster load ${completed}/${RUNS} runs, ${turnsPerSecond.toFixed(1)} turns/s, activity schedule-to-start p99 ${fmt(percentile(waits.activity, 99))}, worker peak RSS ${Math.max(...usage.map((u) => u.peakRssMb())).toFixed(0)} MiB`;
  } finally {
    await Promise.all(workers.map((w) => w.kill('SIGTERM')));
    await model.close();
    await cluster.stop();
  }
}

/** Scheduled → started, from the histories: how long each task waited for a worker to take it. */
async function scheduleToStart(client: TeamClient, runIds: string[]): Promise<{ sampled: number; workflow: number[]; activity: number[] }> {
  const workflow: number[] = [];
  const activity: number[] = [];
  for (const runId of runIds) {
    const history = await client.client.workflow.getHandle(runId).fetchHistory();
    const events = history.events ?? [];
    const at = (e: temporal.api.history.v1.IHistoryEvent) => Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;
    const scheduled = new Map<number, number>();
    for (const event of events) {
      const id = Number(event.eventId);
      if (event.workflowTaskScheduledEventAttributes || event.activityTaskScheduledEventAttributes) scheduled.set(id, at(event));
      const wf = event.workflowTaskStartedEventAttributes;
      if (wf) workflow.push(at(event) - (scheduled.get(Number(wf.scheduledEventId)) ?? at(event)));
      const act = event.activityTaskStartedEventAttributes;
      if (act) activity.push(at(event) - (scheduled.get(Number(act.scheduledEventId)) ?? at(event)));
    }
  }
  return { sampled: runIds.length, workflow, activity };
}

/** A process's CPU time and resident memory, read from /proc (Linux). */
class ProcessUsage {
  private readonly first: { cpu: number; at: number };
  private last: { cpu: number; at: number };
  private peakRss = 0;

  constructor(private readonly pid: number) {
    this.first = this.last = this.read();
  }

  sample(): void {
    try {
      this.last = this.read();
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      if (rss) this.peakRss = Math.max(this.peakRss, Number(rss[1]) / 1024);
    } catch {
      // The process ended: its last sample stands.
    }
  }

  peakRssMb(): number {
    return this.peakRss;
  }

  averageCpuPercent(): number {
    const seconds = (this.last.at - this.first.at) / 1000;
    return seconds > 0 ? ((this.last.cpu - this.first.cpu) / seconds) * 100 : 0;
  }

  private read(): { cpu: number; at: number } {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 a second).
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { cpu: (Number(fields[11]) + Number(fields[12])) / 100, at: performance.now() };
  }
}

function cpuCount(): number {
  return readFileSync('/proc/cpuinfo', 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('processor')).length;
}
