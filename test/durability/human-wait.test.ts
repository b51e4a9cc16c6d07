import { setTimeout as sleep } from 'node:timers/promises';
import { maxMessages, team } from '../../src/spec';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { startWorkerProcess, type WorkerProcess } from '../../src/testing/worker-process';
import { TeamClient } from '../../src/client/team-client';
import { nextRequest } from '../helpers/waiting';

const asks = (timeout?: { after: string; action: 'continue'; message: string }) =>
  team('waits')
    .roundRobin()
    .human('person', { description: 'Answers.', ...(timeout ? { timeout } : {}) })
    .terminateWhen(maxMessages(2))
    .build();

describe('a run waiting on a person, with its worker gone', () => {
  let client: TeamClient;
  let taskQueue: string;
  let workers: WorkerProcess[] = [];
  const startWorker = async () => {
    const worker = await startWorkerProcess({ address: testTemporalAddress(), taskQueue });
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    taskQueue = uniqueTaskQueue('waits');
    client = await TeamClient.connect({ address: testTemporalAddress(), namespace: 'default', taskQueue });
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    workers = [];
  });
  afterAll(async () => client?.close());

  it('an answer sent while no worker runs is kept, and applied when a worker starts', async () => {
    const first = await startWorker();
    const runId = await client.start(asks(), 'Say something.');
    const request = await nextRequest(client, runId);
    await first.kill('SIGKILL');

    // No worker: nobody can acknowledge, so the answer is queued in the run's history as a signal.
    const sent = await client.answer(runId, { action: 'input', text: 'answered while nobody listened' });
    expect(sent).toEqual({ requestId: request.requestId, delivery: 'queued' });
    const peek = await client.peek(runId);
    expect(peek).toMatchObject({ status: 'input-required', waiting: { requestId: request.requestId, kind: 'input' } });

    await startWorker();
    const result = await client.result(runId);
    expect(result.snapshot.status).toBe('completed');
    expect(result.messages.at(-1)).toMatchObject({ source: 'person', content: 'answered while nobody listened' });
  }, 90_000);

  it('a deadline that passes while no worker runs fires when one starts', async () => {
    const first = await startWorker();
    const runId = await client.start(asks({ after: '3s', action: 'continue', message: 'Nobody answered.' }), 'Say something.');
    await nextRequest(client, runId);
    await first.kill('SIGKILL');
    await sleep(4_000); // the deadline passes with no worker

    await startWorker();
    const result = await client.result(runId);
    expect(result.messages.at(-1)).toMatchObject({ source: 'person', content: 'Nobody answered.' });
  }, 90_000);
});
