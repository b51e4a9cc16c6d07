import { TaskState } from '@a2a-js/sdk';
import { ClientFactory } from '@a2a-js/sdk/client';
import { sendParams } from './a2a-message';
import { MODEL_LATENCY_MS, type ReadsRig } from './reads';
import { fmt, median, percentile } from './stats';

/** Readers asking at once; BENCH_READS_READERS overrides. */
const READERS = Number(process.env.BENCH_READS_READERS ?? 200);
/** Runs read, one after another; BENCH_READS_GETTASK_RUNS overrides. */
const RUNS = Number(process.env.BENCH_READS_GETTASK_RUNS ?? 2);
const TERMINAL = new Set(['TASK_STATE_COMPLETED', 'TASK_STATE_FAILED', 'TASK_STATE_CANCELED', 'TASK_STATE_REJECTED']);

interface Answer {
  ms: number;
  /** Epoch ms, to compare with the run's close time. */
  receivedAt: number;
  state: string | null;
  error: string | null;
}

/** One GetTask over JSON-RPC, plain fetch: what a polling client sends. */
async function getTask(url: string, id: string): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'A2A-Version': '1.0' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id } }),
    });
    const body = (await response.json()) as { result?: { status?: { state?: string } }; error?: { message?: string } };
    const [ms, receivedAt] = [performance.now() - started, Date.now()];
    if (!response.ok || body.error) return { ms, receivedAt, state: null, error: body.error?.message ?? `HTTP ${response.status}` };
    return { ms, receivedAt, state: body.result?.status?.state ?? null, error: null };
  } catch (err) {
    return { ms: performance.now() - started, receivedAt: Date.now(), state: null, error: (err as Error).message };
  }
}

const FLOOR_WAVES = 3;

/** One reader asking again as soon as answered, through a whole run: GetTask's latency with no queue ahead of it. */
async function oneReader(a2a: Awaited<ReturnType<ClientFactory['createFromUrl']>>, rpcUrl: string): Promise<number[]> {
  const ms: number[] = [];
  let done = false;
  let reading: Promise<void> | null = null;
  for await (const event of a2a.sendMessageStream(sendParams('Go.'))) {
    const p = event.payload;
    if (p?.$case === 'task' && !reading)
      reading = (async () => {
        while (!done) ms.push((await getTask(rpcUrl, p.value.id)).ms);
      })();
  }
  done = true;
  await reading;
  return ms;
}

/** Waves of READERS describe() calls of one run at once, straight to Temporal: what a GetTask cannot beat. */
async function describeFloor(client: ReadsRig['client'], runId: string): Promise<number[]> {
  const handle = client.client.workflow.getHandle(runId);
  const times: number[] = [];
  for (let wave = 0; wave < FLOOR_WAVES; wave += 1)
    await Promise.all(
      Array.from({ length: READERS }, async () => {
        const started = performance.now();
        await handle.describe();
        times.push(performance.now() - started);
      }),
    );
  return times;
}

/**
 * GetTask while the run goes on: READERS readers ask at once (a wave) when the task's stream
 * starts, at each step the stream shows, halfway through each model call, and just before each
 * reply comes back (when the run's workflow task runs). A wave still answering when the next is
 * due takes its place. An answer is wrong when it says the task ended before the run had closed.
 */
export async function benchGetTask({ server, client, calls, short, log }: ReadsRig): Promise<string> {
  const teamUrl = server.teamUrls[short.name]!;
  const rpcUrl = `${teamUrl}a2a/jsonrpc`;
  const a2a = await new ClientFactory().createFromUrl(teamUrl);
  const alone = await oneReader(a2a, rpcUrl);
  const answers: Answer[] = [];
  const waveMs: number[] = [];
  let wrong = 0;
  let skipped = 0;
  let lastRun = '';
  const callsBefore = calls.snapshot();
  for (let run = 0; run < RUNS; run += 1) {
    let runId = '';
    let wave: Promise<void> | null = null;
    const timers: NodeJS.Timeout[] = [];
    const ofRun: Answer[] = [];
    const fire = () => {
      if (wave) {
        skipped += 1;
        return;
      }
      const started = performance.now();
      wave = Promise.all(Array.from({ length: READERS }, () => getTask(rpcUrl, runId).then((a) => void ofRun.push(a)))).then(() => {
        waveMs.push(performance.now() - started);
        wave = null;
      });
    };
    for await (const event of a2a.sendMessageStream(sendParams('Go.'))) {
      const p = event.payload;
      if (p?.$case === 'task') runId = p.value.id;
      const update = p?.$case === 'statusUpdate' ? p.value : null;
      if (!runId || (p?.$case !== 'task' && update?.status?.state !== TaskState.TASK_STATE_WORKING)) continue;
      fire();
      if (update?.status?.message) timers.push(setTimeout(fire, MODEL_LATENCY_MS / 2), setTimeout(fire, MODEL_LATENCY_MS - 10));
    }
    timers.forEach(clearTimeout);
    await wave;
    const closedAt = (await client.client.workflow.getHandle(runId).describe()).closeTime?.getTime() ?? Infinity;
    wrong += ofRun.filter((a) => a.state !== null && TERMINAL.has(a.state) && a.receivedAt < closedAt).length;
    answers.push(...ofRun);
    lastRun = runId;
  }
  // Each GetTask's Temporal calls (the readers', and the stream's, which are few beside them).
  const perAnswer = [...calls.since(callsBefore)].map(([method, n]) => `${method} ${(n / answers.length).toFixed(2)}`).join(', ');
  const floor = await describeFloor(client, lastRun);
  const ms = answers.map((a) => a.ms);
  const errors = answers.filter((a) => a.error !== null);
  const states = new Map<string, number>();
  for (const a of answers) if (a.state) states.set(a.state, (states.get(a.state) ?? 0) + 1);
  log(
    `GetTask, ${READERS} readers at once (${waveMs.length} waves, ${answers.length} answers; ${skipped} waves fell on one still answering) over ${RUNS} runs of ${short.name}:`,
  );
  log(
    `  p50 ${fmt(median(ms))}  p99 ${fmt(percentile(ms, 99))}  max ${fmt(Math.max(...ms))}  (target p99 <= 100 ms); errors ${errors.length}, wrong (ended while running) ${wrong}  (targets 0, 0)`,
  );
  if (errors.length) log(`  first error: ${errors[0]!.error}`);
  log(`  one reader alone, asking again as soon as answered through a run: p50 ${fmt(median(alone))}  p99 ${fmt(percentile(alone, 99))}`);
  log(
    `  a wave of ${READERS} answered in p50 ${fmt(median(waveMs))}, max ${fmt(Math.max(...waveMs))}; states answered: ${[...states].map(([s, n]) => `${s.replace('TASK_STATE_', '').toLowerCase()} ${n}`).join(', ')}`,
  );
  log(`  Temporal calls per answer: ${perAnswer}`);
  log(
    `  the floor Temporal sets: ${READERS} describe() at once, ${FLOOR_WAVES} times, this process's client alone: p50 ${fmt(median(floor))}  p99 ${fmt(percentile(floor, 99))}`,
  );
  return `reads_gettask_p50_ms=${median(ms).toFixed(1)} reads_gettask_p99_ms=${percentile(ms, 99).toFixed(1)} reads_gettask_errors=${errors.length} reads_gettask_wrong=${wrong}`;
}
