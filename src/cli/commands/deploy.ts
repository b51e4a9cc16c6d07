import type { Command } from 'commander';
import type { Client } from '@temporalio/client';
import { closeClient, connectClient } from '../../temporal/connection';
import { deploymentStatus, nudgeRunsOnOtherBuilds, promoteBuild, rampBuild, type DeploymentStatus } from '../../temporal/deployments';
import { outputFrom, settingsFrom, withTemporalFlags, type TemporalFlags } from '../common';
import { DEFAULT_DEPLOYMENT, deploymentOption, type DeploymentFlags } from '../deployment-flags';
import { CliError, type Output } from '../output';

interface DeployFlags extends TemporalFlags, DeploymentFlags {
  json?: boolean;
}

/**
 * `deploy status | promote | ramp | nudge`: a release of the workers, as docs/deploys.md walks it
 * through. Temporal's `temporal worker deployment` does the same switching; only `promote` and
 * `ramp` here also nudge the runs waiting on older builds, so they move without waiting.
 */
export function registerDeploy(program: Command): void {
  const deploy = program.command('deploy').description('releases of the workers (Worker Versioning): status, promote, ramp, nudge');

  command(deploy, 'status', 'the builds, which one new runs go to, the runs each holds, and which can be stopped').action(
    async (flags: DeployFlags) => {
      const status = await withRawClient(flags, (client) => deploymentStatus(client, deploymentOf(flags)));
      printStatus(outputFrom(flags), status);
    },
  );

  command(deploy, 'promote <build-id>', 'make a build current: new runs go to it, runs on others move to it at their safe points').action(
    async (buildId: string, flags: DeployFlags) => {
      const { nudged } = await withRawClient(flags, (client) => promoteBuild(client, deploymentOf(flags), buildId));
      const out = outputFrom(flags);
      out.record({ deployment: deploymentOf(flags), current: buildId, nudged });
      out.line(`build ${buildId} is current; ${nudged} run(s) on other builds told to move at their next safe point`);
    },
  );

  command(deploy, 'ramp <build-id> <percent>', 'send a share of new runs to a build (0 ends the ramp); roll back with promote').action(
    async (buildId: string, percent: string, flags: DeployFlags) => {
      const percentage = Number(percent);
      if (!Number.isFinite(percentage) || percentage < 0 || percentage > 100)
        throw new CliError(`<percent> "${percent}": expected a number from 0 to 100`, 2);
      const { nudged } = await withRawClient(flags, (client) => rampBuild(client, deploymentOf(flags), buildId, percentage));
      const out = outputFrom(flags);
      out.record({ deployment: deploymentOf(flags), ramping: percentage === 0 ? null : { buildId, percentage }, nudged });
      out.line(
        percentage === 0 ? 'the ramp is over: new runs go to the current build' : `${percentage}% of new runs go to build ${buildId}`,
      );
    },
  );

  command(deploy, 'nudge', "tell runs on builds other than the current one to move now (after a switch made with Temporal's CLI)").action(
    async (flags: DeployFlags) => {
      const nudged = await withRawClient(flags, (client) => nudgeRunsOnOtherBuilds(client, deploymentOf(flags)));
      const out = outputFrom(flags);
      out.record({ deployment: deploymentOf(flags), nudged });
      out.line(`${nudged} run(s) told to move at their next safe point`);
    },
  );
}

function command(parent: Command, spec: string, description: string): Command {
  return withTemporalFlags(parent.command(spec).description(description))
    .addOption(deploymentOption())
    .option('--json', 'print JSON instead of text');
}

const deploymentOf = (flags: DeploymentFlags) => flags.deployment ?? DEFAULT_DEPLOYMENT;

/** These commands need Temporal only: no store, no codec (they read no payload). */
async function withRawClient<T>(flags: TemporalFlags, use: (client: Client) => Promise<T>): Promise<T> {
  const settings = settingsFrom(flags);
  const client = await connectClient(settings.address, settings.namespace, { security: settings.security });
  try {
    return await use(client);
  } finally {
    await closeClient(client);
  }
}

function printStatus(out: Output, status: DeploymentStatus): void {
  out.record(status);
  const ramp = status.ramping ? `; ramping ${status.ramping.buildId} at ${status.ramping.percentage}%` : '';
  out.line(`deployment ${status.deployment}: current ${status.current ?? '(none: new runs wait)'}${ramp}`);
  for (const build of status.builds) {
    const share = build.rampPercentage !== undefined ? ` ${build.rampPercentage}%` : '';
    const stop = build.canStop ? out.green('can stop') : `keep (${build.why})`;
    out.line(`  ${out.bold(build.buildId)}  ${build.state}${share}  ${build.running} running  ${stop}`);
    if (build.runIds.length) out.line(out.dim(`    runs: ${build.runIds.join(', ')}${build.running > build.runIds.length ? ', ...' : ''}`));
  }
}
