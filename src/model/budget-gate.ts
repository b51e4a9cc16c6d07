import type OpenAI from 'openai';
import { costOf, type BudgetCheck, type OverBudget } from '../core/budget';
import { promptTokens } from './prompt-tokens';

/**
 * Counts what the call will use at most: the prompt's tokens and the reply's cap (`maxTokens`;
 * a call without one reserves nothing for its reply, and what it really used counts after it).
 * When that is more than what is left, answers with the figures (an OverBudget, which the run
 * reads as a refusal, not a failure) and the model must not be called; null lets the call go.
 */
export function budgetRefusal(
  check: BudgetCheck | undefined,
  messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[],
  model: string,
  maxTokens: number | undefined,
  tools?: unknown[],
): OverBudget | null {
  if (!check) return null;
  const prompt = promptTokens(messages, model, tools);
  const reply = maxTokens ?? 0;
  const needsTokens = prompt + reply;
  const needsUsd = costOf(check.price, prompt, reply);
  const overTokens = check.tokensLeft !== null && needsTokens > check.tokensLeft;
  const overUsd = check.usdLeft !== null && needsUsd > check.usdLeft;
  return overTokens || overUsd ? { v: 1, overBudget: true, needsTokens, needsUsd, promptTokens: prompt } : null;
}
