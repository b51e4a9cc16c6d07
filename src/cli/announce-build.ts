import { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { makeCurrentIfFirst } from '../temporal/deployments';
import type { WorkerDeployment } from '../worker/worker-options';

/**
 * Tells what a versioned worker's start means for new runs: the deployment's first build becomes
 * current by itself (else no new run would have a worker); a later one waits to be promoted.
 */
export async function announceBuild(
  connection: NativeConnection,
  namespace: string,
  deployment: WorkerDeployment,
  note: (message: string) => void,
): Promise<void> {
  const client = new Client({ connection, namespace });
  const where = await makeCurrentIfFirst(client, deployment.name, deployment.buildId);
  if (where === 'made-current')
    note(`build ${deployment.buildId} is the first of deployment ${deployment.name}: it is current, new runs go to it`);
  else if (where === 'current') note(`build ${deployment.buildId} is the current build of deployment ${deployment.name}`);
  else
    note(
      `build ${deployment.buildId} of deployment ${deployment.name} is up; new runs go to it once it is current: durable-teams deploy promote ${deployment.buildId} (see durable-teams deploy status)`,
    );
}
