import { ClientFactory, JsonRpcTransportFactory, type Client } from '@a2a-js/sdk/client';
import type { Task } from '@a2a-js/sdk';
import { bearerTokens } from '../src/access/auth';
import { PostgresRequestCounter } from '../src/access/quotas/postgres-request-counter';
import { SharedPool } from '../src/store/shared-pool';
import { startA2AServer, type A2AServer, type A2AServerOptions } from '../src/server/server';
import { startScriptedModelServer } from '../src/testing/scripted-model';
import { startPostgres, type TestPostgres } from '../src/testing/postgres';
import type { TeamClient } from '../src/client/team-client';
import { sendParams } from './a2a-message';
import { pingPongTeam } from './ping-pong';
import { fmt, median, percentile, timeInterleaved } from './stats';

const CALLS = Number(process.env.BENCH_GUARD_CALLS ?? 200);
const TOKEN = 'bench-token-5d1e93a0c7b24f68';

/**
 * What guarding the front end costs a caller: the same GetTask (of a finished task) and the same
 * SendMessage that starts a run (answered at once), through four front ends side by side, calls
 * interleaved: open (no tokens), tokens (each task checked against its owner from the run's memo
 * first), tokens with quotas counted in memory, and with quotas counted in PostgreSQL (so replicas
 * share them). Quotas are set high enough never to refuse: this is the cost of counting.
 */
export async function benchA2AGuards(client: TeamClient, log: (line: string) => void): Promise<string> {
  const model = await startScriptedModelServer({ script: { agents: { ping: ['ping'], pong: ['pong'] } } });
  const team = pingPongTeam('bench-guards', 2, model.baseUrl);
  const tokens = bearerTokens([`bench=${TOKEN}`], 'bench');
  const base: A2AServerOptions = { teams: [team], client, port: 0, version: 'bench', tokens: null, secrets: null };
  const limits = { maxRequestsPerMinute: 1_000_000, maxRunsPerCaller: 1_000_000 };
  let postgres: TestPostgres | null = null;
  const servers: { name: string; server: A2AServer }[] = [];
  try {
    servers.push({ name: 'open', server: await startA2AServer(base) });
    servers.push({ name: 'tokens', server: await startA2AServer({ ...base, tokens }) });
    servers.push({ name: 'tokens+quotas (memory)', server: await startA2AServer({ ...base, tokens, quotas: limits }) });
    try {
      postgres = await startPostgres();
      const requestCounter = new PostgresRequestCounter(new SharedPool(postgres.url));
      servers.push({
        name: 'tokens+quotas (PostgreSQL)',
        server: await startA2AServer({ ...base, tokens, quotas: { ...limits, requestCounter } }),
      });
    } catch (err) {
      log(`  quotas in PostgreSQL: skipped (${(err as Error).message.split('\n')[0]})`);
    }
    const clients: Client[] = [];
    for (const { server } of servers) {
      const fetchImpl: typeof fetch = (input, init) => {
        const headers = new Headers(init?.headers);
        headers.set('authorization', `Bearer ${TOKEN}`);
        return fetch(input, { ...init, headers });
      };
      clients.push(
        await new ClientFactory({ transports: [new JsonRpcTransportFactory({ fetchImpl })] }).createFromUrl(server.teamUrls[team.name]!),
      );
    }
    // Each client's own finished task, to read back.
    const tasks = await Promise.all(clients.map(async (c) => (await c.sendMessage(sendParams('Go.'))) as Task));
    const getTask = (i: number) => () => clients[i]!.getTask({ tenant: '', id: tasks[i]!.id, historyLength: 0 });
    const start = (i: number) => () =>
      clients[i]!.sendMessage({ ...sendParams('Go.'), configuration: { returnImmediately: true } as never });
    await timeInterleaved(
      10,
      clients.map((_, i) => getTask(i)),
    ); // warm-up
    const reads = await timeInterleaved(
      CALLS,
      clients.map((_, i) => getTask(i)),
    );
    const starts = await timeInterleaved(
      Math.max(20, CALLS / 5),
      clients.map((_, i) => start(i)),
    );

    log(
      `A2A front-end guards, ${CALLS} GetTask and ${Math.max(20, CALLS / 5)} starting SendMessage calls each, interleaved, JSON-RPC on 127.0.0.1:`,
    );
    const fields: string[] = [];
    servers.forEach(({ name }, i) => {
      log(
        `  ${name.padEnd(27)} GetTask p50 ${fmt(median(reads[i]!))}  p99 ${fmt(percentile(reads[i]!, 99))}   start p50 ${fmt(median(starts[i]!))}  p99 ${fmt(percentile(starts[i]!, 99))}`,
      );
      const key = name
        .replace(/[^a-z]+/gi, '_')
        .replace(/_+$/, '')
        .toLowerCase();
      fields.push(
        `guards_${key}_get_p50_ms=${median(reads[i]!).toFixed(1)}`,
        `guards_${key}_start_p50_ms=${median(starts[i]!).toFixed(1)}`,
      );
    });
    log(
      '  (tokens: one more describe per call, to check the owner before the run is read; quotas: a count per call, and a visibility listing per start)',
    );
    return fields.join(' ');
  } finally {
    for (const { server } of servers) await server.close();
    await postgres?.stop();
    await model.close();
  }
}
