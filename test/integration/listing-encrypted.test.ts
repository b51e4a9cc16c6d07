import { randomBytes } from 'node:crypto';
import { dataConverterFromEnv } from '../../src/temporal/codec/data-converter';
import { TeamClient } from '../../src/client/team-client';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, testTemporalAddress, uniqueTaskQueue, type TestWorker } from '../../src/testing/temporal-env';
import { REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';

/**
 * A process without the payload key (a CLI on an operator's laptop, a front end not yet given
 * it) lists the runs of a namespace where some runs are encrypted: those show without what their
 * memo holds, and the listing still shows every other run.
 */
describe('listing runs some of which this process cannot decrypt', () => {
  let model: ScriptedModelServer;
  let encrypted: TestWorker;
  let plain: TeamClient;
  let dataConverter: ReturnType<typeof dataConverterFromEnv>;

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: REVIEW_SCRIPT });
    dataConverter = dataConverterFromEnv({ DURABLE_TEAMS_CODEC_KEYS: `k1:${randomBytes(32).toString('base64')}` });
    encrypted = await startTestWorker({ model: { baseUrl: model.baseUrl }, dataConverter });
    plain = await TeamClient.connect({ address: testTemporalAddress(), namespace: 'default', taskQueue: encrypted.taskQueue });
  });
  afterAll(async () => {
    await plain?.close();
    await encrypted?.stop();
    await model?.close();
  });

  it('lists an encrypted run without its memo, and the others as ever', async () => {
    const secret = await encrypted.client.start(reviewTeam(), 'An encrypted task.');
    await encrypted.client.result(secret);
    let listed = await plain.list({ limit: 1000 });
    for (let i = 0; i < 50 && !listed.some((r) => r.runId === secret); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100)); // visibility lags a moment
      listed = await plain.list({ limit: 1000 });
    }
    expect(listed.find((r) => r.runId === secret)).toMatchObject({ runId: secret, team: null, status: 'completed', waiting: null });
    // The process with the key reads the memo as ever.
    expect((await encrypted.client.list({ limit: 1000 })).find((r) => r.runId === secret)).toMatchObject({
      team: 'review',
      status: 'completed',
    });
  });

  it('lists an encrypted run still in progress, whose listing carries no history length yet', async () => {
    // No worker polls this queue: the run stays in progress, as visibility lists it before its first step.
    const idle = await TeamClient.connect({
      address: testTemporalAddress(),
      namespace: 'default',
      taskQueue: uniqueTaskQueue('listing-encrypted-idle'),
      dataConverter,
    });
    const running = await idle.start(reviewTeam(), 'An encrypted task no worker takes.');
    try {
      const listedBy = async (options: Parameters<TeamClient['list']>[0]) => {
        for (let i = 0; ; i += 1) {
          const found = (await plain.list(options)).find((r) => r.runId === running);
          if (found || i >= 50) return found;
          await new Promise((resolve) => setTimeout(resolve, 100)); // visibility lags a moment
        }
      };
      expect(await listedBy({ limit: 1000 })).toMatchObject({ runId: running, team: null, status: 'working', waiting: null });
      // `list --stalled` looks at every run in progress: an unreadable one is one of them, not the end of the listing.
      await expect(plain.list({ limit: 1000, stalled: true })).resolves.toEqual(expect.any(Array));
    } finally {
      await idle.client.workflow.getHandle(running).terminate('test over');
      await idle.close();
    }
  });
});
