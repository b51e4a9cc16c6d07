import { installRuntimeLogging } from '../src/logging/runtime-logging';
import { startDevServer } from '../src/temporal/dev-server';
import { startScriptedModelServer } from '../src/testing/scripted-model';
import { startTestWorker } from '../src/testing/temporal-env';
import type { StartWorker } from './codec';
import { benchForks } from './forks';
import { runSectionAlone } from './section-alone';

/**
 * The forks section of `npm run bench` by itself: `npm run build && node dist/bench/forks-alone.js`
 * (BENCH_FORK_MESSAGES sets the run sizes, BENCH_FORK_RUNS the forks of each).
 */
runSectionAlone(async (log) => {
  installRuntimeLogging('ERROR');
  const server = await startDevServer({});
  const model = await startScriptedModelServer({ script: { agents: { ping: ['ping'], pong: ['pong'] } } });
  const startWorker: StartWorker = async (taskQueue, { store }) => {
    const worker = await startTestWorker({
      address: server.address,
      taskQueue,
      model: { baseUrl: model.baseUrl },
      ...(store ? { store } : {}),
    });
    return { stop: () => worker.stop() };
  };
  try {
    return await benchForks(server.address, model.baseUrl, startWorker, log);
  } finally {
    await model.close();
    await server.stop();
  }
});
