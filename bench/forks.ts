import { openBenchStores } from './bench-stores';
import { TeamClient } from '../src/client/team-client';
import { team } from '../src/spec';
import type { StartWorker } from './codec';
import { bytesOf, executionsOf, kb, sumBytes } from './history-bytes';
import { fmt, median } from './stats';

const SIZES = (process.env.BENCH_FORK_MESSAGES ?? '10,1000').split(',').map(Number);
const FORKS = Number(process.env.BENCH_FORK_RUNS ?? 10);

/** Ping-pong for `turns` turns: maxTurns counts a fork's kept turns too, so a fork one turn short runs one turn. */
function pingPong(turns: number, baseUrl: string) {
  return team('bench-fork')
    .roundRobin()
    .model({ model: 'scripted', baseUrl })
    .agent('ping', { description: 'Says ping.' })
    .agent('pong', { description: 'Says pong.' })
    .maxTurns(turns)
    .build();
}

/**
 * What a fork costs: the time from `fork` to the fork started (reading the original's records,
 * writing the fork's, starting its workflow) and to its result (one more turn), at the last turn
 * but one of a run of 10 and of 1,000 messages, on the embedded store and on PostgreSQL; and the
 * fork's history beside the original's (all its executions), which shows that nothing of the
 * kept conversation is copied into it.
 */
export async function benchForks(
  address: string,
  modelBaseUrl: string,
  startWorker: StartWorker,
  log: (line: string) => void,
): Promise<string> {
  const { stores, close } = await openBenchStores('forks', log);
  const fields: string[] = [];
  log(
    `forks: a fork at the last turn but one of runs of ${SIZES.join(' and ')} messages, ${FORKS} forks each; history bytes beside the original's`,
  );
  try {
    for (const { name, store } of stores) {
      const taskQueue = `bench-forks-${name}`;
      const worker = await startWorker(taskQueue, { store });
      const client = await TeamClient.connect({ address, namespace: 'default', taskQueue, store });
      try {
        for (const messages of SIZES) {
          const turns = messages - 1;
          const original = await client.start(pingPong(turns, modelBaseUrl), 'Go.');
          await client.result(original);
          const started: number[] = [];
          const whole: number[] = [];
          let fork = '';
          for (let i = 0; i < FORKS; i++) {
            const begun = performance.now();
            fork = await client.fork(original, { atTurn: turns - 1 });
            started.push(performance.now() - begun);
            await client.result(fork);
            whole.push(performance.now() - begun);
          }
          const bytes = async (runId: string) => sumBytes((await executionsOf(client.client, runId)).map((e) => bytesOf(e.events)));
          const [theirs, ours] = await Promise.all([bytes(original), bytes(fork)]);
          log(
            `  ${name.padEnd(8)} ${String(messages).padStart(5)} messages  fork started p50 ${fmt(median(started))}  ` +
              `fork's one turn done p50 ${fmt(median(whole))}  history: original ${kb(theirs.serialized)}, fork ${kb(ours.serialized)}`,
          );
          fields.push(
            `fork_${name}_${messages}_start_ms=${median(started).toFixed(1)}`,
            `fork_${name}_${messages}_history_bytes=${ours.serialized}`,
            `fork_${name}_${messages}_original_history_bytes=${theirs.serialized}`,
          );
        }
      } finally {
        await client.close();
        await worker.stop();
      }
    }
    if (!stores.some((s) => s.name === 'postgres')) fields.push('fork_postgres=skipped');
    return fields.join(' ');
  } finally {
    await close();
  }
}
