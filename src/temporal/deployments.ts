import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TEAM_RUN_WORKFLOW } from '../../workflows/definitions';

/**
 * Worker Deployment Versioning as an operator sees it: the builds of a deployment, which one new
 * runs go to, which runs each still holds, and when its workers may be stopped. All of it through
 * Temporal's own API (what `temporal worker deployment` does), plus the nudge only we can give.
 */

export type BuildState = 'current' | 'ramping' | 'draining' | 'drained' | 'inactive';

export interface BuildStatus {
  buildId: string;
  state: BuildState;
  /** Of new runs, the share this build takes while it ramps. */
  rampPercentage?: number;
  /** Workflows still running pinned to this build (team runs and their helpers). */
  running: number;
  /** The first of those team runs' ids, for a look. */
  runIds: string[];
  /** Whether its workers may be stopped now, and why (not). */
  canStop: boolean;
  why: string;
}

export interface DeploymentStatus {
  deployment: string;
  current: string | null;
  ramping: { buildId: string; percentage: number } | null;
  builds: BuildStatus[];
}

const { WorkerDeploymentVersionStatus: VersionStatus } = temporal.api.enums.v1;

const STATES: Partial<Record<temporal.api.enums.v1.WorkerDeploymentVersionStatus, BuildState>> = {
  [VersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_CURRENT]: 'current',
  [VersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_RAMPING]: 'ramping',
  [VersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINING]: 'draining',
  [VersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINED]: 'drained',
  [VersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_INACTIVE]: 'inactive',
};

/** How many run ids `status` names per build. */
const RUN_IDS_SHOWN = 10;

/** Visibility's name for a build: "deployment:buildId". */
const versionKey = (deployment: string, buildId: string) => `${deployment}:${buildId}`;
const quoted = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export class DeploymentNotFoundError extends Error {
  override name = 'DeploymentNotFoundError';
}

export async function deploymentStatus(client: Client, deployment: string): Promise<DeploymentStatus> {
  const info = await describeDeployment(client, deployment);
  const routing = info.routingConfig;
  const current = routing?.currentDeploymentVersion?.buildId || null;
  const rampingId = routing?.rampingDeploymentVersion?.buildId || null;
  const ramping = rampingId ? { buildId: rampingId, percentage: routing?.rampingVersionPercentage ?? 0 } : null;
  const builds = await Promise.all(
    (info.versionSummaries ?? []).map(async (summary): Promise<BuildStatus> => {
      const buildId = summary.deploymentVersion?.buildId ?? '';
      const state = STATES[summary.status ?? VersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_UNSPECIFIED] ?? 'inactive';
      const pinned = `TemporalWorkerDeploymentVersion = ${quoted(versionKey(deployment, buildId))} AND ExecutionStatus = 'Running'`;
      const [{ count }, runIds] = await Promise.all([
        client.workflow.count(pinned),
        firstIds(client, `${pinned} AND WorkflowType = '${TEAM_RUN_WORKFLOW}'`, RUN_IDS_SHOWN),
      ]);
      const running = Number(count);
      return {
        buildId,
        state,
        ...(buildId === ramping?.buildId ? { rampPercentage: ramping.percentage } : {}),
        running,
        runIds,
        ...stoppable(state, running),
      };
    }),
  );
  return { deployment, current, ramping, builds: builds.sort(byState) };
}

/**
 * A build may be stopped once no run needs it: it takes no new runs and holds none. Temporal's own
 * "drained" says the same after its visibility grace period (minutes); the count says it at once.
 */
function stoppable(state: BuildState, running: number): Pick<BuildStatus, 'canStop' | 'why'> {
  if (state === 'current') return { canStop: false, why: 'new runs go to it' };
  if (state === 'ramping') return { canStop: false, why: 'some new runs go to it' };
  if (running > 0) return { canStop: false, why: `${running} running workflow(s) pinned to it` };
  return { canStop: true, why: 'no run needs it' };
}

const ORDER: BuildState[] = ['current', 'ramping', 'draining', 'inactive', 'drained'];
const byState = (a: BuildStatus, b: BuildStatus) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state);

async function firstIds(client: Client, query: string, max: number): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of client.workflow.list({ query, pageSize: max })) {
    ids.push(execution.workflowId);
    if (ids.length >= max) break;
  }
  return ids;
}

async function describeDeployment(client: Client, deployment: string) {
  return (await describeWithToken(client, deployment)).info;
}

async function describeWithToken(client: Client, deployment: string) {
  try {
    const { workerDeploymentInfo, conflictToken } = await client.workflowService.describeWorkerDeployment({
      namespace: client.options.namespace,
      deploymentName: deployment,
    });
    return { info: workerDeploymentInfo ?? {}, conflictToken };
  } catch (err) {
    if ((err as { code?: number }).code === 5)
      throw new DeploymentNotFoundError(
        `no worker deployment "${deployment}" in namespace ${client.options.namespace}: start a worker with --deployment ${deployment} --build-id <id> first`,
      );
    throw err;
  }
}

/**
 * Makes `buildId` the build new runs go to (its ramp, if any, ends), then nudges the team runs on
 * other builds so that those waiting on a person move to it now rather than at their next event.
 */
export async function promoteBuild(client: Client, deployment: string, buildId: string): Promise<{ nudged: number }> {
  await onceRegistered(() =>
    client.workflowService.setWorkerDeploymentCurrentVersion({
      namespace: client.options.namespace,
      deploymentName: deployment,
      buildId,
      identity: client.options.identity,
    }),
  );
  return { nudged: await nudgeRunsOnOtherBuilds(client, deployment) };
}

/** Sends `percentage` % of new runs to `buildId` (0 ends the ramp), and nudges as `promoteBuild` does. */
export async function rampBuild(client: Client, deployment: string, buildId: string, percentage: number): Promise<{ nudged: number }> {
  if (!(percentage >= 0 && percentage <= 100)) throw new RangeError(`ramp percentage ${percentage}: expected 0 to 100`);
  await onceRegistered(() =>
    client.workflowService.setWorkerDeploymentRampingVersion({
      namespace: client.options.namespace,
      deploymentName: deployment,
      // An empty build id ends the ramp.
      buildId: percentage === 0 ? '' : buildId,
      percentage,
      identity: client.options.identity,
    }),
  );
  return { nudged: await nudgeRunsOnOtherBuilds(client, deployment) };
}

/**
 * Temporal refuses to route runs to a build until its workers have polled every task queue the
 * current build has (workflow and activity queues register apart, a few seconds after a start):
 * a switch made just after the workers came up waits for that, up to `withinMs`.
 */
async function onceRegistered<T>(change: () => Promise<T>, withinMs = 30_000): Promise<T> {
  const until = Date.now() + withinMs;
  for (;;) {
    try {
      return await change();
    } catch (err) {
      const { code, details } = err as { code?: number; details?: string };
      // 5: the build is not known yet; 9: it has not polled every task queue the current build has.
      const notYet =
        (code === 5 && /build id .* not found/i.test(details ?? '')) || (code === 9 && /missing active task queues/i.test(details ?? ''));
      if (!notYet || Date.now() > until) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * Signals every running team run of the deployment that is not on the current build (see
 * workflows/build-move.ts): a run waiting between turns moves at once; one mid-turn moves at its
 * next turn boundary anyway. Answers how many were signalled. A run gone meanwhile is skipped.
 */
export async function nudgeRunsOnOtherBuilds(client: Client, deployment: string): Promise<number> {
  const info = await describeDeployment(client, deployment);
  const current = info.routingConfig?.currentDeploymentVersion?.buildId;
  const notCurrent = current ? ` AND TemporalWorkerDeploymentVersion != ${quoted(versionKey(deployment, current))}` : '';
  const query = `WorkflowType = '${TEAM_RUN_WORKFLOW}' AND ExecutionStatus = 'Running' AND TemporalWorkerDeployment = ${quoted(deployment)}${notCurrent}`;
  let nudged = 0;
  for await (const execution of client.workflow.list({ query })) {
    try {
      await client.workflow.getHandle(execution.workflowId, execution.runId).signal('buildChangedSignal');
      nudged += 1;
    } catch (err) {
      if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
    }
  }
  return nudged;
}

/**
 * A deployment's first build becomes current on its own, so a first install just works: new runs
 * need a current build to go to. A later build waits for `deploy promote` (or Temporal's CLI).
 * Answers where the build stands after. Waits up to `withinMs` for the server to know the build.
 */
export async function makeCurrentIfFirst(
  client: Client,
  deployment: string,
  buildId: string,
  withinMs = 30_000,
): Promise<'made-current' | 'current' | 'not-current'> {
  const until = Date.now() + withinMs;
  for (;;) {
    try {
      const found = await describeWithToken(client, deployment).catch((err: Error) => {
        if (err instanceof DeploymentNotFoundError) return null;
        throw err;
      });
      const current = found?.info.routingConfig?.currentDeploymentVersion?.buildId;
      if (current) return current === buildId ? 'current' : 'not-current';
      const known = found?.info.versionSummaries?.some((v) => v.deploymentVersion?.buildId === buildId);
      if (found && known) {
        await client.workflowService.setWorkerDeploymentCurrentVersion({
          namespace: client.options.namespace,
          deploymentName: deployment,
          buildId,
          identity: client.options.identity,
          // Only if nothing changed since the look (another build's first worker, an operator).
          conflictToken: found.conflictToken,
        });
        return 'made-current';
      }
    } catch (err) {
      if (Date.now() > until) throw err;
    }
    if (Date.now() > until) throw new Error(`build ${buildId} of deployment ${deployment} was not registered within ${withinMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
