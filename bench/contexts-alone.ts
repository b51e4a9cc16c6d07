import { benchContexts } from './contexts';
import { runWorkerSectionAlone } from './worker-section-alone';

/**
 * The contexts section of `npm run bench` by itself: `npm run build && node dist/bench/contexts-alone.js`
 * (BENCH_CONTEXT_TASKS sets the earlier tasks, BENCH_CONTEXT_RUNS the measured ones).
 */
runWorkerSectionAlone(benchContexts);
