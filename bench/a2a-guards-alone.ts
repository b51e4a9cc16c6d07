import { installRuntimeLogging } from '../src/logging/runtime-logging';
import { startDevServer } from '../src/temporal/dev-server';
import { startTestWorker } from '../src/testing/temporal-env';
import { benchA2AGuards } from './a2a-guards';
import { runSectionAlone } from './section-alone';

/**
 * The guards section of `npm run bench` by itself, for its figures without the rest:
 * `npm run build && node dist/bench/a2a-guards-alone.js` (BENCH_GUARD_CALLS sets the calls).
 */
runSectionAlone(async (log) => {
  installRuntimeLogging('ERROR');
  const server = await startDevServer({});
  const worker = await startTestWorker({ address: server.address });
  try {
    return await benchA2AGuards(worker.client, log);
  } finally {
    await worker.stop();
    await server.stop();
  }
});
