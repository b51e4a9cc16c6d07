import { setTimeout as sleep } from 'node:timers/promises';
import { startA2AServer } from '../src/server/server';
import { maxMessages, team } from '../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../src/testing/scripted-model';
import { TeamClient } from '../src/client/team-client';
import type { StartWorker } from './codec';
import { fmt, median } from './stats';

const SAMPLES = Number(process.env.BENCH_CANCEL_SAMPLES ?? 8);
const CONCURRENT = Number(process.env.BENCH_HEARTBEAT_RUNS ?? 50);
/** Work that only a cancellation ends in time. */
const SLOW_MS = 30_000;

async function until<T>(probe: () => T | undefined | null | false, limitMs = 30_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('the cancel bench waited too long');
    await sleep(5);
  }
}

/**
 * How soon a cancel reaches the work under way, with default settings (issue 22): from
 * `TeamClient.cancel` to the remote A2A task's run being asked to cancel (our CancelTask arrived
 * and the remote acted on it), and to a model call's HTTP request being aborted. The cancel comes
 * at a random moment of the heartbeat's second. Then what the beat costs: concurrent runs of one
 * 3-second model turn, beating every second (the default) against every 15 s.
 */
export async function benchCancelLatency(address: string, startWorker: StartWorker, log: (line: string) => void): Promise<string> {
  const model = await startScriptedModelServer({
    script: { agents: { slowpoke: { replies: ['late'], latencyMs: SLOW_MS }, steady: { replies: ['done'], latencyMs: 3_000 } } },
  });
  const queue = `bench-cancel-${Date.now()}`;
  const worker = await startWorker(queue, {});
  const client = await TeamClient.connect({ address, namespace: 'default', taskQueue: queue });
  const slow = team('bench-slowpoke')
    .roundRobin()
    .model({ model: 'scripted', baseUrl: model.baseUrl })
    .agent('slowpoke', { description: 'Takes 30 s.' })
    .terminateWhen(maxMessages(2))
    .build();
  const server = await startA2AServer({ teams: [slow], client, port: 0, version: 'bench', tokens: null, secrets: null });
  const caller = team('bench-cancel-caller')
    .roundRobin()
    .model({ model: 'scripted', baseUrl: model.baseUrl })
    .remote('helper', { description: 'The slow remote team.', card: `${server.teamUrls['bench-slowpoke']}.well-known/agent-card.json` })
    .terminateWhen(maxMessages(2))
    .build();
  const modelCall = (runId: string) => model.requests.find((r) => r.runId === runId && r.agent === 'slowpoke');
  try {
    const toRemote: number[] = [];
    let missed = 0;
    const toModel: number[] = [];
    for (let i = 0; i < SAMPLES; i += 1) {
      // A remote task under way: its model call hangs at the remote.
      const seen = model.requests.length;
      const runId = await client.start(caller, 'Go.');
      const remoteCall = await until(() => model.requests.slice(seen).find((r) => r.agent === 'slowpoke'));
      await sleep(Math.random() * 1_000);
      let asked = Date.now();
      await client.cancel(runId);
      const remoteRun = client.client.workflow.getHandle(remoteCall.runId!);
      // The remote front end asks its run to cancel as CancelTask arrives: the event's time is the arrival.
      let at: number | null = null;
      while (at === null && Date.now() - asked <= 30_000) {
        const history = await remoteRun.fetchHistory();
        const event = history.events?.find((e) => e.workflowExecutionCancelRequestedEventAttributes);
        if (event?.eventTime?.seconds != null) at = Number(event.eventTime.seconds) * 1000 + Math.floor((event.eventTime.nanos ?? 0) / 1e6);
        else await sleep(20);
      }
      // A cancel that never reached the remote is counted, not hidden, and the bench goes on.
      if (at === null) missed += 1;
      else toRemote.push(at - asked);
      await client.result(runId).catch(() => undefined);
      if (at !== null) await until(() => remoteCall.abandoned);

      // A model call under way.
      const direct = await client.start(slow, 'Go.');
      const call = await until(() => modelCall(direct));
      await sleep(Math.random() * 1_000);
      asked = Date.now();
      await client.cancel(direct);
      await until(() => call.abandoned);
      toModel.push(Date.now() - asked);
      await client.result(direct).catch(() => undefined);
    }
    log(`cancel latency, default settings: ${SAMPLES} cancels at a random moment of a 30 s task`);
    log(
      `  to CancelTask at the remote A2A task : p50 ${fmt(median(toRemote))}  max ${fmt(Math.max(...toRemote))}  (target <= 2 s)${missed ? `; ${missed} never arrived within 30 s` : ''}`,
    );
    log(`  to the model call's request aborted  : p50 ${fmt(median(toModel))}  max ${fmt(Math.max(...toModel))}  (target <= 2 s)`);
    const cost = await heartbeatCost(address, model, startWorker, log);
    return (
      `cancel_remote_p50_ms=${median(toRemote).toFixed(0)} cancel_remote_max_ms=${Math.max(...toRemote).toFixed(0)} cancel_remote_missed=${missed} ` +
      `cancel_model_p50_ms=${median(toModel).toFixed(0)} cancel_model_max_ms=${Math.max(...toModel).toFixed(0)} ${cost}`
    );
  } finally {
    await server.close();
    await client.close();
    await worker.stop();
    await model.close();
  }
}

/** CPU time of this process (worker, server-side helpers, client) and wall time for concurrent slow turns, per beat. */
async function heartbeatCost(address: string, model: ScriptedModelServer, startWorker: StartWorker, log: (line: string) => void) {
  const steady = team('bench-steady')
    .roundRobin()
    .model({ model: 'scripted', baseUrl: model.baseUrl })
    .agent('steady', { description: 'Takes 3 s.' })
    .terminateWhen(maxMessages(2))
    .build();
  const figures: Record<string, { cpuMs: number; wallMs: number }> = {};
  for (const every of ['1s', '15s']) {
    const queue = `bench-beat-${every}-${Date.now()}`;
    const worker = await startWorker(queue, { heartbeatEvery: every });
    const client = await TeamClient.connect({ address, namespace: 'default', taskQueue: queue });
    try {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const ids = await Promise.all(Array.from({ length: CONCURRENT }, () => client.start(steady, 'Go.')));
      await Promise.all(ids.map((id) => client.result(id)));
      const used = process.cpuUsage(cpu);
      figures[every] = { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - started };
    } finally {
      await client.close();
      await worker.stop();
    }
  }
  const [fast, slow] = [figures['1s']!, figures['15s']!];
  log(`heartbeat cost: ${CONCURRENT} concurrent runs of one 3 s model turn`);
  log(`  beat every 1 s (default): ${fmt(fast.wallMs)} wall, ${fmt(fast.cpuMs / CONCURRENT)} CPU a run`);
  log(`  beat every 15 s          : ${fmt(slow.wallMs)} wall, ${fmt(slow.cpuMs / CONCURRENT)} CPU a run`);
  return `beat_1s_cpu_ms_per_run=${(fast.cpuMs / CONCURRENT).toFixed(1)} beat_15s_cpu_ms_per_run=${(slow.cpuMs / CONCURRENT).toFixed(1)}`;
}
