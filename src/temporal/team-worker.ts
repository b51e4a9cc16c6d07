import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { createWorkerOptions, WORKFLOWS_PATH, type TeamWorkerOptions } from './worker-options';

export type { TeamWorkerOptions } from './worker-options';

/**
 * A worker that runs team runs. `worker.run()` resolves once it has shut down; the Temporal
 * runtime shuts it down gracefully on SIGINT and SIGTERM (in-flight activities get the grace time,
 * then are handed back to the server and retried elsewhere).
 */
export async function createTeamWorker(options: TeamWorkerOptions): Promise<Worker> {
  return Worker.create(createWorkerOptions(options));
}

/** Bundles the workflows once, for processes that start several workers (tests, benchmarks). */
export async function bundleTeamWorkflows(): Promise<{ code: string }> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
}

const ignore = () => undefined;
const quietBundlerLogger = { trace: ignore, debug: ignore, info: ignore, warn: ignore, error: console.error, log: ignore };
