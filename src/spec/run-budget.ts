import { z } from 'zod';
import { BudgetSchema, type BudgetSpec } from './budget';
import { checkBudget } from './budget-checks';
import { formatPath } from './errors';
import type { TeamSpec } from './team';

/** A budget given for one run (CLI flags, TeamClient, A2A metadata): what it leaves out comes from the team file's. */
export type RunBudget = Partial<BudgetSpec>;

export const RunBudgetSchema: z.ZodType<RunBudget> = z.strictObject({
  maxTotalTokens: z.number().int('expected a whole number of tokens').positive('expected a positive number of tokens').optional(),
  maxCostUsd: z.number().positive('expected a positive amount of US dollars').optional(),
  onExceed: z.enum(['stop', 'ask'], { error: 'expected "stop" or "ask"' }).optional(),
  prices: z.record(z.string().min(1), z.strictObject({ input: z.number().min(0), output: z.number().min(0) })).optional(),
});

/**
 * The team with the run's budget over its own (limits and `onExceed` from the run; prices of
 * both). Throws one line naming the field, `where` first (`--budget-usd`, `metadata.durableTeams.budget`).
 */
export function withRunBudget(team: TeamSpec, given: unknown, where: string): TeamSpec {
  if (given === undefined) return team;
  const parsed = RunBudgetSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.length ? `${where}.${formatPath(issue.path)}` : where;
    throw new Error(`${at}: ${issue.message}`);
  }
  const run = parsed.data;
  const own = team.budget;
  const limits = run.maxTotalTokens !== undefined || run.maxCostUsd !== undefined ? run : (own ?? {});
  const budget = BudgetSchema.safeParse({
    ...(limits.maxTotalTokens !== undefined ? { maxTotalTokens: limits.maxTotalTokens } : {}),
    ...(limits.maxCostUsd !== undefined ? { maxCostUsd: limits.maxCostUsd } : {}),
    onExceed: run.onExceed ?? own?.onExceed ?? 'stop',
    ...(own?.prices || run.prices ? { prices: { ...own?.prices, ...run.prices } } : {}),
  });
  if (!budget.success) throw new Error(`${where}: ${budget.error.issues[0]!.message}`);
  const budgeted = { ...team, budget: budget.data };
  const problems: string[] = [];
  checkBudget(budgeted, (_path, message) => problems.push(message));
  if (problems.length) throw new Error(`${where}: ${problems[0]}`);
  return budgeted;
}
