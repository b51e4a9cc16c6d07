import { InvalidArgumentError, type Command } from 'commander';
import { positiveInt } from './common';
import type { RunBudget } from '../spec/run-budget';

export interface BudgetFlags {
  budgetTokens?: number;
  budgetUsd?: number;
  onExceed?: 'stop' | 'ask';
}

/** A positive amount of US dollars. */
export function positiveUsd(name: string) {
  return (value: string): number => {
    const n = Number(value.replace(/^\$/, ''));
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive amount of US dollars, not "${value}"`);
    return n;
  };
}

function onExceedOf(value: string): 'stop' | 'ask' {
  if (value !== 'stop' && value !== 'ask') throw new InvalidArgumentError(`--on-exceed must be "stop" or "ask", not "${value}"`);
  return value;
}

/** `run`'s budget flags: they set this run's budget over the team file's. */
export function withBudgetFlags(command: Command): Command {
  return command
    .option('--budget-tokens <n>', "this run's token budget (prompt + reply tokens of all its model calls)", positiveInt('--budget-tokens'))
    .option('--budget-usd <x>', "this run's cost budget in US dollars (needs a price for each model)", positiveUsd('--budget-usd'))
    .option('--on-exceed <stop|ask>', 'when the budget would be exceeded: stop the run, or ask a person to raise it', onExceedOf);
}

export function runBudgetOf(flags: BudgetFlags): RunBudget | undefined {
  const budget: RunBudget = {
    ...(flags.budgetTokens !== undefined ? { maxTotalTokens: flags.budgetTokens } : {}),
    ...(flags.budgetUsd !== undefined ? { maxCostUsd: flags.budgetUsd } : {}),
    ...(flags.onExceed ? { onExceed: flags.onExceed } : {}),
  };
  return Object.keys(budget).length ? budget : undefined;
}
