import type { BudgetSpec, ModelPrice } from '../spec/budget';
import { priceOf } from '../spec/plain/prices';
import type { TokenUsage } from './messages';

/**
 * A run's budget as it stands: its limits (a person may raise them) and what it has spent so far.
 * Plain JSON in the run's state, so it survives replays and continue-as-new.
 */
export interface BudgetState {
  maxTotalTokens: number | null;
  maxCostUsd: number | null;
  onExceed: BudgetSpec['onExceed'];
  spentTokens: number;
  spentUsd: number;
}

/** What the activity that calls a model checks before it calls: what is left, and the model's price. */
export interface BudgetCheck {
  tokensLeft: number | null;
  usdLeft: number | null;
  price: ModelPrice | null;
}

/** The activity's answer when the call would go over: it did not call the model. */
export interface OverBudget {
  v: 1;
  overBudget: true;
  /** The prompt's tokens as counted, plus the reply's cap (`maxTokens`). */
  needsTokens: number;
  needsUsd: number;
  promptTokens: number;
}

export function isOverBudget(reply: unknown): reply is OverBudget {
  return typeof reply === 'object' && reply !== null && (reply as OverBudget).overBudget === true;
}

/** What `status`, `transcript --json`, `list --json` and the A2A task show of a run's budget. */
export interface Spend {
  totalTokens: number;
  costUsd: number;
  budget: { maxTotalTokens: number | null; maxCostUsd: number | null; onExceed: BudgetSpec['onExceed'] };
}

export function startBudget(spec: BudgetSpec): BudgetState {
  return {
    maxTotalTokens: spec.maxTotalTokens ?? null,
    maxCostUsd: spec.maxCostUsd ?? null,
    onExceed: spec.onExceed,
    spentTokens: 0,
    spentUsd: 0,
  };
}

export function spendOf(budget: BudgetState): Spend {
  return {
    totalTokens: budget.spentTokens,
    costUsd: roundUsd(budget.spentUsd),
    budget: { maxTotalTokens: budget.maxTotalTokens, maxCostUsd: budget.maxCostUsd, onExceed: budget.onExceed },
  };
}

export function checkFor(budget: BudgetState, model: string | undefined, spec: BudgetSpec): BudgetCheck {
  return {
    tokensLeft: budget.maxTotalTokens === null ? null : budget.maxTotalTokens - budget.spentTokens,
    usdLeft: budget.maxCostUsd === null ? null : budget.maxCostUsd - budget.spentUsd,
    price: model ? priceOf(model, spec.prices) : null,
  };
}

/** Dollars for tokens at a price per million. */
export function costOf(price: ModelPrice | null, promptTokens: number, completionTokens: number): number {
  if (!price) return 0;
  return (promptTokens * price.input + completionTokens * price.output) / 1_000_000;
}

/** Adds what a call used: its tokens, priced at the model's price. */
export function addSpend(budget: BudgetState, usage: TokenUsage | null, price: ModelPrice | null): void {
  if (!usage) return;
  budget.spentTokens += usage.promptTokens + usage.completionTokens;
  budget.spentUsd += costOf(price, usage.promptTokens, usage.completionTokens);
}

/**
 * Why the next call may not run, naming the limit it would go over and the figures:
 * `budget: maxTotalTokens 2,000 would be exceeded (1,850 spent, next call needs ~420)`.
 */
export function overBudgetReason(budget: BudgetState, over: Pick<OverBudget, 'needsTokens' | 'needsUsd'>): string {
  const byTokens = budget.maxTotalTokens !== null && budget.spentTokens + over.needsTokens > budget.maxTotalTokens;
  if (byTokens || budget.maxCostUsd === null) {
    return `budget: maxTotalTokens ${int(budget.maxTotalTokens ?? 0)} would be exceeded (${int(budget.spentTokens)} spent, next call needs ~${int(over.needsTokens)})`;
  }
  return `budget: maxCostUsd ${usd(budget.maxCostUsd)} would be exceeded (${usd(budget.spentUsd)} spent, next call needs ~${usd(over.needsUsd)})`;
}

/** The limits a person may raise to, or null when the answer raises nothing past what is set. */
export interface BudgetRaise {
  maxTotalTokens?: number;
  maxCostUsd?: number;
}

/** Why a raise cannot be taken (it must raise a limit the budget has, above where it is), or null. */
export function refuseRaise(limits: Pick<BudgetState, 'maxTotalTokens' | 'maxCostUsd'>, raise: BudgetRaise | undefined): string | null {
  if (!raise || (raise.maxTotalTokens === undefined && raise.maxCostUsd === undefined)) {
    return 'a raise names a new limit: maxTotalTokens and/or maxCostUsd';
  }
  if (raise.maxTotalTokens !== undefined) {
    if (!Number.isInteger(raise.maxTotalTokens) || raise.maxTotalTokens <= 0) return 'maxTotalTokens: expected a positive whole number';
    if (limits.maxTotalTokens !== null && raise.maxTotalTokens <= limits.maxTotalTokens) {
      return `maxTotalTokens: ${int(raise.maxTotalTokens)} does not raise the limit of ${int(limits.maxTotalTokens)}`;
    }
  }
  if (raise.maxCostUsd !== undefined) {
    if (!(raise.maxCostUsd > 0) || !Number.isFinite(raise.maxCostUsd)) return 'maxCostUsd: expected a positive amount of US dollars';
    if (limits.maxCostUsd !== null && raise.maxCostUsd <= limits.maxCostUsd) {
      return `maxCostUsd: ${usd(raise.maxCostUsd)} does not raise the limit of ${usd(limits.maxCostUsd)}`;
    }
  }
  return null;
}

export function applyRaise(budget: BudgetState, raise: BudgetRaise): void {
  if (raise.maxTotalTokens !== undefined) budget.maxTotalTokens = raise.maxTotalTokens;
  if (raise.maxCostUsd !== undefined) budget.maxCostUsd = raise.maxCostUsd;
}

/**
 * A nested team's budget: what the outer run has left (or the inner team's own limit, if lower).
 * It stops rather than asks: the outer run asks, at its next call, if its person is to be asked.
 */
export function innerBudget(outer: BudgetState, outerSpec: BudgetSpec, inner: BudgetSpec | undefined): BudgetSpec {
  const lower = (a: number | null, b: number | undefined) => (a === null ? b : b === undefined ? a : Math.min(a, b));
  const tokens = lower(outer.maxTotalTokens === null ? null : Math.max(outer.maxTotalTokens - outer.spentTokens, 1), inner?.maxTotalTokens);
  const cost = lower(outer.maxCostUsd === null ? null : Math.max(outer.maxCostUsd - outer.spentUsd, 1e-9), inner?.maxCostUsd);
  const prices = { ...outerSpec.prices, ...inner?.prices };
  return {
    ...(tokens !== undefined ? { maxTotalTokens: tokens } : {}),
    ...(cost !== undefined ? { maxCostUsd: cost } : {}),
    onExceed: 'stop',
    ...(Object.keys(prices).length ? { prices } : {}),
  };
}

const int = (n: number) => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ','); // no Intl: the same text on every worker
const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;
const roundUsd = (n: number) => Math.round(n * 1e6) / 1e6;
