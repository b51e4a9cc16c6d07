import { z } from 'zod';

export { DEFAULT_PRICES, priceOf } from './plain/prices';

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
