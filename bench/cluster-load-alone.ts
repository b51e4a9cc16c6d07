import { installRuntimeLogging } from '../src/logging/runtime-logging';
import { benchClusterLoad } from './cluster-load';
import { runSectionAlone } from './section-alone';

/**
 * The cluster-load section of `npm run bench` by itself: `npm run build && node dist/bench/cluster-load-alone.js`
 * (BENCH_CLUSTER_RUNS sets the runs at once, BENCH_CLUSTER_MODEL_MS the model's latency).
 */
runSectionAlone(async (log) => {
  installRuntimeLogging('ERROR');
  return benchClusterLoad(log);
});
