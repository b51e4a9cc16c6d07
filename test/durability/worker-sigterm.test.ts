import { maxMessages, team } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { startWorkerProcess, type WorkerProcess } from '../../src/testing/worker-process';
import { TeamClient } from '../../src/client/team-client';

/**
 * A worker told to stop (SIGTERM, as `docker compose stop` or a rolling deploy does) while a
 * model call is in flight: the call finishes within the grace time and is recorded, the worker
 * exits cleanly, and another worker carries the run on without making that call again.
 */
describe('a worker stopped with SIGTERM mid-turn', () => {
  let model: ScriptedModelServer;
  beforeAll(async () => {
    // Long enough to be surely in flight at the signal, well inside the 10 s grace time.
    model = await startScriptedModelServer({
      script: { agents: { writer: { replies: ['a draft'], latencyMs: 2_000 }, critic: ['APPROVED'] } },
    });
  });
  afterAll(async () => {
    await model?.close();
  });

  it('finishes the call in flight, exits 0, and the run goes on elsewhere with every turn once', async () => {
    const taskQueue = uniqueTaskQueue('sigterm');
    const client = await TeamClient.connect({ address: testTemporalAddress(), namespace: 'default', taskQueue });
    const workers: WorkerProcess[] = [];
    try {
      workers.push(await startWorkerProcess({ address: testTemporalAddress(), taskQueue, modelBaseUrl: model.baseUrl, logLevel: 'WARN' }));
      const spec = team('sigterm')
        .roundRobin()
        .model({ model: 'scripted' })
        .agent('writer', { description: 'Writes.' })
        .agent('critic', { description: 'Checks.' })
        .terminateWhen(maxMessages(3))
        .build();
      const runId = await client.start(spec, 'Write something.');
      const writerCalls = () => model.requests.filter((r) => r.runId === runId && r.agent === 'writer');
      while (writerCalls().length === 0) await new Promise((resolve) => setTimeout(resolve, 25));

      const first = workers[0]!;
      const exited = new Promise<number | null>((resolve) => first.child.once('exit', (code) => resolve(code)));
      first.child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(first.output()).toContain('worker stopped');
      // The writer's answer was recorded before the worker left: nothing to redo.
      workers.push(await startWorkerProcess({ address: testTemporalAddress(), taskQueue, modelBaseUrl: model.baseUrl }));
      const { snapshot, messages } = await client.result(runId);
      expect(snapshot.status).toBe('completed');
      expect(messages.map((m) => [m.source, m.content])).toEqual([
        ['user', 'Write something.'],
        ['writer', 'a draft'],
        ['critic', 'APPROVED'],
      ]);
      expect(writerCalls()).toHaveLength(1);
      expect(writerCalls()[0]!.abandoned).toBe(false);
    } finally {
      for (const worker of workers) await worker.kill('SIGKILL');
      await client.close();
    }
  });
});
