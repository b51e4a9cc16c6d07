import { benchVersioning } from './versioning';
import { runWorkerSectionAlone } from './worker-section-alone';

/**
 * The Worker Versioning section of `npm run bench` by itself: `npm run build && node dist/bench/versioning-alone.js`
 * (BENCH_VERSIONING_RUNS sets the measured runs, BENCH_VERSIONING_WAITING the runs waiting on a person).
 */
runWorkerSectionAlone(benchVersioning);
