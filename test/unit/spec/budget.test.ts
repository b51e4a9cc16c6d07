import { parseTeamText, priceOf, withRunBudget } from '../../../src/spec';
import { roundRobinYaml, specError } from './spec-helpers';

const S = 'teams/review.yaml';
const unpriced = (extra: string) => roundRobinYaml(extra).replace('model: { model: gpt-4o-mini }', 'model: { model: local-llama }');

describe('team file: budget', () => {
  it('takes a token limit, a cost limit for priced models, and prices of its own', () => {
    expect(parseTeamText(roundRobinYaml('maxTurns: 6\nbudget: { maxTotalTokens: 5000, onExceed: ask }\n'), S).budget).toEqual({
      maxTotalTokens: 5000,
      onExceed: 'ask',
    });
    // gpt-4o-mini is in the default table; a model it does not know is priced in the file.
    expect(parseTeamText(roundRobinYaml('maxTurns: 6\nbudget: { maxCostUsd: 0.5, onExceed: stop }\n'), S).budget?.maxCostUsd).toBe(0.5);
    const priced = unpriced(
      'maxTurns: 6\nbudget: { maxCostUsd: 1, onExceed: stop, prices: { local-llama: { input: 0.1, output: 0.2 } } }\n',
    );
    expect(parseTeamText(priced, S).budget?.prices).toEqual({ 'local-llama': { input: 0.1, output: 0.2 } });
  });

  const refused: [what: string, budget: string, error: string][] = [
    ['no limit', 'budget: { onExceed: stop }', `${S}: budget: a budget needs "maxTotalTokens" or "maxCostUsd" (or both)`],
    ['no onExceed', 'budget: { maxTotalTokens: 100 }', `${S}: budget.onExceed: expected "stop" or "ask"`],
    ['another onExceed', 'budget: { maxTotalTokens: 100, onExceed: pause }', `${S}: budget.onExceed: expected "stop" or "ask"`],
    [
      'a fraction of a token',
      'budget: { maxTotalTokens: 10.5, onExceed: stop }',
      `${S}: budget.maxTotalTokens: expected a whole number of tokens`,
    ],
    ['a negative cost', 'budget: { maxCostUsd: -1, onExceed: stop }', `${S}: budget.maxCostUsd: expected a positive amount of US dollars`],
    [
      'a misspelt field',
      'budget: { maxTotalToken: 100, onExceed: stop }',
      `${S}: budget: unknown field "maxTotalToken" (did you mean "maxTotalTokens"?)`,
    ],
  ];
  it.each(refused)('refuses %s with one line naming the field', (_what, budget, error) => {
    expect(specError(roundRobinYaml(`maxTurns: 6\n${budget}\n`)).message).toBe(error);
  });

  it('refuses a cost limit when a model it would call has no price, naming the model and the fix', () => {
    expect(specError(unpriced('maxTurns: 6\nbudget: { maxCostUsd: 1, onExceed: stop }\n')).message).toBe(
      `${S}: budget.prices: no price for model "local-llama", so "maxCostUsd" cannot be counted: add budget.prices["local-llama"]: { input, output } (USD per 1M tokens)`,
    );
  });

  it('prices a dated model name by the longest table entry it starts with', () => {
    expect(priceOf('gpt-4o-mini-2024-07-18', undefined)).toEqual({ input: 0.15, output: 0.6 });
    expect(priceOf('gpt-4o-2024-08-06', undefined)).toEqual({ input: 2.5, output: 10 });
    expect(priceOf('gpt-4o', { 'gpt-4o': { input: 1, output: 1 } })).toEqual({ input: 1, output: 1 });
    expect(priceOf('llama3', undefined)).toBeNull();
  });
});

describe('a run budget over the team file', () => {
  const team = parseTeamText(roundRobinYaml('maxTurns: 6\nbudget: { maxTotalTokens: 5000, onExceed: ask }\n'), S);

  it('replaces the limits, keeps onExceed unless given, and leaves a team alone when none is given', () => {
    expect(withRunBudget(team, { maxCostUsd: 0.2 }, 'budget').budget).toEqual({ maxCostUsd: 0.2, onExceed: 'ask' });
    expect(withRunBudget(team, { onExceed: 'stop' }, 'budget').budget).toEqual({ maxTotalTokens: 5000, onExceed: 'stop' });
    expect(withRunBudget(team, undefined, 'budget')).toBe(team);
  });

  it('refuses a bad one in one line that names where it came from and the field', () => {
    const at = 'metadata.durableTeams.budget';
    expect(() => withRunBudget(team, { maxTotalTokens: 'lots' }, at)).toThrow(/^metadata\.durableTeams\.budget\.maxTotalTokens: /);
    expect(() => withRunBudget(team, { maxTokens: 5 }, at)).toThrow(/^metadata\.durableTeams\.budget: .*maxTokens/);
    expect(() => withRunBudget(team, 7, at)).toThrow(/^metadata\.durableTeams\.budget: /);
    const local = parseTeamText(unpriced('maxTurns: 6\n'), S);
    expect(() => withRunBudget(local, { maxCostUsd: 1 }, 'the budget flags')).toThrow(
      /^the budget flags: no price for model "local-llama"/,
    );
  });
});
