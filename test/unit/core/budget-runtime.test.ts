import {
  runTeamLoop,
  withBudget,
  type AgentTurnRequest,
  type BudgetedRuntime,
  type ModelReply,
  type OverBudget,
  type PendingInput,
} from '../../../src/core';
import type { TeamSpec } from '../../../src/spec';
import { reply, startedRun } from './core-helpers';

/**
 * The budget around the team loop with a runtime of plain functions (the activities' side is in
 * test/budget): each model call of a tool loop carries what is left and its use is counted.
 */
const toolTeam = (budget: TeamSpec['budget']): TeamSpec => ({
  name: 'tools',
  pattern: 'round_robin',
  model: { model: 'gpt-4o-mini', maxTokens: 100 },
  agents: [{ name: 'worker', description: 'Uses a tool', tools: ['lookup'], maxToolIterations: 2 }],
  maxTurns: 1,
  budget,
});

const used = { promptTokens: 100, completionTokens: 50 };
const callsLookup: ModelReply = {
  ...reply('', used),
  toolCalls: [{ id: 'c1', name: 'lookup', arguments: '{}', route: { kind: 'function' } }],
};

function runtimeOf(answers: (ModelReply | OverBudget)[], humanAnswers: object[] = []) {
  const requests: AgentTurnRequest[] = [];
  const asked: PendingInput[] = [];
  const runtime: BudgetedRuntime = {
    agentTurn: async (request) => {
      requests.push(structuredClone(request));
      return answers.shift()!;
    },
    selectSpeaker: () => Promise.reject(new Error('no selector here')),
    toolCall: async () => ({ v: 1, content: 'found it', isError: false }),
    waitForHuman: async (request) => {
      asked.push(structuredClone(request));
      return { requestId: request.requestId, ...(humanAnswers.shift() as { action: 'stop' }) };
    },
  };
  return { runtime, requests, asked };
}

describe('withBudget around the team loop', () => {
  it('checks each call of a tool loop against what is left, priced by the model', async () => {
    const team = toolTeam({ maxTotalTokens: 1_000, maxCostUsd: 1, onExceed: 'stop' });
    const { recorder, state } = startedRun(team);
    const { runtime, requests } = runtimeOf([callsLookup, reply('done', used)]);
    await runTeamLoop(team, recorder, withBudget(team, recorder, runtime));
    expect(requests.map((r) => r.budget)).toEqual([
      { tokensLeft: 1_000, usdLeft: 1, price: { input: 0.15, output: 0.6 } },
      { tokensLeft: 850, usdLeft: 1 - 0.000045, price: { input: 0.15, output: 0.6 } },
    ]);
    expect(state.budget).toMatchObject({ spentTokens: 300 });
    expect(state.status).toBe('completed');
  });

  it('a refused call mid-loop stops the run with the budget as its reason; a team without a budget sends none', async () => {
    const team = toolTeam({ maxTotalTokens: 200, onExceed: 'stop' });
    const { recorder, state } = startedRun(team);
    const over: OverBudget = { v: 1, overBudget: true, needsTokens: 160, needsUsd: 0, promptTokens: 60 };
    await runTeamLoop(team, recorder, withBudget(team, recorder, runtimeOf([callsLookup, over]).runtime));
    expect(state.stop).toEqual({
      reason: 'budget: maxTotalTokens 200 would be exceeded (150 spent, next call needs ~160)',
      conditions: ['budget'],
    });

    const plain = toolTeam(undefined);
    const bare = startedRun(plain);
    const { runtime, requests } = runtimeOf([callsLookup, reply('done', used)]);
    await runTeamLoop(plain, bare.recorder, withBudget(plain, bare.recorder, runtime));
    expect(requests.every((r) => r.budget === undefined)).toBe(true);
    expect(bare.state.budget).toBeUndefined();
  });

  it('ask: the person is asked with the figures; a raise checks the same call again', async () => {
    const team = toolTeam({ maxTotalTokens: 200, onExceed: 'ask' });
    const { recorder, state } = startedRun(team);
    const over: OverBudget = { v: 1, overBudget: true, needsTokens: 160, needsUsd: 0, promptTokens: 60 };
    const { runtime, requests, asked } = runtimeOf(
      [callsLookup, over, reply('done', used)],
      [{ action: 'raise', raise: { maxTotalTokens: 500 } }],
    );
    await runTeamLoop(team, recorder, withBudget(team, recorder, runtime));
    expect(asked[0]).toMatchObject({ kind: 'budget', budget: { maxTotalTokens: 200, spentTokens: 150, needsTokens: 160 } });
    expect(requests.map((r) => r.budget?.tokensLeft)).toEqual([200, 50, 350]);
    expect(state.status).toBe('completed');
    expect(state.budget).toMatchObject({ maxTotalTokens: 500, spentTokens: 300 });
  });
});
