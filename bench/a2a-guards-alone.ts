import { installRuntimeLogging } from '../src/logging/runtime-logging';
import { startDevServer } from '../src/temporal/dev-server';
import { startTestWorker } from '../src/testing/temporal-env';
import { benchA2AGuards } from './a2a-guards';

/**
 * The guards section of `npm run bench` by itself, for its figures without the rest:
 * `npm run build && node dist/bench/a2a-guards-alone.js` (BENCH_GUARD_CALLS sets the calls).
 */
async function main(): Promise<void> {
  installRuntimeLogging('ERROR');
  const server = await startDevServer({});
  const worker = await startTestWorker({ address: server.address });
  try {
    const summary = await benchA2AGuards(worker.client, (line) => process.stdout.write(`${line}\n`));
    process.stdout.write(`SUMMARY ${summary}\n`);
  } finally {
    await worker.stop();
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
