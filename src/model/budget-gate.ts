import type OpenAI from 'openai';
import { costOf, type BudgetCheck, type OverBudget } from '../core/budget';
import { promptTokens } from './prompt-tokens';

/**
 * The call would go over the run's budget: thrown before the model is called, caught by the
 * activity, which answers with the figures (an OverBudget) instead of a reply.
 */
export class OverBudgetError extends Error {
  override readonly name = 'OverBudgetError';
  constructor(readonly outcome: OverBudget) {
    super(`the call needs ~${outcome.needsTokens} tokens, more than the budget has left`);
  }
}

/**
 * Counts what the call will use at most: the prompt's tokens and the reply's cap (`maxTokens`;
 * a call without one reserves nothing for its reply, and what it really used counts after it).
 * Throws OverBudgetError when that is more than what is left.
 */
export function checkBudget(
  check: BudgetCheck | undefined,
  messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[],
  model: string,
  maxTokens: number | undefined,
  tools?: unknown[],
): void {
  if (!check) return;
  const prompt = promptTokens(messages, model, tools);
  const reply = maxTokens ?? 0;
  const needsTokens = prompt + reply;
  const needsUsd = costOf(check.price, prompt, reply);
  const overTokens = check.tokensLeft !== null && needsTokens > check.tokensLeft;
  const overUsd = check.usdLeft !== null && needsUsd > check.usdLeft;
  if (overTokens || overUsd) throw new OverBudgetError({ v: 1, overBudget: true, needsTokens, needsUsd, promptTokens: prompt });
}

/** Runs a model call; a call the budget refused comes back as its figures (OverBudget), not as a failure. */
export async function underBudget<R>(call: () => Promise<R>): Promise<R | OverBudget> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof OverBudgetError) return err.outcome;
    throw err;
  }
}
