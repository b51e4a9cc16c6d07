import { Worker } from '@temporalio/worker';
import { ClientFactory } from '@a2a-js/sdk/client';
import { TaskState, type StreamResponse } from '@a2a-js/sdk';
import type { NativeConnection } from '@temporalio/worker';
import { startA2AServer, type A2AServer } from '../src/server/server';
import { startScriptedModelServer, type ScriptedModelServer } from '../src/testing/scripted-model';
import { startWorkerProcess } from '../src/testing/worker-process';
import { TeamClient } from '../src/client/team-client';
import { createWorkerOptions } from '../src/worker/worker-options';
import { pingPongTeam } from './ping-pong';
import { sendParams } from './a2a-message';
import { cpuSecondsOf } from './process-cpu';
import { fmt, median, percentile } from './stats';

const RUNS = Number(process.env.BENCH_LIVE_RUNS ?? 20);
/** What the issue names: a reply of 50 tokens, 20 ms apart. */
const TOKENS = 50;
const TOKEN_MS = 20;
const reply = (name: string) => Array.from({ length: TOKENS }, (_, i) => `${name}${i}`).join(' ');

export interface LiveBenchDeps {
  client: TeamClient;
  address: string;
  connection: NativeConnection;
  workflowBundle: { code: string };
  log: (line: string) => void;
}

/**
 * Live previews: how soon a token the model writes reaches an A2A client, how soon a recorded
 * turn reaches the stream, what watchers cost the workers (one follower per run per front end),
 * and how soon a run whose worker was killed mid-call goes on elsewhere.
 */
export async function benchLiveStreams(deps: LiveBenchDeps): Promise<string> {
  const model = await startScriptedModelServer({
    script: {
      agents: { ping: { replies: [reply('ping')], tokenDelayMs: TOKEN_MS }, pong: { replies: [reply('pong')], tokenDelayMs: TOKEN_MS } },
    },
  });
  const spec = pingPongTeam('bench-live', 2, model.baseUrl);
  const server = await startA2AServer({ teams: [spec], client: deps.client, port: 0, version: 'bench', tokens: null, secrets: null });
  try {
    const latency = await firstTokens(deps, model, server);
    const fanOut = await watchers(deps, server);
    const recovery = await recoveryAfterKill(deps, model);
    return `${latency} ${fanOut} ${recovery}`;
  } finally {
    await server.close();
    await model.close();
  }
}

/** First token at the client minus first token leaving the model; recorded turn to its stream event. */
async function firstTokens({ log }: LiveBenchDeps, model: ScriptedModelServer, server: A2AServer): Promise<string> {
  const a2a = await new ClientFactory().createFromUrl(server.teamUrls['bench-live']!);
  const firstToken: number[] = [];
  const turnToEvent: number[] = [];
  for (let i = 0; i < RUNS + 2; i += 1) {
    const warmUp = i < 2;
    let runId = '';
    const firstChunkAt = new Map<string, number>();
    for await (const event of a2a.sendMessageStream(sendParams('Go.'))) {
      const arrived = Date.now();
      const p = event.payload;
      if (p?.$case === 'task') runId = p.value.id;
      if (
        p?.$case === 'artifactUpdate' &&
        p.value.artifact?.artifactId.startsWith('draft-') &&
        !firstChunkAt.has(p.value.artifact.artifactId)
      )
        firstChunkAt.set(p.value.artifact.artifactId, arrived);
      const update = statusUpdate(event);
      if (!warmUp && update?.status?.message && update.status.state === TaskState.TASK_STATE_WORKING && update.status.timestamp)
        turnToEvent.push(arrived - Date.parse(update.status.timestamp));
    }
    if (warmUp) continue;
    // The model's first piece of each call, and the client's first chunk of each draft, in order.
    const sentAt = model.requests.filter((r) => r.runId === runId && r.firstPieceAt).map((r) => r.firstPieceAt!);
    const seenAt = [...firstChunkAt.values()];
    sentAt.forEach((at, k) => seenAt[k] !== undefined && firstToken.push(seenAt[k]! - at));
  }
  log(`Live previews, ${RUNS} runs of 2 turns, each reply ${TOKENS} tokens ${TOKEN_MS} ms apart, A2A SDK client on 127.0.0.1:`);
  log(
    `  first token leaving the model -> first chunk at the client: p50 ${fmt(median(firstToken))}  p99 ${fmt(percentile(firstToken, 99))}  (targets p50 <= 50 ms, p99 <= 150 ms)`,
  );
  log(
    `  turn recorded in the workflow -> its event on the stream: p50 ${fmt(median(turnToEvent))}  p99 ${fmt(percentile(turnToEvent, 99))}  (target p50 <= 20 ms)`,
  );
  return (
    `live_first_token_p50_ms=${median(firstToken).toFixed(1)} live_first_token_p99_ms=${percentile(firstToken, 99).toFixed(1)} ` +
    `live_turn_event_p50_ms=${median(turnToEvent).toFixed(1)}`
  );
}

/** How long the watchers are counted for, while the runs go on. */
const WINDOW_MS = 5_000;

/** A full collection when node runs with --expose-gc (`npm run bench` does), so heap figures are what is held. */
const collect = () => (globalThis as { gc?: () => void }).gc?.();

/**
 * Watchers: 1, 100 and 1,000 SSE subscribers on one run, and 1,000 spread over 100 runs. What the
 * workers pay for watchers is the front end's queries (each one a workflow task on a worker):
 * counted at the client over a window while the runs go on, per run per second. Memory: the
 * front end's heap per subscriber.
 */
async function watchers({ client, address, log }: LiveBenchDeps, server: A2AServer): Promise<string> {
  let queries = 0;
  let queryMs = 0;
  let failures = 0;
  const events = client.events.bind(client);
  client.events = async (...args: Parameters<TeamClient['events']>) => {
    queries += 1;
    const started = performance.now();
    try {
      return await events(...args);
    } catch (err) {
      failures += 1;
      throw err;
    } finally {
      queryMs += performance.now() - started;
    }
  };
  // Long runs, cut short once counted, written at a pace one process can serve to a thousand
  // subscribers (each chunk is serialized once per subscriber): 20 words a turn, 100 ms apart.
  const slow = await startScriptedModelServer({
    script: {
      agents: {
        ping: { replies: [reply('ping').split(' ').slice(0, 20).join(' ')], tokenDelayMs: 100 },
        pong: { replies: ['pong'], tokenDelayMs: 100 },
      },
    },
  });
  const longSpec = pingPongTeam('bench-live', 60, slow.baseUrl);
  // The runs' worker is a process of its own, so its CPU is its own: the front end (this process)
  // serves the subscribers; the worker answers the front end's queries and runs the turns.
  const taskQueue = `bench-watchers-${Date.now()}`;
  const worker = await startWorkerProcess({ address, taskQueue, modelBaseUrl: slow.baseUrl });
  const runsOn = new TeamClient(client.client, taskQueue, client.store, client.live);
  const results: string[] = [];
  const summary: string[] = [];
  try {
    for (const [subscribers, runs] of [
      [1, 1],
      [100, 1],
      [1000, 1],
      [1000, 100],
    ] as const) {
      const runIds = await Promise.all(Array.from({ length: runs }, () => runsOn.start(longSpec, 'Go.')));
      collect();
      const heapBefore = process.memoryUsage().heapUsed;
      const stop = new AbortController();
      let opened = 0;
      let failed = 0;
      const streams = Array.from({ length: subscribers }, (_, k) =>
        subscribe(server, runIds[k % runs]!, stop.signal, (ok) => {
          opened += 1;
          if (!ok) failed += 1;
        }).catch(() => undefined),
      );
      const joining = performance.now();
      while (opened < subscribers) await new Promise((resolve) => setTimeout(resolve, 20));
      // Each join reads the task once (SubscribeToTask's first event): that storm passes before counting.
      const joinSeconds = (performance.now() - joining) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      collect();
      const heapPerSubscriber = (process.memoryUsage().heapUsed - heapBefore) / subscribers;
      const startQueries = queries;
      const [startQueryMs, startFailures] = [queryMs, failures];
      const cpuBefore = process.cpuUsage();
      const workerCpuBefore = cpuSecondsOf(worker.child.pid!);
      await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
      const cpu = process.cpuUsage(cpuBefore);
      const workerShare = ((cpuSecondsOf(worker.child.pid!) - workerCpuBefore) / (WINDOW_MS / 1000)) * 100;
      const perRunPerSecond = (queries - startQueries) / runs / (WINDOW_MS / 1000);
      const followers = client.watching.runs;
      const counted = queries - startQueries;
      const queryLatency = counted ? (queryMs - startQueryMs) / counted : NaN;
      const queryFailures = failures - startFailures;
      const cpuShare = ((cpu.user + cpu.system) / 1e3 / WINDOW_MS) * 100;
      stop.abort();
      await Promise.all(streams);
      await Promise.all(runIds.map((id) => client.client.workflow.getHandle(id).terminate('benchmark window over')));
      results.push(
        `  ${String(subscribers).padStart(4)} subscribers on ${String(runs).padStart(3)} run(s), ${followers} follower(s): ${perRunPerSecond.toFixed(1)} queries per run per s (${queryLatency.toFixed(0)} ms each${queryFailures ? `, ${queryFailures} failed` : ''}), ` +
          `worker ${workerShare.toFixed(0)}% of a core, front end and subscribers ${cpuShare.toFixed(0)}%, heap ${(heapPerSubscriber / 1024).toFixed(1)} KiB per subscriber (all joined in ${joinSeconds.toFixed(1)} s${failed ? `, ${failed} refused` : ''})`,
      );
      summary.push(
        `live_q_per_run_s_${subscribers}_${runs}=${perRunPerSecond.toFixed(1)} live_worker_cpu_pct_${subscribers}_${runs}=${workerShare.toFixed(0)} live_kib_per_sub_${subscribers}_${runs}=${(heapPerSubscriber / 1024).toFixed(1)}`,
      );
    }
  } finally {
    client.events = events;
  }
  log(
    `Watchers, counted over ${WINDOW_MS / 1000} s of runs writing (the worker in a process of its own, which cannot nudge this front end: it polls each watched run every 20-150 ms; with PostgreSQL it would hear the worker and poll once a second):`,
  );
  for (const line of results) log(line);
  return summary.join(' ');
}

/** One SSE subscriber (SubscribeToTask over JSON-RPC), read until the task ends or `signal` aborts; `onOpen` once its first event came. */
async function subscribe(server: A2AServer, taskId: string, signal: AbortSignal, onOpen: (ok: boolean) => void): Promise<void> {
  let first = true;
  try {
    const response = await fetch(`${server.teamUrls['bench-live']}a2a/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'A2A-Version': '1.0' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'SubscribeToTask', params: { id: taskId } }),
      signal,
    });
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      void chunk;
      if (first) onOpen(true); // the task has come: this subscriber has joined
      first = false;
    }
  } finally {
    if (first) onOpen(false); // refused or cut before its first event: not waited for, and counted
  }
}

/**
 * A worker (its own process) killed with SIGKILL while its model writes a reply: how long until
 * the call's next attempt starts writing on another worker. Defaults throughout (heartbeat timeout,
 * retry policy), which is the point.
 */
async function recoveryAfterKill(
  { client, address, connection, workflowBundle, log }: LiveBenchDeps,
  model: ScriptedModelServer,
): Promise<string> {
  const taskQueue = `bench-recovery-${Date.now()}`;
  const spec = pingPongTeam('bench-recovery', 1, model.baseUrl);
  const times: number[] = [];
  for (let i = 0; i < 2; i += 1) {
    const doomed = await startWorkerProcess({ address, taskQueue, modelBaseUrl: model.baseUrl });
    // The standby is ready but not polling, so the call cannot start on it.
    const standby = await Worker.create({
      ...createWorkerOptions({ connection, taskQueue, model: { baseUrl: model.baseUrl } }),
      workflowsPath: undefined,
      workflowBundle,
    });
    const other = new TeamClient(client.client, taskQueue, client.store, client.live);
    const runId = await other.start(spec, 'Go.');
    const calls = () => model.requests.filter((r) => r.runId === runId && r.firstPieceAt);
    while (calls().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await doomed.kill('SIGKILL');
    const killedAt = Date.now();
    const running = standby.run();
    while (calls().length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    times.push(calls()[1]!.firstPieceAt! - killedAt);
    await other.result(runId);
    standby.shutdown();
    await running;
  }
  log(
    `Recovery: a worker killed mid-reply (SIGKILL), default settings: the next attempt writes after ${times.map((t) => fmt(t)).join(', ')}  (target <= 10 s)`,
  );
  return `live_recovery_ms=${Math.max(...times).toFixed(0)}`;
}

function statusUpdate(event: StreamResponse) {
  return event.payload?.$case === 'statusUpdate' ? event.payload.value : null;
}
