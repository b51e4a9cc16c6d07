import { installRuntimeLogging } from '../src/logging/runtime-logging';
import { benchListing } from './listing';
import { runSectionAlone } from './section-alone';

/**
 * The listing section of `npm run bench` by itself: `npm run build && node dist/bench/listing-alone.js`
 * (BENCH_LISTING_RUNS sets the finished runs, BENCH_LISTING_COMPLETED how many of them complete on a worker).
 */
runSectionAlone(async (log) => {
  installRuntimeLogging('ERROR');
  return benchListing(log);
});
