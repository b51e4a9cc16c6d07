import { InvalidArgumentError, Option, type Command } from 'commander';
import { AuthConfigError, tokensFromEnv, tokensFromFile, type BearerTokens } from '../access/auth';
import { DEFAULT_FILE_TYPES, DEFAULT_MAX_FILE_BYTES, parseMediaTypes } from '../a2a/file-policy';
import { DEFAULT_SHUTDOWN_GRACE_MS } from '../server/graceful-close';
import { DEFAULT_MAX_BODY_BYTES } from '../server/server';
import type { QuotaOptions } from '../access/quotas/quotas';
import { DEFAULT_MAX_STREAMS_PER_CALLER } from '../access/quotas/open-streams';
import { MAX_TASK_CHARS } from '../client/team-client';
import { CliError } from './output';
import { ALLOWED_ORIGINS_ENV, ALLOWED_ORIGINS_FLAG, parseAllowedOrigins } from '../http/cross-site';
import { ALLOWED_HOSTS_ENV, ALLOWED_HOSTS_FLAG, parseAllowedHosts } from '../http/host-check';
import { nonNegativeInt, portNumber, positiveInt } from './common';

export const DEFAULT_A2A_PORT = 41241;
export const DEFAULT_TOKENS_ENV = 'DURABLE_TEAMS_A2A_TOKENS';
export const MAX_RUNS_PER_CALLER_ENV = 'DURABLE_TEAMS_MAX_RUNS_PER_CALLER';
export const MAX_REQUESTS_PER_MINUTE_ENV = 'DURABLE_TEAMS_MAX_REQUESTS_PER_MINUTE';
export const MAX_STREAMS_PER_CALLER_ENV = 'DURABLE_TEAMS_MAX_STREAMS_PER_CALLER';

export interface A2AFlags {
  host: string;
  port: number;
  publicUrl?: string;
  grpcPort?: number;
  grpcPublicTarget?: string;
  auth: 'none' | 'bearer';
  tokensEnv: string;
  tokensFile?: string;
  operatorApprovals?: boolean;
  maxBodyBytes: number;
  maxMessageChars: number;
  maxFileBytes: number;
  fileTypes: string[];
  shutdownGrace: number;
  drainDelay: number;
  maxRunsPerCaller?: number;
  maxRequestsPerMinute?: number;
  maxStreamsPerCaller?: number;
  allowedHosts?: string[];
  allowedOrigins?: string[];
}

/** The flags of the A2A front end, shared by `serve` and `dev`. */
export function withA2AFlags(command: Command, defaultPort = DEFAULT_A2A_PORT): Command {
  return command
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port (0 for a free one)', portNumber('--port'), defaultPort)
    .option('--public-url <url>', 'base URL clients use, when it is not http://<host>:<port> (behind a proxy)')
    .option(
      '--grpc-port <port>',
      'also serve the gRPC binding on this port of --host (0 for a free one); off by default',
      portNumber('--grpc-port'),
    )
    .option('--grpc-public-target <host:port>', 'with --grpc-port: the gRPC target clients use, when it is not <host>:<grpc port>')
    .addOption(new Option('--auth <mode>', 'bearer: every call but the card needs a token').choices(['none', 'bearer']).default('none'))
    .option(
      '--tokens-env <name>',
      'with --auth bearer: variable holding the tokens, comma-separated, each "name=token", "name:operator=token" or "token"',
      DEFAULT_TOKENS_ENV,
    )
    .option('--tokens-file <file>', 'with --auth bearer: file of tokens, one per line (instead of --tokens-env)')
    .option('--operator-approvals', "with --auth bearer: approvals are answered by operator tokens only, not by the task's owner")
    .option('--max-body-bytes <n>', 'largest request body', positiveInt('--max-body-bytes'), DEFAULT_MAX_BODY_BYTES)
    .option('--max-message-chars <n>', 'largest message text', positiveInt('--max-message-chars'), MAX_TASK_CHARS)
    .option(
      '--max-file-bytes <n>',
      'largest file sent inline with a message (raise --max-body-bytes too: files come base64 in the body)',
      positiveInt('--max-file-bytes'),
      DEFAULT_MAX_FILE_BYTES,
    )
    .option(
      '--file-types <types>',
      'media types of the files a message may carry, comma-separated (image/*, */* for any)',
      mediaTypesFlag,
      DEFAULT_FILE_TYPES,
    )
    .option(
      '--shutdown-grace <seconds>',
      'on SIGTERM/SIGINT: how long requests in flight may take to finish',
      positiveInt('--shutdown-grace'),
      DEFAULT_SHUTDOWN_GRACE_MS / 1000,
    )
    .option(
      '--drain-delay <seconds>',
      'on SIGTERM/SIGINT: how long to go on serving while /readyz says 503, before taking no new connections',
      nonNegativeInt('--drain-delay'),
      0,
    )
    .option(
      '--max-runs-per-caller <n>',
      `runs in progress a caller (token name, or address without --auth) may have, waiting on a person included (default: ${MAX_RUNS_PER_CALLER_ENV}, else no limit)`,
      positiveInt('--max-runs-per-caller'),
    )
    .option(
      '--max-requests-per-minute <n>',
      `requests a caller may make per minute to the JSON-RPC and REST endpoints (default: ${MAX_REQUESTS_PER_MINUTE_ENV}, else no limit)`,
      positiveInt('--max-requests-per-minute'),
    )
    .option(
      '--max-streams-per-caller <n>',
      `event streams a caller may have open at once (SendStreamingMessage, SubscribeToTask, console watches) (default: ${MAX_STREAMS_PER_CALLER_ENV}, else ${DEFAULT_MAX_STREAMS_PER_CALLER})`,
      positiveInt('--max-streams-per-caller'),
    )
    .option(
      `${ALLOWED_HOSTS_FLAG} <hosts>`,
      `Host names answered besides loopback ones and --public-url's (a proxy's), comma-separated: host, host:port, *.example.com; bound to 0.0.0.0 or ::, only these are then answered (default: ${ALLOWED_HOSTS_ENV})`,
      listFlag(parseAllowedHosts),
    )
    .option(
      `${ALLOWED_ORIGINS_FLAG} <origins>`,
      `origins of pages that may start, answer or cancel runs here besides the front end's own, comma-separated (default: ${ALLOWED_ORIGINS_ENV})`,
      listFlag(parseAllowedOrigins),
    );
}

const listFlag =
  (parse: (list: string) => string[]) =>
  (value: string): string[] => {
    try {
      return parse(value);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };

/** The Host names and origins the flags, else the environment, allow beyond the front end's own. */
export function allowedHostsAndOrigins(
  flags: Pick<A2AFlags, 'allowedHosts' | 'allowedOrigins'>,
  env: Record<string, string | undefined> = process.env,
): { allowedHosts: string[]; allowedOrigins: string[] } {
  const fromEnv = (name: string, parse: (list: string) => string[]): string[] => {
    try {
      return parse(env[name] ?? '');
    } catch (err) {
      throw new CliError(`environment variable ${name}: ${(err as Error).message}`, 2);
    }
  };
  return {
    allowedHosts: flags.allowedHosts ?? fromEnv(ALLOWED_HOSTS_ENV, parseAllowedHosts),
    allowedOrigins: flags.allowedOrigins ?? fromEnv(ALLOWED_ORIGINS_ENV, parseAllowedOrigins),
  };
}

function mediaTypesFlag(value: string): string[] {
  try {
    return parseMediaTypes(value, '--file-types');
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

export function tokensFrom(flags: A2AFlags): BearerTokens | null {
  if (flags.auth !== 'bearer') {
    if (flags.operatorApprovals)
      throw new AuthConfigError('--operator-approvals needs --auth bearer: without tokens there are no operators to answer');
    return null;
  }
  return flags.tokensFile ? tokensFromFile(flags.tokensFile) : tokensFromEnv(flags.tokensEnv);
}

/**
 * The quotas the flags, else the environment, set: none by default but streams per caller
 * (DEFAULT_MAX_STREAMS_PER_CALLER). A bad value names the variable.
 */
export function quotaLimitsFrom(
  flags: Pick<A2AFlags, 'maxRunsPerCaller' | 'maxRequestsPerMinute' | 'maxStreamsPerCaller'>,
  env: Record<string, string | undefined> = process.env,
): Pick<QuotaOptions, 'maxRunsPerCaller' | 'maxRequestsPerMinute' | 'maxStreamsPerCaller'> {
  const fromEnv = (name: string): number | null => {
    const value = env[name]?.trim();
    if (!value) return null;
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0)
      throw new CliError(`environment variable ${name} must be a positive whole number, not "${value}"; unset it for the default`, 2);
    return n;
  };
  return {
    maxRunsPerCaller: flags.maxRunsPerCaller ?? fromEnv(MAX_RUNS_PER_CALLER_ENV),
    maxRequestsPerMinute: flags.maxRequestsPerMinute ?? fromEnv(MAX_REQUESTS_PER_MINUTE_ENV),
    maxStreamsPerCaller: flags.maxStreamsPerCaller ?? fromEnv(MAX_STREAMS_PER_CALLER_ENV) ?? DEFAULT_MAX_STREAMS_PER_CALLER,
  };
}
