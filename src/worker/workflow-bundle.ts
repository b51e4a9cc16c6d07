import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from './worker-options';

/** Bundles the workflows once, for processes that start several workers (tests, benchmarks) and for the build. */
export async function bundleTeamWorkflows(): Promise<{ code: string }> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
}

const ignore = () => undefined;
const quietBundlerLogger = { trace: ignore, debug: ignore, info: ignore, warn: ignore, error: console.error, log: ignore };
