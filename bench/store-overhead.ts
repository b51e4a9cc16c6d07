import { pingPongTeam } from './ping-pong';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationStore } from '../src/store/conversation-store';
import { FileBackend } from '../src/store/file-backend';
import { RamBackend } from '../src/store/ram-backend';
import { PostgresBackend } from '../src/store/postgres-backend';
import { startPostgres, type TestPostgres } from '../src/testing/postgres';
import { TeamClient } from '../src/client/team-client';
import type { StartWorker } from './codec';
import { fmt, median, percentile, timeInterleaved } from './stats';

const RUNS = Number(process.env.BENCH_STORE_RUNS ?? process.env.BENCH_RUNS ?? 50);
const TURNS = 10;

interface Contender {
  name: string;
  store: ConversationStore;
}

/**
 * What the conversation store costs per turn: the 10-turn durable run of the overhead benchmark
 * with each backend, interleaved: a worker on its own task queue per store, and a client that
 * reads through the same store. PostgreSQL is a real server on loopback, or skipped (with the
 * reason) where its binaries or root are missing.
 */
export async function benchStoreOverhead(
  address: string,
  modelBaseUrl: string,
  startWorker: StartWorker,
  log: (line: string) => void,
): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'durable-teams-bench-store-'));
  let postgres: TestPostgres | null = null;
  const contenders: Contender[] = [
    { name: 'memory', store: new ConversationStore(new RamBackend()) },
    { name: 'file', store: new ConversationStore(await FileBackend.open(folder)) },
  ];
  try {
    postgres = await startPostgres();
    contenders.push({ name: 'postgres', store: new ConversationStore(await PostgresBackend.open(postgres.url)) });
  } catch (err) {
    log(`  postgres: skipped (${(err as Error).message.split('\n')[0]})`);
  }
  const spec = pingPongTeam('bench-store', TURNS, modelBaseUrl);
  const workers: { stop(): Promise<void> }[] = [];
  const clients: TeamClient[] = [];
  try {
    for (const { name, store } of contenders) {
      const taskQueue = `bench-store-${name}`;
      workers.push(await startWorker(taskQueue, { store }));
      clients.push(await TeamClient.connect({ address, namespace: 'default', taskQueue, store }));
    }
    const runs = clients.map((client) => async () => client.result(await client.start(spec, 'Go.')));
    await timeInterleaved(3, runs);
    const times = (await timeInterleaved(RUNS, runs)).map((t) => t.map((ms) => ms / TURNS));
    log(`conversation store: ${RUNS} durable runs of ${TURNS} turns per store, interleaved`);
    log(`  (file: the default folder backend, each write flushed to disk; postgres: a test server started with -F, no fsync)`);
    const fields: string[] = [];
    const memory = median(times[0]!);
    contenders.forEach(({ name }, i) => {
      const cost = i === 0 ? '' : `  store cost per turn vs memory: ${fmt(median(times[i]!) - memory)}`;
      log(`  ${name.padEnd(8)} per turn: p50 ${fmt(median(times[i]!))}  p99 ${fmt(percentile(times[i]!, 99))}${cost}`);
      fields.push(`store_${name}_turn_p50_ms=${median(times[i]!).toFixed(1)}`);
      if (i > 0) fields.push(`store_${name}_cost_ms=${(median(times[i]!) - memory).toFixed(1)}`);
    });
    if (!contenders.some((c) => c.name === 'postgres')) fields.push('store_postgres=skipped');
    return fields.join(' ');
  } finally {
    for (const client of clients) await client.close();
    for (const worker of workers) await worker.stop();
    for (const { store } of contenders) await store.close();
    await postgres?.destroy();
    rmSync(folder, { recursive: true, force: true });
  }
}
