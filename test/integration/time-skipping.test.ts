import { randomBytes } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { locateTimeSkippingServer, startTimeSkippingEnv } from '../../src/testing/time-skipping';
import { releaseSignal, sleepThreeDays, waitForRelease } from '../fixtures/time-skipping-workflows';

const DAY_MS = 24 * 60 * 60 * 1000;

// Skipped only when scripts/time-skipping-server.sh exits 3 (Java or Maven missing); any other
// failure to find or start the server fails the tests in beforeAll.
const server = locateTimeSkippingServer();
const toolsMissing = !server.ok && server.toolsMissing;
if (toolsMissing) console.warn(`SKIPPING the time-skipping server tests: ${server.message}`);
const describeWithServer = toolsMissing ? describe.skip : describe;

describeWithServer("Temporal's Java time-skipping test server", () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    // The worker logs its lifecycle and webpack's report at INFO; only errors matter here.
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    env = await startTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  /** Runs fn while a worker for the fixture workflows polls a task queue of its own. */
  async function withWorker<T>(fn: (taskQueue: string) => Promise<T>): Promise<T> {
    const taskQueue = `time-skipping-${randomBytes(4).toString('hex')}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../fixtures/time-skipping-workflows'),
    });
    return worker.runUntil(fn(taskQueue));
  }

  function workflowId(name: string): string {
    return `${name}-${randomBytes(4).toString('hex')}`;
  }

  it('completes a 3-day sleep, the server clock moving 3 days ahead', async () => {
    const before = await env.currentTimeMs();
    const result = await withWorker((taskQueue) =>
      env.client.workflow.execute(sleepThreeDays, { taskQueue, workflowId: workflowId('sleep') }),
    );
    const after = await env.currentTimeMs();

    expect(result.elapsedMs).toBeGreaterThanOrEqual(3 * DAY_MS);
    expect(after - before).toBeGreaterThanOrEqual(3 * DAY_MS);
  });

  it('times a condition out after its 2 days when no signal comes', async () => {
    const before = await env.currentTimeMs();
    const result = await withWorker((taskQueue) =>
      env.client.workflow.execute(waitForRelease, { taskQueue, workflowId: workflowId('no-signal') }),
    );
    const after = await env.currentTimeMs();

    expect(result.released).toBe(false);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(2 * DAY_MS);
    expect(after - before).toBeGreaterThanOrEqual(2 * DAY_MS);
  });

  it('ends the wait early when the signal comes', async () => {
    const result = await withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(waitForRelease, { taskQueue, workflowId: workflowId('signal') });
      await handle.signal(releaseSignal);
      return handle.result();
    });

    expect(result.released).toBe(true);
    // The workflow's clock when it completed: the 2-day timer had not fired. (env.currentTimeMs()
    // is no witness here: the Java test server keeps a cancelled timer in its queue, so awaiting
    // the result skips the server clock to that timer's deadline all the same.)
    expect(result.elapsedMs).toBeLessThan(2 * DAY_MS);
  });
});
