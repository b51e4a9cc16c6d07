import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { installRuntimeLogging } from '../../src/logging/runtime-logging';
import { maxMessages, team } from '../../src/spec';
import { testWorkflowBundle, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { locateTimeSkippingServer, startTimeSkippingEnv } from '../../src/testing/time-skipping';
import { TeamClient } from '../../src/client/team-client';
import { createWorkerOptions } from '../../src/worker/worker-options';

const DAY_MS = 24 * 60 * 60 * 1000;

// Skipped only when Java or Maven is missing (the script's exit 3); any other failure fails.
const server = locateTimeSkippingServer();
const describeWithServer = !server.ok && server.toolsMissing ? describe.skip : describe;

describeWithServer("a deadline of days, on Temporal's time-skipping test server", () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    installRuntimeLogging('ERROR');
    env = await startTimeSkippingEnv();
  });
  afterAll(async () => env?.teardown());

  it('fires its default action after two days of workflow time, in seconds of real time', async () => {
    const taskQueue = uniqueTaskQueue('days');
    const worker = await Worker.create({
      ...createWorkerOptions({ connection: env.nativeConnection, taskQueue }),
      workflowsPath: undefined,
      workflowBundle: await testWorkflowBundle(),
    });
    const client = new TeamClient(env.client, taskQueue);
    const slowPerson = team('slow')
      .roundRobin()
      .human('person', { description: 'Takes their time.', timeout: { after: '2d', action: 'continue', message: 'No reply in two days.' } })
      .terminateWhen(maxMessages(2))
      .build();

    const before = await env.currentTimeMs();
    const result = await worker.runUntil(async () => client.result(await client.start(slowPerson, 'Anyone there?')));
    const waited = result.messages[1]!.at - result.snapshot.startedAt;

    expect(result.messages.map((m) => [m.source, m.content])).toEqual([
      ['user', 'Anyone there?'],
      ['person', 'No reply in two days.'],
    ]);
    expect(waited).toBeGreaterThanOrEqual(2 * DAY_MS);
    expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(2 * DAY_MS);
  });
});
