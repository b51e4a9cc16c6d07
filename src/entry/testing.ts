/**
 * `durable-teams/testing`: what a user's own tests need to run teams for real without a model
 * API: Temporal's dev server as a process, the scripted OpenAI-compatible model server, and a
 * worker on a task queue of its own.
 */
export { startDevServer, locateTemporalCli, type DevServer, type DevServerOptions } from '../temporal/dev-server';
export {
  startScriptedModelServer,
  loadScript,
  parseScript,
  ScriptError,
  type Script,
  type ScriptedModelServer,
  type ScriptedModelServerOptions,
  type ServedRequest,
} from '../testing/scripted-model';
export { startTestWorker, uniqueTaskQueue, type TestWorker, type TestWorkerOptions } from '../testing/temporal-env';
