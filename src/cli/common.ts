import type { DataConverter } from '@temporalio/common';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { dataConverterFromEnv } from '../temporal/codec/data-converter';
import { temporalSettings, type TemporalSettings, type TlsOverrides } from '../temporal/config';
import { TeamClient } from '../temporal/team-client';
import { tracingFromEnv, type Tracing } from '../telemetry/tracing';
import { Output } from './output';
import { packageVersion } from './version';

export interface TemporalFlags extends TlsOverrides {
  address?: string;
  namespace?: string;
  taskQueue?: string;
  json?: boolean;
}

/** --address, --namespace and --task-queue, which every command that talks to Temporal takes. */
export function withTemporalFlags(command: Command): Command {
  return command
    .addOption(new Option('--address <host:port>', 'Temporal frontend (default: TEMPORAL_ADDRESS or 127.0.0.1:7233)'))
    .addOption(new Option('--namespace <name>', 'Temporal namespace (default: TEMPORAL_NAMESPACE or "default")'))
    .addOption(new Option('--task-queue <name>', 'task queue (default: DURABLE_TEAMS_TASK_QUEUE or "durable-teams")'))
    .addOption(new Option('--tls', 'connect to Temporal over TLS (default: TEMPORAL_TLS; on when any TLS file or TEMPORAL_API_KEY is given)'))
    .addOption(new Option('--tls-cert <file>', 'client certificate for mTLS, PEM (default: TEMPORAL_TLS_CERT)'))
    .addOption(new Option('--tls-key <file>', 'private key of --tls-cert, PEM (default: TEMPORAL_TLS_KEY)'))
    .addOption(new Option('--tls-ca <file>', 'CA certificate to trust for the server, PEM (default: TEMPORAL_TLS_CA; else the system\'s)'))
    .addOption(new Option('--tls-server-name <name>', 'name to check the server certificate against (default: TEMPORAL_TLS_SERVER_NAME)'));
}

export function withJsonFlag(command: Command): Command {
  return command.option('--json', 'print JSON Lines on stdout instead of text');
}

export function settingsFrom(flags: TemporalFlags): TemporalSettings {
  return temporalSettings({
    address: flags.address,
    namespace: flags.namespace,
    taskQueue: flags.taskQueue,
    tls: flags.tls,
    tlsCert: flags.tlsCert,
    tlsKey: flags.tlsKey,
    tlsCa: flags.tlsCa,
    tlsServerName: flags.tlsServerName,
  });
}

/**
 * The payload codec from the environment (DURABLE_TEAMS_CODEC_KEYS), for every client and worker
 * the CLI builds, so that commands, workers and the A2A front end read and write runs alike.
 */
export function cliDataConverter(): DataConverter | undefined {
  return dataConverterFromEnv(process.env);
}

/** A client with the flags' settings and the environment's codec; with tracing's interceptors when given. */
export async function clientFrom(flags: TemporalFlags, tracing?: Tracing | null): Promise<TeamClient> {
  const settings = settingsFrom(flags);
  return TeamClient.connect({ ...settings, dataConverter: cliDataConverter(), ...(tracing ? { interceptors: tracing.clientInterceptors } : {}) });
}

/**
 * Runs a one-shot command with its client, traced when the OTEL_* variables ask: the start,
 * signal or update it sends is then the root of the run's trace (or a span in it), so a run begun
 * from the command line is one trace from the command to the last model call.
 */
export async function withClient<T>(flags: TemporalFlags, use: (client: TeamClient) => Promise<T>): Promise<T> {
  const tracing = tracingFromEnv('durable-teams-cli', packageVersion());
  try {
    return await use(await clientFrom(flags, tracing));
  } finally {
    await tracing?.shutdown();
  }
}

export function outputFrom(flags: { json?: boolean }): Output {
  return new Output(Boolean(flags.json));
}

// Parsers throw InvalidArgumentError so that commander reports a usage error (exit 2).
export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive whole number, not "${value}"`);
    return n;
  };
}

export function nonNegativeInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`${name} must be a whole number, 0 or more, not "${value}"`);
    return n;
  };
}

/** A TCP port, 0 meaning "a free one". */
export function portNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n > 65_535) throw new InvalidArgumentError(`${name} must be a port number from 0 to 65535, not "${value}"`);
    return n;
  };
}
