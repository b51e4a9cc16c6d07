import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatMessage } from '../../src/core/messages';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { startWorkerProcess, type WorkerProcess } from '../../src/testing/worker-process';
import { TeamClient } from '../../src/client/team-client';
import { REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';
import { until } from '../helpers/waiting';

/** A lost worker is noticed within the heartbeat timeout; keep it short so the test is quick. */
const team = reviewTeam({ timeouts: { heartbeat: '2s' }, retry: { initialInterval: '100ms' } });
const contents = (messages: ChatMessage[]) => messages.map(({ index, source, content }) => ({ index, source, content }));

describe('a worker process killed with SIGKILL mid-run', () => {
  let model: ScriptedModelServer;
  let client: TeamClient;
  let taskQueue: string;
  let workers: WorkerProcess[] = [];
  let undisturbed: ChatMessage[];

  const startWorker = async () => {
    const worker = await startWorkerProcess({ address: testTemporalAddress(), taskQueue, modelBaseUrl: model.baseUrl });
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    // Slow replies give the test time to kill a worker while a model call is in flight.
    model = await startScriptedModelServer({ script: { ...REVIEW_SCRIPT, latencyMs: 400 } });
    taskQueue = uniqueTaskQueue('crash');
    client = await TeamClient.connect({ address: testTemporalAddress(), namespace: 'default', taskQueue });
    const worker = await startWorker();
    undisturbed = (await client.result(await client.start(team, 'Write a note.'))).messages;
    await worker.kill('SIGTERM');
  }, 60_000);
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    workers = [];
  });
  afterAll(async () => {
    await client?.close();
    await model?.close();
  });

  it('during a model call: a new worker finishes the run, every turn once, as if undisturbed', async () => {
    model.reset();
    const first = await startWorker();
    const runId = await client.start(team, 'Write a note.');
    await until(() => model.requests.some((r) => r.runId === runId && r.agent === 'writer'), "the writer's first call");
    await first.kill('SIGKILL'); // the writer's call is in flight

    await startWorker();
    const result = await client.result(runId);
    expect(result.snapshot.status).toBe('completed');
    expect(contents(result.messages)).toEqual(contents(undisturbed));
    // The lost call was made again: the model saw it twice, the transcript has it once.
    expect(model.requests.filter((r) => r.runId === runId && r.agent === 'writer' && r.replyIndex === 0).length).toBe(2);
  }, 90_000);

  it('between turns: a new worker picks the run up from its history', async () => {
    model.reset();
    const first = await startWorker();
    const runId = await client.start(team, 'Write a note.');
    for await (const event of client.follow(runId)) {
      if (event.type === 'message' && event.message.source === 'reviewer') break; // turn 3 is in
    }
    await first.kill('SIGKILL');
    const stateWithoutWorker = await client.executionStatus(runId);
    expect(stateWithoutWorker).toBe('RUNNING');

    await startWorker();
    const result = await client.result(runId);
    expect(contents(result.messages)).toEqual(contents(undisturbed));
    const turns = result.messages.map((m) => m.turn);
    expect(turns).toEqual([null, 0, 1, 2, 3, 4, 5]);
  }, 90_000);

  it('while no worker runs, the run waits; status answers from Temporal once a worker is back', async () => {
    model.reset();
    const first = await startWorker();
    const runId = await client.start(team, 'Write a note.');
    await until(() => model.requests.some((r) => r.runId === runId), 'the first model call');
    await first.kill('SIGKILL');
    await sleep(1_000);
    expect(await client.executionStatus(runId)).toBe('RUNNING');

    await startWorker();
    await client.result(runId);
    expect(await client.getState(runId)).toMatchObject({ status: 'completed', turns: 6 });
  }, 90_000);
});
