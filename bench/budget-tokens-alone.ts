import { benchBudgetTokens } from './budget-tokens';
import { runSectionAlone } from './section-alone';

/**
 * The budget-tokens section of `npm run bench` by itself: `npm run build && node dist/bench/budget-tokens-alone.js`
 * (BENCH_BUDGET_CONVERSATIONS sets the conversations compared, BENCH_BUDGET_COUNTS the timed counts).
 */
runSectionAlone((log) => benchBudgetTokens(log));
