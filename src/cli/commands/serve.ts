import type { Command } from 'commander';
import { startA2AServer, type A2AServer } from '../../server/server';
import { loadTeamFile } from '../../files/team-file';
import { targetPolicyFromEnv } from '../../http/outbound-target';
import { secretBoxFromEnv, SECRETS_KEY_ENV } from '../../secrets/sealed';
import type { TeamSpec } from '../../spec/team';
import type { TeamClient } from '../../client/team-client';
import { allowedHostsAndOrigins, quotaLimitsFrom, tokensFrom, withA2AFlags, type A2AFlags } from '../a2a-flags';
import { requestCounterOn } from '../../access/quotas/rate-limiter';
import { clientFrom, closeClient, storeSiteFrom, withStoreFlag, withTemporalFlags, type StoreFlags, type TemporalFlags } from '../common';
import { logFormatFrom } from '../../logging/json-logger';
import { CliError, Output } from '../output';
import { untilInterrupted } from '../wait-for-signal';
import { packageVersion } from '../version';
import { tracingFromEnv } from '../tracing-from-env';
import { CONSOLE_PATH } from '../../console-api/routes';

/** Starts the front end for these teams and says where each is, on stdout (one "name url" line per team). */
export async function serveTeams(teams: TeamSpec[], client: TeamClient, flags: A2AFlags & StoreFlags, out: Output): Promise<A2AServer> {
  const names = new Set<string>();
  for (const team of teams) {
    if (names.has(team.name)) throw new CliError(`two team files define the team "${team.name}"; each served team needs its own name`);
    names.add(team.name);
  }
  if (flags.grpcPublicTarget !== undefined && flags.grpcPort === undefined)
    throw new CliError('--grpc-public-target needs --grpc-port: it says where clients reach the gRPC endpoint that flag starts');
  const tokens = tokensFrom(flags);
  const secrets = secretBoxFromEnv();
  const limits = quotaLimitsFrom(flags);
  const { allowedHosts, allowedOrigins } = allowedHostsAndOrigins(flags);
  // Requests are counted beside the conversation store: shared by the replicas with PostgreSQL, per process otherwise.
  const requestCounter = limits.maxRequestsPerMinute ? requestCounterOn(storeSiteFrom(flags)) : undefined;
  const server = await startA2AServer({
    teams,
    client,
    host: flags.host,
    port: flags.port,
    publicUrl: flags.publicUrl,
    grpcPort: flags.grpcPort,
    grpcPublicTarget: flags.grpcPublicTarget,
    allowedHosts,
    allowedOrigins,
    version: packageVersion(),
    tokens,
    secrets,
    webhookPolicy: targetPolicyFromEnv(),
    operatorApprovals: flags.operatorApprovals === true,
    maxBodyBytes: flags.maxBodyBytes,
    maxMessageChars: flags.maxMessageChars,
    files: { maxFileBytes: flags.maxFileBytes, mediaTypes: flags.fileTypes },
    quotas: { ...limits, requestCounter, log: (line) => out.note(line) },
    slowReaders: { log: (line) => out.note(line) },
    // With JSON logs, each request is a line for the log collector; on a console they would be noise.
    requestLog: out.notesAsJson ? ({ message, ...fields }) => out.log(message, fields) : undefined,
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE')
      throw new CliError(`port ${flags.port} on ${flags.host} is in use; pick another with --port (0 for any free one)`);
    throw err;
  });
  for (const [name, url] of Object.entries(server.teamUrls)) out.line(`${name} ${url}`);
  out.note(
    `A2A front end on ${server.url} (task queue ${client.taskQueue}; conversations in ${client.store.location}); agent cards at <team url>.well-known/agent-card.json`,
  );
  out.note(`web console at ${server.url}${CONSOLE_PATH}/${tokens ? ' (it asks for a token once per browser session)' : ''}`);
  if (server.grpcTarget)
    out.note(
      `gRPC (A2A v1.0 and v0.3) on ${server.grpcTarget}; each team is the tenant of its name, the first team answers calls naming none`,
    );
  if (!tokens && flags.host !== '127.0.0.1' && flags.host !== 'localhost' && flags.host !== '::1') {
    out.note(`warning: serving on ${flags.host} without --auth bearer; anyone who reaches it can start and cancel runs`);
  }
  const runs = limits.maxRunsPerCaller ? `${limits.maxRunsPerCaller} runs in progress` : 'no limit on runs in progress';
  const rate = limits.maxRequestsPerMinute
    ? `${limits.maxRequestsPerMinute} requests a minute (counted in ${requestCounter!.location === 'memory' ? "this process's memory" : requestCounter!.location})`
    : 'no limit on requests';
  out.note(`quotas per caller: ${runs}, ${rate}, ${limits.maxStreamsPerCaller} event streams open at once`);
  if (!secrets) out.note(`${SECRETS_KEY_ENV} is not set: push notification configs with a token or credentials will be refused`);
  return server;
}

export function registerServe(program: Command): void {
  const command = program
    .command('serve')
    .description(
      'serve teams as A2A agents (JSON-RPC and HTTP+JSON, and gRPC with --grpc-port; v1.0 and v0.3) until SIGINT/SIGTERM; a worker runs the tasks',
    )
    .argument('<team-files...>', 'team files (YAML or JSON); each team is served at /teams/<name>/');
  withA2AFlags(withStoreFlag(withTemporalFlags(command))).action(async (files: string[], flags: A2AFlags & TemporalFlags & StoreFlags) => {
    const out = new Output(false, process.stdout, process.stderr, logFormatFrom() === 'json');
    const teams = files.map((file) => loadTeamFile(file));
    quotaLimitsFrom(flags); // a bad limit in the environment is told before anything connects
    allowedHostsAndOrigins(flags);
    // Tracing (off unless OTEL_* variables ask for it): each A2A request a span, the run under it.
    const tracing = tracingFromEnv('durable-teams-front-end', packageVersion());
    const client = await clientFrom(flags, { tracing });
    const server = await serveTeams(teams, client, flags, out);
    if (tracing) out.note('tracing on: spans go to the OTEL_* exporter');
    const signal = await untilInterrupted();
    out.note(
      `${signal}: stopping the A2A front end (not ready any more; requests in flight get ${flags.shutdownGrace} s, streams end now)...`,
    );
    await server.close({ graceMs: flags.shutdownGrace * 1000, drainDelayMs: flags.drainDelay * 1000 });
    out.note('A2A front end stopped');
    await closeClient(client);
    await tracing?.shutdown();
  });
}
