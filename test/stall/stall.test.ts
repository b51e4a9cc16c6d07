import { RunStalledError } from '../../src/temporal/errors';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { STALL_MESSAGE } from '../fixtures/stalling-workflows';
import { REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';
import { eventually, startStallingEnv } from './stall-env';

describe('a run whose workflow task keeps failing, on a real Temporal server', () => {
  let stalling: Awaited<ReturnType<typeof startStallingEnv>>;
  let model: ScriptedModelServer;
  let healthy: TestWorker;

  beforeAll(async () => {
    stalling = await startStallingEnv();
    model = await startScriptedModelServer({ script: REVIEW_SCRIPT });
    healthy = await startTestWorker({ model: { baseUrl: model.baseUrl } });
  });
  afterAll(async () => {
    await stalling?.stop();
    await healthy?.stop();
    await model?.close();
  });

  it('is reported stalled by the client and the run record, with the error and its cause', async () => {
    const runId = await stalling.client.start(reviewTeam(), 'Write a note.');
    const stall = await eventually(() => stalling.client.stall(runId));

    expect(stall.attempts).toBeGreaterThanOrEqual(3);
    expect(stall.cause).toBe('WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE');
    expect(stall.message).toContain(STALL_MESSAGE);
    expect(Number.isNaN(Date.parse(stall.since ?? ''))).toBe(false);

    const record = await stalling.client.report(runId);
    expect(record.status).toBe('working');
    expect(record.stall?.message).toContain(STALL_MESSAGE);
    await expect(stalling.client.getState(runId)).rejects.toThrow(RunStalledError);
    await expect(stalling.client.getState(runId)).rejects.toThrow(STALL_MESSAGE);
  });

  it('reports a healthy run as not stalled, while it runs and once it ended', async () => {
    const runId = await healthy.client.start(reviewTeam(), 'Write a note.');
    expect(await healthy.client.stall(runId)).toBeNull();
    await healthy.client.result(runId);
    expect(await healthy.client.stall(runId)).toBeNull();
    expect((await healthy.client.report(runId)).stall).toBeNull();
  });
});
