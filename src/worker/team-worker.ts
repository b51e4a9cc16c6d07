import { Worker } from '@temporalio/worker';
import { createWorkerOptions, type TeamWorkerOptions } from './worker-options';
import { prebuiltWorkflowBundle } from './prebuilt-bundle';

export type { TeamWorkerOptions } from './worker-options';
export { bundleTeamWorkflows } from './workflow-bundle';

/**
 * A worker that runs team runs. `worker.run()` resolves once it has shut down; the Temporal
 * runtime shuts it down gracefully on SIGINT and SIGTERM (in-flight activities get the grace time,
 * then are handed back to the server and retried elsewhere).
 */
export async function createTeamWorker(options: TeamWorkerOptions): Promise<Worker> {
  // The bundle `npm run build` made, when it is this code's; a plugin's interceptors need a fresh one.
  const prebuilt = options.workflowBundle || options.plugins?.length ? undefined : prebuiltWorkflowBundle();
  return Worker.create(createWorkerOptions(prebuilt ? { ...options, workflowBundle: prebuilt } : options));
}
