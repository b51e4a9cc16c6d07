import { Option, type Command } from 'commander';
import { BUILD_ID, BUILD_ID_RULE, DEPLOYMENT_NAME, DEPLOYMENT_NAME_RULE } from '../config/environment';
import { codeHash } from '../worker/code-hash';
import type { WorkerDeployment } from '../worker/worker-options';
import { CliError } from './output';
import { packageVersion } from './version';

export interface DeploymentFlags {
  deployment?: string;
  buildId?: string;
}

export const DEFAULT_DEPLOYMENT = 'durable-teams';

const checked = (pattern: RegExp, rule: string, flag: string) => (value: string) => {
  if (!pattern.test(value)) throw new CliError(`${flag} "${value}": ${rule}`, 2);
  return value;
};

/** --deployment, which the `deploy` commands and the worker take. */
export function deploymentOption(): Option {
  return new Option('--deployment <name>', `worker deployment (default: DURABLE_TEAMS_DEPLOYMENT, else "${DEFAULT_DEPLOYMENT}")`)
    .env('DURABLE_TEAMS_DEPLOYMENT')
    .argParser(checked(DEPLOYMENT_NAME, DEPLOYMENT_NAME_RULE, '--deployment'));
}

/** The worker's Worker Versioning flags: either one turns versioning on. */
export function withDeploymentFlags(command: Command): Command {
  return command
    .addOption(deploymentOption())
    .addOption(
      new Option(
        '--build-id <id>',
        "this worker's build, with Worker Versioning on: runs stay on the build that started them (default: DURABLE_TEAMS_BUILD_ID, else the package version and a hash of its code)",
      )
        .env('DURABLE_TEAMS_BUILD_ID')
        .argParser(checked(BUILD_ID, BUILD_ID_RULE, '--build-id')),
    );
}

/** The worker's deployment, or none (an unversioned worker) when neither flag is given. */
export function workerDeploymentFrom(flags: DeploymentFlags): WorkerDeployment | undefined {
  if (!flags.deployment && !flags.buildId) return undefined;
  return { name: flags.deployment ?? DEFAULT_DEPLOYMENT, buildId: flags.buildId ?? defaultBuildId() };
}

/**
 * The package version and a hash of the code this process runs (what a commit names, but right
 * for an uncommitted change and for an image with no .git too): the same code always has the same
 * build, and any change to workflows or activities, however small, makes a new one.
 */
export function defaultBuildId(): string {
  return `${packageVersion()}-${codeHash().slice(0, 12)}`;
}
