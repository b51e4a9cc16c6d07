import { benchMemoryLookup } from './memory-lookup';

/**
 * The memory section of `npm run bench` by itself (it needs no Temporal server):
 * `npm run build && node dist/bench/memory-lookup-alone.js` (BENCH_MEMORY_LOOKUPS, BENCH_MEMORY_ENTRIES).
 */
benchMemoryLookup((line) => process.stdout.write(`${line}\n`)).then(
  (summary) => {
    process.stdout.write(`SUMMARY ${summary}\n`);
    process.exit(0);
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
