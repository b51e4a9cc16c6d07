import { Worker } from '@temporalio/worker';
import { installRuntimeLogging } from '../../src/logging/runtime-logging';
import { connectWorker } from '../../src/worker/worker-connection';
import { TeamClient } from '../../src/client/team-client';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';

/** A real worker running one of the test-only workflow files under the name `teamRun`. */
export interface FixtureWorker {
  stop(): Promise<void>;
}

/** Starts a worker on `taskQueue` whose `teamRun` is the one in `workflowsPath` (bundled here, once per call). */
export async function startFixtureWorker(taskQueue: string, workflowsPath: string): Promise<FixtureWorker> {
  // The failing workflow task logs a warning at every attempt; that is the point here. Once per process, before any worker.
  installRuntimeLogging('ERROR');
  const connection = await connectWorker(testTemporalAddress());
  const worker = await Worker.create({ connection, taskQueue, workflowsPath, shutdownGraceTime: '1s' });
  const running = worker.run();
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await connection.close();
      })();
      return stopped;
    },
  };
}

/** A worker whose `teamRun` fails its second workflow task with a plain Error, and a client on its queue. */
export async function startStallingEnv(): Promise<{ taskQueue: string; client: TeamClient; worker: FixtureWorker; stop(): Promise<void> }> {
  const taskQueue = uniqueTaskQueue('stall');
  const worker = await startFixtureWorker(taskQueue, require.resolve('../fixtures/stalling-workflows'));
  const client = await TeamClient.connect({ address: testTemporalAddress(), namespace: 'default', taskQueue });
  return {
    taskQueue,
    client,
    worker,
    async stop() {
      await worker.stop();
      // A stalled run never ends by itself: end this file's, so no other test lists them.
      for await (const run of client.client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'` })) {
        await client.client.workflow.getHandle(run.workflowId).terminate('the stall test is over');
      }
      await client.close();
    },
  };
}

/** Asks `read` until it gives a value (no timing asserted: Jest's timeout ends a wait that never ends). */
export async function eventually<T>(read: () => Promise<T | null | undefined>, pauseMs = 200): Promise<T> {
  for (;;) {
    const value = await read();
    if (value !== null && value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}
