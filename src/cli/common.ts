import type { DataConverter } from '@temporalio/common';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ConversationStore } from '../store/conversation-store';
import { conversationStoreOn } from '../site/sealed-stores';
import { StoreSite } from '../site/store-site';
import { storeUrlFrom } from '../store/store-url';
import type { MemoryStore } from '../memory/memory-store';
import { dataConverterFromEnv } from '../temporal/codec/data-converter';
import { temporalSettings, type TemporalSettings, type TlsOverrides } from '../temporal/config';
import { TeamClient } from '../client/team-client';
import { contextIdProblem, idProblem } from '../temporal/run-ids';
import type { Tracing } from '../telemetry/tracing';
import { tracingFromEnv } from './tracing-from-env';
import { CliError, Output } from './output';
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
    .addOption(
      new Option('--tls', 'connect to Temporal over TLS (default: TEMPORAL_TLS; on when any TLS file or TEMPORAL_API_KEY is given)'),
    )
    .addOption(new Option('--tls-cert <file>', 'client certificate for mTLS, PEM (default: TEMPORAL_TLS_CERT)'))
    .addOption(new Option('--tls-key <file>', 'private key of --tls-cert, PEM (default: TEMPORAL_TLS_KEY)'))
    .addOption(new Option('--tls-ca <file>', "CA certificate to trust for the server, PEM (default: TEMPORAL_TLS_CA; else the system's)"))
    .addOption(new Option('--tls-server-name <name>', 'name to check the server certificate against (default: TEMPORAL_TLS_SERVER_NAME)'));
}

export interface StoreFlags {
  store?: string;
}

/** --store, which every command that runs a worker or reads what runs said takes. */
export function withStoreFlag(command: Command): Command {
  return command.addOption(
    new Option(
      '--store <url>',
      'conversation store: a folder, file:PATH or postgres://user:password@host:port/db (default: DURABLE_TEAMS_STORE, else .durable-teams/conversations)',
    ),
  );
}

/** The process's site for the store --store or DURABLE_TEAMS_STORE names (relative paths from the working directory). */
export function storeSiteFrom(flags: StoreFlags): StoreSite {
  return StoreSite.of(flags.store ?? storeUrlFrom(process.env), process.cwd());
}

/**
 * The conversation store --store or DURABLE_TEAMS_STORE names, opened now (a bad URL or a store
 * that is down stops the command here, with one line naming the store without its password),
 * encrypted with the same codec as the data converter.
 */
export async function cliStore(
  flags: StoreFlags,
  dataConverter: DataConverter | undefined = cliDataConverter(),
): Promise<ConversationStore> {
  return conversationStoreOn(await storeSiteFrom(flags).openConversations(), dataConverter);
}

/**
 * The agents' memory beside the store --store or DURABLE_TEAMS_STORE names, sealed with the same
 * codec; opened when first used (a worker whose teams keep no memory never opens it).
 */
export function cliMemory(flags: StoreFlags, dataConverter: DataConverter | undefined = cliDataConverter()): MemoryStore {
  return storeSiteFrom(flags).sealed(dataConverter).memory;
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

export interface CliClientOptions {
  /** Tracing's client interceptors, when given. */
  tracing?: Tracing | null;
  /**
   * The store the client reads and writes conversations in: opened from the flags and the
   * environment by default (so a bad one stops the command before it does anything); one given
   * here is the client's from then on (closeClient closes it); `false` for a command that never
   * touches what runs say (cancel, stop), which then works while the store is down.
   */
  store?: ConversationStore | false;
}

/** A client with the flags' settings, the environment's codec and conversation store. Close it with closeClient. */
export async function clientFrom(flags: TemporalFlags & StoreFlags, options: CliClientOptions = {}): Promise<TeamClient> {
  const settings = settingsFrom(flags);
  const dataConverter = cliDataConverter();
  const store = options.store === undefined ? await cliStore(flags, dataConverter) : options.store || undefined;
  try {
    return await TeamClient.connect({
      ...settings,
      dataConverter,
      ...(store ? { store } : {}),
      ...(options.tracing ? { interceptors: options.tracing.clientInterceptors } : {}),
    });
  } catch (err) {
    await store?.close().catch(() => undefined);
    throw err;
  }
}

/** Closes what clientFrom opened: the connection to Temporal and the conversation store. */
export async function closeClient(client: TeamClient): Promise<void> {
  await client.close().catch(() => undefined);
  await client.store.close().catch(() => undefined);
}

/**
 * Runs a one-shot command with its client, traced when the OTEL_* variables ask: the start,
 * signal or update it sends is then the root of the run's trace (or a span in it), so a run begun
 * from the command line is one trace from the command to the last model call.
 */
export async function withClient<T>(
  flags: TemporalFlags & StoreFlags,
  use: (client: TeamClient) => Promise<T>,
  options: Omit<CliClientOptions, 'tracing'> = {},
): Promise<T> {
  const tracing = tracingFromEnv('durable-teams-cli', packageVersion());
  try {
    const client = await clientFrom(flags, { ...options, tracing });
    try {
      return await use(client);
    } finally {
      await closeClient(client);
    }
  } finally {
    await tracing?.shutdown();
  }
}

export function outputFrom(flags: { json?: boolean }): Output {
  return new Output(Boolean(flags.json));
}

/**
 * A run or context id a flag names (`--id`, `--context`), checked by the one rule of ids before
 * anything connects. A CliError rather than commander's InvalidArgumentError: commander's own
 * line would echo the value raw, control characters and all.
 */
export function idFlag(name: string, rule: 'run' | 'context' = 'run') {
  return (value: string): string => {
    const problem = rule === 'run' ? idProblem(value, name) : contextIdProblem(value, name);
    if (problem) throw new CliError(problem, 2);
    return value;
  };
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
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n))
      throw new InvalidArgumentError(`${name} must be a whole number, 0 or more, not "${value}"`);
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
