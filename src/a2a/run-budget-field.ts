import { RequestMalformedError } from '@a2a-js/sdk/errors';
import { withRunBudget } from '../spec/run-budget';
import type { TeamSpec } from '../spec/team';

/** Where an A2A client sets a new task's budget: `{ maxTotalTokens?, maxCostUsd?, onExceed? }`. */
export const BUDGET_FIELD = 'metadata.durableTeams.budget';

/**
 * The team with the budget a new task's message asks for over the team file's. Refused (invalid
 * params, -32602 over JSON-RPC) with one line naming the field when it is not a budget.
 */
export function budgetedTeamOf(metadata: unknown, team: TeamSpec): TeamSpec {
  const ours = (metadata as { durableTeams?: unknown } | undefined)?.durableTeams;
  const given = (ours as { budget?: unknown } | undefined)?.budget;
  try {
    return withRunBudget(team, given, BUDGET_FIELD);
  } catch (err) {
    throw new RequestMalformedError((err as Error).message);
  }
}
