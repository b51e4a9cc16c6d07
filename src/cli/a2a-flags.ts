import { Option, type Command } from 'commander';
import { AuthConfigError, tokensFromEnv, tokensFromFile, type BearerTokens } from '../a2a/auth';
import { DEFAULT_SHUTDOWN_GRACE_MS } from '../a2a/graceful-close';
import { DEFAULT_MAX_BODY_BYTES } from '../a2a/server';
import { MAX_TASK_CHARS } from '../temporal/team-client';
import { nonNegativeInt, portNumber, positiveInt } from './common';

export const DEFAULT_A2A_PORT = 41241;
export const DEFAULT_TOKENS_ENV = 'DURABLE_TEAMS_A2A_TOKENS';

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
  shutdownGrace: number;
  drainDelay: number;
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
    );
}

export function tokensFrom(flags: A2AFlags): BearerTokens | null {
  if (flags.auth !== 'bearer') {
    if (flags.operatorApprovals)
      throw new AuthConfigError('--operator-approvals needs --auth bearer: without tokens there are no operators to answer');
    return null;
  }
  return flags.tokensFile ? tokensFromFile(flags.tokensFile) : tokensFromEnv(flags.tokensEnv);
}
