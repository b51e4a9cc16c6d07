import { agentTurnRequest, applyModelContext, createRunState, RunRecorder, type ConversationEntry } from '../../../src/core';
import type { LlmAgentSpec, TeamSpec } from '../../../src/spec';
import { reply, viewOf } from './core-helpers';

const entries = (n: number): ConversationEntry[] =>
  Array.from({ length: n }, (_, i) => ({ source: i % 2 ? 'writer' : 'critic', content: `message ${i}` }));
const contents = (view: ConversationEntry[]) => view.map((e) => e.content);

describe('model contexts: what part of the conversation a model call sees', () => {
  it('unbounded (and unset) pass everything', () => {
    expect(applyModelContext(undefined, entries(5))).toHaveLength(5);
    expect(applyModelContext({ type: 'unbounded' }, entries(5))).toHaveLength(5);
  });

  it('buffered keeps the newest `size`', () => {
    expect(contents(applyModelContext({ type: 'buffered', size: 2 }, entries(5)))).toEqual(['message 3', 'message 4']);
  });

  it('head_and_tail keeps the first `head` and the newest `tail`, each message once', () => {
    expect(contents(applyModelContext({ type: 'head_and_tail', head: 1, tail: 2 }, entries(6)))).toEqual([
      'message 0',
      'message 4',
      'message 5',
    ]);
    expect(applyModelContext({ type: 'head_and_tail', head: 3, tail: 3 }, entries(5))).toHaveLength(5);
  });

  it('token_limited keeps the newest messages that fit, at four characters a token', () => {
    // "message N" is 9 characters: 3 tokens each (with the empty tool JSON, 11 characters).
    expect(contents(applyModelContext({ type: 'token_limited', maxTokens: 7 }, entries(5)))).toEqual(['message 3', 'message 4']);
    expect(applyModelContext({ type: 'token_limited', maxTokens: 1 }, entries(5))).toEqual([]);
  });

  it("is applied to the agent's turn request, from the agent's own view", () => {
    const agent: LlmAgentSpec = { name: 'writer', description: 'Writes', context: { type: 'buffered', size: 2 } };
    const team: TeamSpec = {
      name: 't',
      pattern: 'round_robin',
      model: { model: 'm' },
      agents: [agent, { name: 'critic', description: 'Critiques' }],
      maxTurns: 9,
    };
    const state = createRunState({ runId: 'r', team, task: 'the task', now: 0 });
    const run = new RunRecorder(team, state, () => 0);
    run.begin('the task');
    for (const [speaker, text] of [
      ['writer', 'draft'],
      ['critic', 'no'],
      ['writer', 'draft 2'],
      ['critic', 'better'],
    ]) {
      run.startTurn({ speaker: speaker!, by: 'round_robin', attempts: 0 });
      run.recordReply(speaker!, reply(text!));
    }
    expect(viewOf(agentTurnRequest(team, state, agent))).toEqual([
      { source: 'writer', content: 'draft 2' },
      { source: 'critic', content: 'better' },
    ]);
  });
});
