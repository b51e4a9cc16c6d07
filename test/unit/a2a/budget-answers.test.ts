import { answerOf, type IncomingMessage } from '../../../src/a2a/incoming';
import { budgetedTeamOf } from '../../../src/a2a/run-budget-field';
import { statusJson } from '../../../src/core/a2a-json';
import { maxMessages, team } from '../../../src/spec';

const message = (text: string, data: unknown[] = []): IncomingMessage => ({
  messageId: 'm',
  taskId: 't',
  contextId: null,
  text,
  data,
  attachments: [],
  fileUrls: [],
  references: [],
});

describe('a budget request over A2A', () => {
  it('takes a raise or a stop as a data part, or in words', () => {
    expect(answerOf(message('', [{ action: 'raise', maxTotalTokens: 5000 }]), 'budget', 'ana')).toEqual({
      action: 'raise',
      raise: { maxTotalTokens: 5000 },
      by: 'ana',
    });
    expect(answerOf(message('', [{ action: 'stop' }]), 'budget', 'ana')).toEqual({ action: 'stop', by: 'ana' });
    expect(answerOf(message('stop'), 'budget', 'ana')).toEqual({ action: 'stop', by: 'ana' });
    expect(answerOf(message('raise to 5000'), 'budget', 'ana')).toMatchObject({ action: 'raise', raise: { maxTotalTokens: 5000 } });
    expect(answerOf(message('$0.50'), 'budget', 'ana')).toMatchObject({ action: 'raise', raise: { maxCostUsd: 0.5 } });
  });

  it('refuses a raise of nothing, and words it cannot read, saying how to answer', () => {
    expect(() => answerOf(message('', [{ action: 'raise' }]), 'budget', 'ana')).toThrow(
      'the decision data part raises nothing: give "maxTotalTokens" and/or "maxCostUsd", the new limits',
    );
    expect(() => answerOf(message('more please'), 'budget', 'ana')).toThrow(/waits for a budget decision: send a data part/);
  });

  it('shows the request with what it takes, its figures and how to answer', () => {
    const status = statusJson({
      runId: 'r',
      contextId: 'c',
      team: 't',
      status: 'input-required',
      updatedAt: 0,
      messages: [],
      stopReason: null,
      error: null,
      pendingInput: {
        requestId: 'req-1',
        kind: 'budget',
        prompt:
          'budget: maxTotalTokens 400 would be exceeded (300 spent, next call needs ~150). Raise the limit to go on, or stop the run.',
        budget: { maxTotalTokens: 400, maxCostUsd: null, spentTokens: 300, spentUsd: 0, needsTokens: 150, needsUsd: 0 },
      },
    });
    const [text, data] = status.message!.parts;
    expect((text as { text: string }).text).toMatch(/\nAnswer with a data part \{"action": "raise", "maxTotalTokens"/);
    expect((data as { data: unknown }).data).toMatchObject({ kind: 'budget', accepts: ['raise', 'stop'], budget: { spentTokens: 300 } });
  });

  it('refuses a bad metadata.durableTeams.budget naming the field', () => {
    const t = team('t').roundRobin().model({ model: 'm' }).agent('a', { description: 'd' }).terminateWhen(maxMessages(2)).build();
    expect(budgetedTeamOf({ durableTeams: { budget: { maxTotalTokens: 300 } } }, t).budget).toEqual({
      maxTotalTokens: 300,
      onExceed: 'stop',
    });
    expect(() => budgetedTeamOf({ durableTeams: { budget: { onExceed: 'later', maxTotalTokens: 3 } } }, t)).toThrow(
      'metadata.durableTeams.budget.onExceed: expected "stop" or "ask"',
    );
    expect(() => budgetedTeamOf({ durableTeams: { budget: { maxCostUsd: 1 } } }, t)).toThrow(
      /^metadata\.durableTeams\.budget: no price for model "m"/,
    );
    expect(budgetedTeamOf(undefined, t)).toBe(t);
  });
});
