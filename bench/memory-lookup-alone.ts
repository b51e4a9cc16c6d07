import { benchMemoryLookup } from './memory-lookup';
import { runSectionAlone } from './section-alone';

/**
 * The memory section of `npm run bench` by itself (it needs no Temporal server):
 * `npm run build && node dist/bench/memory-lookup-alone.js` (BENCH_MEMORY_LOOKUPS, BENCH_MEMORY_ENTRIES).
 */
runSectionAlone(benchMemoryLookup);
