import { benchForks } from './forks';
import { runWorkerSectionAlone } from './worker-section-alone';

/**
 * The forks section of `npm run bench` by itself: `npm run build && node dist/bench/forks-alone.js`
 * (BENCH_FORK_MESSAGES sets the run sizes, BENCH_FORK_RUNS the forks of each).
 */
runWorkerSectionAlone(benchForks);
