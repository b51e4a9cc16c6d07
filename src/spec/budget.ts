import { z } from 'zod';

/** What a model costs, in US dollars per million tokens of prompt (`input`) and of reply (`output`). */
export interface ModelPrice {
  input: number;
  output: number;
}

/**
 * How much a run may spend on model calls, counted before each call (see core/budget.ts).
 * `stop`: the run completes, its stop reason naming the budget; `ask`: a person raises the limit
 * or stops the run.
 */
export interface BudgetSpec {
  /** Prompt plus reply tokens of every model call of the run (nested teams and the selector included). */
  maxTotalTokens?: number;
  /** The same calls priced by `prices` (then the default table), in US dollars. */
  maxCostUsd?: number;
  onExceed: 'stop' | 'ask';
  /** Prices by model name; a name matches a model whose name starts with it (the longest wins). */
  prices?: Record<string, ModelPrice>;
}

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

const PriceSchema = z.strictObject({
  input: z.number().min(0, 'expected a price of 0 or more (USD per 1M prompt tokens)'),
  output: z.number().min(0, 'expected a price of 0 or more (USD per 1M reply tokens)'),
});

export const BudgetSchema: z.ZodType<BudgetSpec> = z
  .strictObject({
    maxTotalTokens: z.number().int('expected a whole number of tokens').positive('expected a positive number of tokens').optional(),
    maxCostUsd: z.number().positive('expected a positive amount of US dollars').optional(),
    onExceed: z.enum(['stop', 'ask'], { error: 'expected "stop" or "ask"' }),
    prices: z.record(z.string().min(1), PriceSchema).optional(),
  })
  .refine((b) => b.maxTotalTokens !== undefined || b.maxCostUsd !== undefined, {
    message: 'a budget needs "maxTotalTokens" or "maxCostUsd" (or both)',
    // Only of a budget otherwise well formed: a misspelt limit is told once, as a misspelling.
    when: (payload) => payload.issues.length === 0,
  });
