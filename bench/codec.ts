import { pingPongTeam } from './ping-pong';
import { randomBytes } from 'node:crypto';
import type { DataConverter } from '@temporalio/common';
import type { ConversationStore } from '../src/store/conversation-store';
import type { WorkerDeployment } from '../src/worker/worker-options';
import { dataConverterFromEnv } from '../src/temporal/codec/data-converter';
import { TeamClient } from '../src/client/team-client';
import { fmt, median, percentile, timeInterleaved } from './stats';

const RUNS = Number(process.env.BENCH_CODEC_RUNS ?? 30);
const TURNS = 10;

/** A second worker, on its own task queue, with its own payload codec or conversation store. */
export type StartWorker = (
  taskQueue: string,
  options: { dataConverter?: DataConverter; store?: ConversationStore; heartbeatEvery?: string; deployment?: WorkerDeployment },
) => Promise<{ stop(): Promise<void> }>;

/**
 * What encrypted history costs: the same 10-turn run with and without the AES-256-GCM payload
 * codec (client and worker both encrypting and decrypting every payload), interleaved.
 */
export async function benchCodec(
  address: string,
  plain: TeamClient,
  modelBaseUrl: string,
  startWorker: StartWorker,
  log: (line: string) => void,
): Promise<string> {
  const converter = dataConverterFromEnv({ DURABLE_TEAMS_CODEC_KEYS: `bench:${randomBytes(32).toString('base64')}` })!;
  const taskQueue = 'bench-codec';
  const worker = await startWorker(taskQueue, { dataConverter: converter });
  const encrypted = await TeamClient.connect({ address, namespace: 'default', taskQueue, dataConverter: converter });
  const spec = pingPongTeam('bench-codec', TURNS, modelBaseUrl);
  const runWith = (client: TeamClient) => async () => client.result(await client.start(spec, 'Go.'));
  try {
    await timeInterleaved(3, [runWith(plain), runWith(encrypted)]);
    const [plainTimes, encryptedTimes] = (await timeInterleaved(RUNS, [runWith(plain), runWith(encrypted)])).map((times) =>
      times.map((t) => t / TURNS),
    ) as [number[], number[]];
    const overhead = encryptedTimes.map((t) => t - median(plainTimes));
    log(`encrypted history: ${RUNS} runs of ${TURNS} turns each way`);
    log(`  plain payloads     per turn: p50 ${fmt(median(plainTimes))}  p99 ${fmt(percentile(plainTimes, 99))}`);
    log(`  AES-256-GCM codec  per turn: p50 ${fmt(median(encryptedTimes))}  p99 ${fmt(percentile(encryptedTimes, 99))}`);
    log(`  overhead per turn           : p50 ${fmt(median(overhead))}  p99 ${fmt(percentile(overhead, 99))}`);
    return `codec_overhead_p50_ms=${median(overhead).toFixed(1)} codec_overhead_p99_ms=${percentile(overhead, 99).toFixed(1)}`;
  } finally {
    await encrypted.close();
    await worker.stop();
  }
}
