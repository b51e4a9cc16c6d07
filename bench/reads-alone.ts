import { installRuntimeLogging } from '../src/logging/runtime-logging';
import { startDevServer } from '../src/temporal/dev-server';
import { benchReads } from './reads';
import { runSectionAlone } from './section-alone';

/**
 * The reads section of `npm run bench` by itself: `npm run build && node dist/bench/reads-alone.js`
 * (BENCH_READS_READERS, BENCH_READS_TURNS, BENCH_READS_WINDOW_MS and the other BENCH_READS_* tune it).
 */
runSectionAlone(async (log) => {
  installRuntimeLogging('ERROR');
  const server = await startDevServer({});
  try {
    return await benchReads(server.address, log);
  } finally {
    await server.stop();
  }
});
