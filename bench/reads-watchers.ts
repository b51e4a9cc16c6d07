import { readFileSync } from 'node:fs';
import { cpuSecondsOf } from './process-cpu';
import type { ReadsRig } from './reads';
import { fmt, median, percentile } from './stats';

/** How long the calls are counted for, once every watcher has joined; BENCH_READS_WINDOW_MS overrides. */
const WINDOW_MS = Number(process.env.BENCH_READS_WINDOW_MS ?? 5_000);
/** How long the watchers may take to join before the section gives up on them. */
const JOIN_LIMIT_MS = 60_000;
/**
 * [subscribers, runs]: 1 against 100 runs watched, 1 against 1,000 subscribers of one run, and
 * 1,000 over 100 runs. BENCH_READS_WATCHERS overrides, as `1x1,1000x100`.
 */
const SCENARIOS: [number, number][] = (process.env.BENCH_READS_WATCHERS ?? '1x1,1000x1,100x100,1000x100')
  .split(',')
  .map((pair) => pair.split('x').map(Number) as [number, number]);

interface Subscription {
  /** From the request to the stream's first event; null when none came. */
  firstMs: number | null;
  failure: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Connections this host's kernel turned away because a listen queue was full (TcpExt
 * ListenOverflows; null where /proc/net/netstat is not there). Host-wide, so other processes count
 * too: it says whether a stream refused with ECONNRESET may have met a full queue here.
 */
function listenOverflows(): number | null {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
    const names = lines.find((l) => l.startsWith('TcpExt:'))!.split(' ');
    const values = lines.filter((l) => l.startsWith('TcpExt:'))[1]!.split(' ');
    return Number(values[names.indexOf('ListenOverflows')]);
  } catch {
    return null;
  }
}

/**
 * One SubscribeToTask stream over JSON-RPC, read until `signal` aborts. It fails when refused,
 * when an error comes on it, or when it ends while the run goes on. `joined` is called once: at
 * its first event, or when it ended without one.
 */
async function subscribe(url: string, taskId: string, signal: AbortSignal, joined: () => void): Promise<Subscription> {
  const started = performance.now();
  let firstMs: number | null = null;
  const outcome = (failure: string | null): Subscription => {
    if (firstMs === null) joined();
    return { firstMs, failure };
  };
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'A2A-Version': '1.0' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'SubscribeToTask', params: { id: taskId } }),
      signal,
    });
    if (response.status !== 200) return outcome(`HTTP ${response.status}`);
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (firstMs === null) {
        firstMs = performance.now() - started;
        joined();
      }
      if (decoder.decode(chunk, { stream: true }).includes('"error":{')) return outcome('an error on the stream');
    }
    return outcome(signal.aborted ? null : 'the stream ended while the run went on');
  } catch (err) {
    // undici says "fetch failed" and keeps the reason (a connect timeout, a reset) as the cause.
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return outcome(
      signal.aborted && firstMs !== null ? null : `${(err as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`,
    );
  }
}

/**
 * Watchers: SubscribeToTask streams on runs that go on for longer than they are watched. Counted
 * over a window once all have joined: the Temporal calls the front end's client makes (one
 * follower per run, reading the run's history with long polls, so a run's calls should not grow
 * with its subscribers, nor include a query), the worker's CPU (its own process), and this
 * process's (the front end and the subscribers both). Then the streams are cut and the runs ended.
 */
export async function benchWatchers({ server, client, calls, worker, model, long, log }: ReadsRig): Promise<string> {
  const url = `${server.teamUrls[long.name]!}a2a/jsonrpc`;
  const lines: string[] = [];
  const summary: string[] = [];
  for (const [subscribers, runs] of SCENARIOS) {
    const runIds = await Promise.all(Array.from({ length: runs }, () => client.start(long, 'Go.')));
    const stop = new AbortController();
    let joinedCount = 0;
    const joining = performance.now();
    const joinCpuBefore = process.cpuUsage();
    const overflowsBefore = listenOverflows();
    const streams = Array.from({ length: subscribers }, (_, k) => subscribe(url, runIds[k % runs]!, stop.signal, () => (joinedCount += 1)));
    while (joinedCount < subscribers && performance.now() - joining < JOIN_LIMIT_MS) await sleep(20);
    const joinSeconds = (performance.now() - joining) / 1000;
    const joinCpu = process.cpuUsage(joinCpuBefore);
    const joinCpuMs = (joinCpu.user + joinCpu.system) / 1e3 / subscribers;
    const overflows = overflowsBefore === null ? null : listenOverflows()! - overflowsBefore;
    await sleep(1_000); // the joins' reads (each SubscribeToTask reads the task once) are over before counting
    const before = calls.snapshot();
    const cpuBefore = process.cpuUsage();
    const workerBefore = cpuSecondsOf(worker.child.pid!);
    const followersDuring = client.watching.runs;
    const windowStart = Date.now();
    await sleep(WINDOW_MS);
    // Turns begun in the window (one model call each): how far the runs moved, which is what their history grew by.
    const watched = new Set(runIds);
    const turns = model.requests.filter((r) => r.runId !== null && watched.has(r.runId) && r.at >= windowStart).length;
    const seconds = WINDOW_MS / 1000;
    const counted = calls.since(before);
    const cpu = process.cpuUsage(cpuBefore);
    const workerPct = ((cpuSecondsOf(worker.child.pid!) - workerBefore) / seconds) * 100;
    const frontPct = ((cpu.user + cpu.system) / 1e6 / seconds) * 100;
    stop.abort();
    const results = await Promise.all(streams);
    await Promise.all(runIds.map((id) => client.client.workflow.getHandle(id).terminate('benchmark window over')));

    const total = [...counted.values()].reduce((a, b) => a + b, 0);
    const perRun = total / runs / seconds;
    const perTurn = turns ? total / turns : NaN;
    const byMethod = [...counted].sort((a, b) => b[1] - a[1]).map(([m, n]) => `${m} ${(n / runs / seconds).toFixed(1)}`);
    const queries = counted.get('QueryWorkflow') ?? 0;
    const failures = results.filter((r) => r.failure !== null);
    const first = results.filter((r) => r.firstMs !== null).map((r) => r.firstMs!);
    const key = `${subscribers}_${runs}`;
    lines.push(
      `  ${String(subscribers).padStart(4)} on ${String(runs).padStart(3)} run(s), ${followersDuring} follower(s): ${(total / seconds).toFixed(0)} calls/s, ${perRun.toFixed(1)} per run (${byMethod.join(', ') || 'none'}), ${perTurn.toFixed(1)} per turn (${turns} turns), ` +
        `QueryWorkflow ${queries}; worker ${workerPct.toFixed(0)}% of a core, this process ${frontPct.toFixed(0)}%; ` +
        `first event p50 ${fmt(median(first))} p99 ${fmt(percentile(first, 99))} (${joinedCount} joined in ${joinSeconds.toFixed(1)} s, ${joinCpuMs.toFixed(1)} ms of this process's CPU each); failed ${failures.length}` +
        (failures.length ? ` (first: ${failures[0]!.failure})` : '') +
        (overflows ? `; the host's listen queues overflowed ${overflows} times while they joined` : ''),
    );
    summary.push(
      `reads_calls_per_run_s_${key}=${perRun.toFixed(1)} reads_calls_per_turn_${key}=${perTurn.toFixed(1)} reads_queries_${key}=${queries} reads_worker_cpu_pct_${key}=${workerPct.toFixed(0)} reads_watch_failed_${key}=${failures.length}`,
    );
    if (subscribers === 1000 && runs === 100)
      summary.push(`reads_watch_first_p50_ms=${median(first).toFixed(1)} reads_watch_first_p99_ms=${percentile(first, 99).toFixed(1)}`);
  }
  log(
    `Watchers (SubscribeToTask over JSON-RPC), Temporal calls of the front end's client over ${WINDOW_MS / 1000} s while the runs go on (target: flat per run, for runs moving at one pace, so per turn too; 0 failed):`,
  );
  for (const line of lines) log(line);
  return summary.join(' ');
}
