import { maxMessages, team } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { startWorkerProcess, type WorkerProcess } from '../../src/testing/worker-process';
import { TeamClient } from '../../src/client/team-client';

const TASK = 'Draft the launch note for project NIGHTJAR.';
const REPLIES = { writer: ['the draft mentions SKYLARK', 'a second draft'], critic: ['APPROVED, says OSPREY'] };

/**
 * A worker started with DURABLE_TEAMS_LOG_FORMAT=json logs one JSON object per line: the run's
 * turns with the run id, who spoke and how much, and never what anyone said.
 */
describe('JSON logs of a worker', () => {
  let model: ScriptedModelServer;
  let worker: WorkerProcess;
  let client: TeamClient;

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: { agents: REPLIES } });
    const taskQueue = uniqueTaskQueue('json-logs');
    worker = await startWorkerProcess({
      address: testTemporalAddress(),
      taskQueue,
      modelBaseUrl: model.baseUrl,
      logLevel: 'INFO',
      env: { DURABLE_TEAMS_LOG_FORMAT: 'json' },
    });
    client = await TeamClient.connect({ address: testTemporalAddress(), namespace: 'default', taskQueue });
  });
  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await client?.close();
    await model?.close();
  });

  it('logs each turn of a run as JSON with the run id and turn, and no content', async () => {
    const spec = team('logged')
      .roundRobin()
      .model({ model: 'scripted' })
      .agent('writer', { description: 'Writes.' })
      .agent('critic', { description: 'Critiques.' })
      .terminateWhen(maxMessages(3))
      .build();
    const runId = await client.start(spec, TASK);
    expect((await client.result(runId)).snapshot.status).toBe('completed');
    // The workflow's lines reach the log through Temporal's sink once its task completes.
    let lines: Record<string, unknown>[] = [];
    for (let i = 0; i < 50 && !lines.some((l) => l.message === 'run finished'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      lines = worker
        .output()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    }

    expect(lines.length).toBeGreaterThan(0); // every line parsed as JSON above
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', message: expect.stringContaining('worker ready') }));
    const ofRun = lines.filter((l) => l.run === runId);
    expect(ofRun.filter((l) => l.message === 'turn started').map((l) => [l.turn, l.speaker])).toEqual([
      [0, 'writer'],
      [1, 'critic'],
    ]);
    expect(ofRun.filter((l) => l.message === 'message').map((l) => [l.turn, l.source, l.chars])).toEqual([
      [0, 'writer', REPLIES.writer[0]!.length],
      [1, 'critic', REPLIES.critic[0]!.length],
    ]);
    expect(ofRun.find((l) => l.message === 'run finished')).toMatchObject({
      status: 'completed',
      workflowType: 'teamRun',
      taskQueue: expect.any(String),
    });
    for (const l of lines) expect(typeof l.time === 'string' && !Number.isNaN(Date.parse(l.time))).toBe(true);
    const all = worker.output();
    for (const secret of ['NIGHTJAR', 'SKYLARK', 'OSPREY']) expect(all).not.toContain(secret);
  });
});
