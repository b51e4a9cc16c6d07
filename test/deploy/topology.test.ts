import { setTimeout as sleep } from 'node:timers/promises';
import { TaskState, type Message, type Task } from '@a2a-js/sdk';
import { ClientFactory, type Client } from '@a2a-js/sdk/client';
import type { ServedRequest } from '../../src/testing/scripted-model';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { startWorkerProcess, type WorkerProcess } from '../../src/testing/worker-process';
import { sendParams, userMessage } from '../a2a/a2a-env';
import { CliProcess, tempDir, temporalFlags } from '../cli/cli-helpers';
import { REVIEW_SCRIPT, REVIEW_TURNS, reviewTeam } from '../helpers/teams';

/**
 * The compose topology without Docker: a Temporal server (the suite's dev server), two workers
 * and two front ends, each its own OS process started through the built CLI (`npm run build`
 * first), and the scripted model as `durable-teams scripted-model`. A task sent to one front end
 * is read on the other while one worker is killed with SIGKILL in the middle of a model call;
 * the other worker finishes the run.
 *
 * Each worker has a scripted model process of its own (both answer from the same script, and the
 * answer depends only on the request), so the model logs say which worker made which call, and
 * the test kills the one whose call is in flight.
 */

/** Long enough to see a call in flight and kill its worker before the answer. */
const TURN_MS = 1_500;
/** A killed worker's turn is retried on the other one after this heartbeat timeout. */
const team = reviewTeam({ timeouts: { heartbeat: '2s' }, retry: { initialInterval: '100ms' } });

interface ModelProcess {
  process: CliProcess;
  baseUrl: string;
  requests(): Promise<ServedRequest[]>;
}

const textOf = (message: Message): string => message.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');

describe('the production topology as processes: two workers, two front ends, one Temporal', () => {
  const taskQueue = uniqueTaskQueue('topology');
  const dir = tempDir('durable-teams-topology-');
  const processes: CliProcess[] = [];
  const workers: WorkerProcess[] = [];
  let models: ModelProcess[];
  let frontEnds: { process: CliProcess; url: string; client: Client }[];

  async function startModel(scriptFile: string): Promise<ModelProcess> {
    const process = new CliProcess(['scripted-model', '--script', scriptFile, '--port', '0'], { timeoutMs: 170_000 });
    processes.push(process);
    const [, baseUrl] = await process.waitFor('stdout', /^(http:\S+\/v1)$/m);
    const log = new URL('/_scripted/requests', baseUrl);
    return {
      process,
      baseUrl: baseUrl!,
      requests: async () => ((await (await fetch(log)).json()) as { requests: ServedRequest[] }).requests,
    };
  }

  async function startFrontEnd(teamFile: string) {
    const process = new CliProcess(['serve', teamFile, '--port', '0', ...temporalFlags(taskQueue)], { timeoutMs: 170_000 });
    processes.push(process);
    const [, url] = await process.waitFor('stdout', /^review (http:\S+)$/m);
    return { process, url: url!, client: await new ClientFactory().createFromUrl(url!) };
  }

  beforeAll(async () => {
    const script = dir.write('script.json', JSON.stringify({ ...REVIEW_SCRIPT, latencyMs: TURN_MS }));
    const teamFile = dir.write('review.json', JSON.stringify(team));
    models = await Promise.all([startModel(script), startModel(script)]);
    frontEnds = await Promise.all([startFrontEnd(teamFile), startFrontEnd(teamFile)]);
    // One after the other: each bundles the workflows as it starts, and the machine has two cores.
    for (const model of models)
      workers.push(await startWorkerProcess({ address: testTemporalAddress(), taskQueue, modelBaseUrl: model.baseUrl }));
  }, 170_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await Promise.all(processes.map((p) => p.stop('SIGTERM')));
    dir.remove();
  });

  it('a task sent to front end 1 and read on front end 2 completes, every turn once, after the worker making a model call is killed', async () => {
    const [one, two] = frontEnds;
    const sent = (await one!.client.sendMessage(sendParams(userMessage('Write a note.'), { returnImmediately: true }))) as Task;
    const taskId = sent.id;

    // The first model call of the run, on whichever worker took it; that worker is killed while it waits for the answer.
    let inFlight: { model: number; request: ServedRequest } | null = null;
    while (!inFlight) {
      const logs = await Promise.all(models.map((m) => m.requests()));
      const found = logs.flatMap((log, model) => log.filter((r) => r.runId === taskId).map((request) => ({ model, request })));
      inFlight = found[0] ?? null;
      if (!inFlight) await sleep(25);
    }
    const victim = workers[inFlight.model]!;
    await victim.kill('SIGKILL');
    expect(victim.child.signalCode).toBe('SIGKILL');

    // Front end 2 never saw the task; it reads it from Temporal, mid-run.
    const midRun = await two!.client.getTask({ tenant: '', id: taskId, historyLength: 50 });
    expect(midRun.id).toBe(taskId);
    expect([TaskState.TASK_STATE_SUBMITTED, TaskState.TASK_STATE_WORKING]).toContain(midRun.status?.state);

    let task = midRun;
    while (task.status?.state === TaskState.TASK_STATE_SUBMITTED || task.status?.state === TaskState.TASK_STATE_WORKING) {
      await sleep(250);
      task = await two!.client.getTask({ tenant: '', id: taskId, historyLength: 50 });
    }
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(task.history.map(textOf)).toEqual(['Write a note.', ...REVIEW_TURNS.map(([, content]) => content)]);
    expect(task.artifacts.map((a) => a.artifactId)).toEqual(['final-answer']);
    // Front end 1 reads the same task.
    expect(await one!.client.getTask({ tenant: '', id: taskId, historyLength: 50 })).toEqual(task);

    // The killed worker's call never got its answer; the survivor made the same call again.
    const { model, request } = inFlight;
    const killedLog = (await models[model]!.requests()).filter((r) => r.runId === taskId);
    expect(killedLog.find((r) => r.seq === request.seq)).toMatchObject({ abandoned: true });
    const survivorLog = (await models[1 - model]!.requests()).filter((r) => r.runId === taskId);
    expect(survivorLog).toContainEqual(
      expect.objectContaining({ agent: request.agent, replyIndex: request.replyIndex, status: 200, abandoned: false }),
    );

    for (const frontEnd of frontEnds) {
      const ready = await fetch(new URL('/readyz', frontEnd.url));
      expect({ url: frontEnd.url, status: ready.status }).toEqual({ url: frontEnd.url, status: 200 });
    }
  }, 170_000);
});
