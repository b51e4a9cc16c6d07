import { addSpend, applyRaise, checkFor, innerBudget, overBudgetReason, refuseRaise, spendOf, startBudget } from '../../../src/core/budget';
import { refuseAnswer, type PendingInput } from '../../../src/core/human';

describe('budget arithmetic', () => {
  it('adds what calls used, priced per million tokens, and says what is left', () => {
    const budget = startBudget({ maxTotalTokens: 2_000, maxCostUsd: 0.01, onExceed: 'stop' });
    addSpend(budget, { promptTokens: 1_000, completionTokens: 500 }, { input: 2.5, output: 10 });
    expect(spendOf(budget)).toEqual({
      totalTokens: 1_500,
      costUsd: 0.0075,
      budget: { maxTotalTokens: 2_000, maxCostUsd: 0.01, onExceed: 'stop' },
    });
    expect(checkFor(budget, 'gpt-4o-2024-08-06', { onExceed: 'stop' })).toEqual({
      tokensLeft: 500,
      usdLeft: 0.01 - 0.0075,
      price: { input: 2.5, output: 10 },
    });
  });

  it('names the limit that would be exceeded, with the figures', () => {
    const budget = startBudget({ maxTotalTokens: 2_000, onExceed: 'stop' });
    budget.spentTokens = 1_850;
    expect(overBudgetReason(budget, { needsTokens: 420, needsUsd: 0 })).toBe(
      'budget: maxTotalTokens 2,000 would be exceeded (1,850 spent, next call needs ~420)',
    );
    const dollars = startBudget({ maxCostUsd: 0.05, onExceed: 'stop' });
    dollars.spentUsd = 0.049;
    expect(overBudgetReason(dollars, { needsTokens: 420, needsUsd: 0.002 })).toBe(
      'budget: maxCostUsd $0.0500 would be exceeded ($0.0490 spent, next call needs ~$0.0020)',
    );
  });

  it('takes only a raise above the current limit, in one line naming the field', () => {
    const limits = { maxTotalTokens: 400, maxCostUsd: null };
    expect(refuseRaise(limits, undefined)).toBe('a raise names a new limit: maxTotalTokens and/or maxCostUsd');
    expect(refuseRaise(limits, { maxTotalTokens: 400 })).toBe('maxTotalTokens: 400 does not raise the limit of 400');
    expect(refuseRaise(limits, { maxTotalTokens: -5 })).toBe('maxTotalTokens: expected a positive whole number');
    expect(refuseRaise(limits, { maxCostUsd: 0.5 })).toBeNull(); // a cost limit where there was none
    expect(refuseRaise(limits, { maxTotalTokens: 401 })).toBeNull();
    const budget = startBudget({ maxTotalTokens: 400, onExceed: 'ask' });
    applyRaise(budget, { maxTotalTokens: 900 });
    expect(budget.maxTotalTokens).toBe(900);
  });

  it('a budget request takes raise or stop, nothing else', () => {
    const pending: PendingInput = {
      requestId: 'req-1',
      kind: 'budget',
      reason: 'budget',
      from: 'budget',
      to: 'user',
      prompt: 'p',
      since: 0,
      deadline: null,
      answered: false,
      budget: { maxTotalTokens: 400, maxCostUsd: null, spentTokens: 300, spentUsd: 0, needsTokens: 150, needsUsd: 0 },
    };
    expect(refuseAnswer(pending, { requestId: 'req-1', action: 'approve' }, 'input-required')).toBe(
      'request "req-1" asks for a budget decision; it takes raise, stop, not approve',
    );
    expect(refuseAnswer(pending, { requestId: 'req-1', action: 'raise', raise: { maxTotalTokens: 300 } }, 'input-required')).toBe(
      'maxTotalTokens: 300 does not raise the limit of 400',
    );
    expect(refuseAnswer(pending, { requestId: 'req-1', action: 'stop' }, 'input-required')).toBeNull();
  });

  it('gives a nested team what is left, below its own limit, and has it stop rather than ask', () => {
    const outer = startBudget({ maxTotalTokens: 1_000, onExceed: 'ask' });
    outer.spentTokens = 700;
    expect(innerBudget(outer, { maxTotalTokens: 1_000, onExceed: 'ask' }, undefined)).toEqual({ maxTotalTokens: 300, onExceed: 'stop' });
    expect(innerBudget(outer, { maxTotalTokens: 1_000, onExceed: 'ask' }, { maxTotalTokens: 200, onExceed: 'ask' })).toEqual({
      maxTotalTokens: 200,
      onExceed: 'stop',
    });
  });
});
