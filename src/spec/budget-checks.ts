import { isLlm, isNestedTeam } from './agent';
import { priceOf } from './budget';
import type { TeamSpec } from './team';

type Report = (path: (string | number)[], message: string) => void;

/**
 * The models a team calls (its agents', its selector's, its nested teams'), each with where it is
 * named. A cost limit needs a price for every one of them, or the spend could not be counted.
 */
function modelsOf(team: TeamSpec, at: (string | number)[] = []): { model: string; path: (string | number)[] }[] {
  const found: { model: string; path: (string | number)[] }[] = [];
  team.agents.forEach((agent, i) => {
    if (isLlm(agent)) {
      const model = agent.model ?? team.model?.model;
      if (model) found.push({ model, path: [...at, 'agents', i, agent.model ? 'model' : 'name'] });
    } else if (isNestedTeam(agent)) {
      found.push(...modelsOf(agent.team, [...at, 'agents', i, 'team']));
    }
  });
  const selector = team.pattern === 'selector' ? (team.selector?.model ?? team.model?.model) : undefined;
  if (selector) found.push({ model: selector, path: [...at, 'selector', 'model'] });
  return found;
}

/** A team whose budget has a cost limit: every model it calls has a price. */
export function checkBudget(team: TeamSpec, report: Report): void {
  const budget = team.budget;
  if (!budget || budget.maxCostUsd === undefined) return;
  const missing = new Set<string>();
  for (const { model } of modelsOf(team)) if (!priceOf(model, budget.prices)) missing.add(model);
  for (const model of missing) {
    report(
      ['budget', 'prices'],
      `no price for model "${model}", so "maxCostUsd" cannot be counted: add budget.prices["${model}"]: { input, output } (USD per 1M tokens)`,
    );
  }
}
