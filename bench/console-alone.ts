import { installRuntimeLogging } from '../src/logging/runtime-logging';
import { startDevServer } from '../src/temporal/dev-server';
import { benchConsole } from './console';
import { runSectionAlone } from './section-alone';

/**
 * The console section of `npm run bench` by itself: `npm run build && node dist/bench/console-alone.js`
 * (BENCH_CONSOLE_RUNS sets the runs in the namespace, BENCH_CONSOLE_TURNS the watched run's turns).
 */
runSectionAlone(async (log) => {
  installRuntimeLogging('ERROR');
  const server = await startDevServer({});
  try {
    return await benchConsole(server.address, log);
  } finally {
    await server.stop();
  }
});
