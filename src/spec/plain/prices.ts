// Model prices, for budgets. Like all of spec/plain/, no Zod here: core and the workflows load these at run time.
import type { ModelPrice } from '../budget';

/**
 * Prices of a few well-known models (USD per 1M tokens, list prices at the time of writing).
 * A team file's `budget.prices` (or a per-run budget's `prices`) overrides them.
 */
export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  o3: { input: 2, output: 8 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
};

/** The price of a model: the table entry whose name is the longest prefix of the model's name, or null. */
export function priceOf(model: string, prices: Record<string, ModelPrice> | undefined): ModelPrice | null {
  const table = { ...DEFAULT_PRICES, ...prices };
  let best: string | null = null;
  for (const name of Object.keys(table)) {
    if (model.startsWith(name) && (best === null || name.length > best.length)) best = name;
  }
  return best === null ? null : table[best]!;
}
