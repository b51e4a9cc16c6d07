import { installRuntimeLogging } from '../src/logging/runtime-logging';
import { startDevServer } from '../src/temporal/dev-server';
import { startScriptedModelServer } from '../src/testing/scripted-model';
import { startTestWorker } from '../src/testing/temporal-env';
import type { StartWorker } from './codec';
import { benchContexts } from './contexts';
import { runSectionAlone } from './section-alone';

/**
 * The contexts section of `npm run bench` by itself: `npm run build && node dist/bench/contexts-alone.js`
 * (BENCH_CONTEXT_TASKS sets the earlier tasks, BENCH_CONTEXT_RUNS the measured ones).
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
    return await benchContexts(server.address, model.baseUrl, startWorker, log);
  } finally {
    await model.close();
    await server.stop();
  }
});
