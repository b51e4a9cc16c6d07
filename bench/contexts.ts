import { randomUUID } from 'node:crypto';
import { openBenchStores } from './bench-stores';
import { TeamClient } from '../src/client/team-client';
import type { StartWorker } from './codec';
import { pingPongTeam } from './ping-pong';
import { fmt, median, percentile } from './stats';

const EARLIER = Number(process.env.BENCH_CONTEXT_TASKS ?? 100);
const RUNS = Number(process.env.BENCH_CONTEXT_RUNS ?? 20);

/**
 * What continuing a context costs: a one-turn task started as the next task of a context that
 * already has EARLIER tasks (`context: full`: its model call reads all of them), against the same
 * task in a fresh context and with a context id that is only a label (no ledger: what `start`
 * did before contexts continued), in turns, on the embedded store and on PostgreSQL. Two figures each:
 * the start (joining the context: reading its newest entry, asking Temporal whether that task
 * ended, reading its records, claiming the next entry, writing the run's note) and the whole task
 * to its result (the first model call reads the earlier conversation through the store).
 */
export async function benchContexts(
  address: string,
  modelBaseUrl: string,
  startWorker: StartWorker,
  log: (line: string) => void,
): Promise<string> {
  const { stores, close } = await openBenchStores('contexts', log);
  const team = pingPongTeam('bench-context', 1, modelBaseUrl);
  const fields: string[] = [];
  log(`contexts: a one-turn task in a context of ${EARLIER} earlier tasks, in a fresh one, and with no ledger; ${RUNS} of each, in turns`);
  try {
    for (const { name, store } of stores) {
      const taskQueue = `bench-contexts-${name}`;
      const worker = await startWorker(taskQueue, { store });
      const client = await TeamClient.connect({ address, namespace: 'default', taskQueue, store });
      try {
        const long = `bench-context-${randomUUID()}`;
        const task = async (contextId: string, join = true) => {
          const started = performance.now();
          const runId = await client.start(team, 'Go on.', { contextId, ...(join ? { continueContext: {} } : {}) });
          const start = performance.now() - started;
          await client.result(runId);
          return { start, whole: performance.now() - started };
        };
        for (let i = 0; i < EARLIER; i++) await task(long);
        const kinds = ['label', 'fresh', 'long'] as const;
        const timings = Object.fromEntries(kinds.map((kind) => [kind, { start: [] as number[], whole: [] as number[] }])) as Record<
          (typeof kinds)[number],
          { start: number[]; whole: number[] }
        >;
        for (let i = 0; i < RUNS; i++) {
          for (const kind of kinds) {
            const { start, whole } = await task(kind === 'long' ? long : `bench-context-${randomUUID()}`, kind !== 'label');
            timings[kind].start.push(start);
            timings[kind].whole.push(whole);
          }
        }
        const labels = { label: 'no ledger', fresh: 'fresh context', long: `after ${EARLIER}+ tasks` };
        for (const kind of kinds) {
          const { start, whole } = timings[kind];
          const label = labels[kind];
          log(
            `  ${name.padEnd(8)} ${label.padEnd(18)} start p50 ${fmt(median(start))} p99 ${fmt(percentile(start, 99))}   ` +
              `task p50 ${fmt(median(whole))} p99 ${fmt(percentile(whole, 99))}`,
          );
        }
        fields.push(
          `context_${name}_join_fresh_ms=${(median(timings.fresh.start) - median(timings.label.start)).toFixed(1)}`,
          `context_${name}_start_cost_ms=${(median(timings.long.start) - median(timings.fresh.start)).toFixed(1)}`,
          `context_${name}_task_cost_ms=${(median(timings.long.whole) - median(timings.fresh.whole)).toFixed(1)}`,
        );
      } finally {
        await client.close();
        await worker.stop();
      }
    }
    if (!stores.some((s) => s.name === 'postgres')) fields.push('context_postgres=skipped');
    return fields.join(' ');
  } finally {
    await close();
  }
}
