import { installRuntimeLogging } from '../src/logging/runtime-logging';
import { startDevServer } from '../src/temporal/dev-server';
import { startScriptedModelServer } from '../src/testing/scripted-model';
import { startTestWorker } from '../src/testing/temporal-env';
import type { StartWorker } from './codec';
import { runSectionAlone } from './section-alone';

/** A section that needs a Temporal server, a model and workers of its own, as `npm run bench` gives it. */
export type WorkerSection = (
  address: string,
  modelBaseUrl: string,
  startWorker: StartWorker,
  log: (line: string) => void,
) => Promise<string>;

/**
 * Runs such a section by itself: its own dev server, the ping/pong scripted model, and workers in
 * this process on the store the section names.
 */
export function runWorkerSectionAlone(section: WorkerSection): void {
  runSectionAlone(async (log) => {
    installRuntimeLogging('ERROR');
    const server = await startDevServer({});
    const model = await startScriptedModelServer({ script: { agents: { ping: ['ping'], pong: ['pong'] } } });
    const startWorker: StartWorker = async (taskQueue, { store, deployment }) => {
      const worker = await startTestWorker({
        address: server.address,
        taskQueue,
        model: { baseUrl: model.baseUrl },
        ...(store ? { store } : {}),
        ...(deployment ? { deployment } : {}),
      });
      return { stop: () => worker.stop() };
    };
    try {
      return await section(server.address, model.baseUrl, startWorker, log);
    } finally {
      await model.close();
      await server.stop();
    }
  });
}
