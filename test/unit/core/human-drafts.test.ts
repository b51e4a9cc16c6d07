import { approvalDraft, deadlineAnswer, handoffDraft, humanTurnDraft, needsFinalApproval } from '../../../src/core';
import type { HumanTimeoutSpec } from '../../../src/spec';
import { message, newRun, reply, roundRobinTeam } from './core-helpers';
import { approvalRequest, EDITOR, pendingInput } from './human-helpers';

describe('humanTurnDraft', () => {
  it('asks the person by name, with a default prompt and no deadline', () => {
    expect(humanTurnDraft(EDITOR)).toEqual({
      kind: 'input',
      reason: 'human_turn',
      from: 'team',
      to: 'editor',
      prompt: 'editor, it is your turn: reply to the team.',
      timeout: undefined,
    });
  });

  it("uses the agent's own prompt and timeout", () => {
    const timeout: HumanTimeoutSpec = { after: '1h', action: 'reject' };
    expect(humanTurnDraft({ ...EDITOR, prompt: 'Edit the draft.', timeout })).toMatchObject({ prompt: 'Edit the draft.', timeout });
  });
});

describe('handoffDraft', () => {
  const team = roundRobinTeam({ handoff: { phrase: 'ASK_HUMAN' } });

  it('asks "user" with the agent\'s message, the phrase removed', () => {
    expect(handoffDraft(team, message('writer', 'Which tone do you want? ASK_HUMAN'))).toEqual({
      kind: 'input',
      reason: 'handoff',
      from: 'writer',
      to: 'user',
      prompt: 'Which tone do you want?',
      timeout: undefined,
    });
  });

  it('removes every occurrence of the phrase, wherever it stands', () => {
    expect(handoffDraft(team, message('writer', 'ASK_HUMAN Formal or playful? ASK_HUMAN'))?.prompt).toBe('Formal or playful?');
  });

  it('falls back to a sentence naming the agent when the message is only the phrase', () => {
    expect(handoffDraft(team, message('critic', '  ASK_HUMAN  '))?.prompt).toBe('critic hands the conversation to you: reply to the team.');
  });

  it("asks the human agent named in `to`, with the handoff's timeout", () => {
    const timeout: HumanTimeoutSpec = { after: '30m', action: 'continue', message: 'Go on.' };
    const withTo = roundRobinTeam({ handoff: { phrase: 'ASK_HUMAN', to: 'editor', timeout } });
    expect(handoffDraft(withTo, message('writer', 'Help? ASK_HUMAN'))).toMatchObject({ to: 'editor', timeout });
  });

  it('is null when the team has no handoff or the message lacks the phrase', () => {
    expect(handoffDraft(roundRobinTeam(), message('writer', 'ASK_HUMAN'))).toBeNull();
    expect(handoffDraft(team, message('writer', 'ask_human, please'))).toBeNull();
  });
});

describe('approvalDraft', () => {
  const stop = { reason: '"APPROVED" mentioned by critic', conditions: ['text_mention' as const] };

  function stateWithLast(content: string) {
    const { recorder, state } = newRun(roundRobinTeam({ approval: {} }));
    recorder.begin('task');
    recorder.recordReply('critic', reply(content));
    return state;
  }

  it('before completion: names the stop reason and quotes the last message', () => {
    const team = roundRobinTeam({ approval: { timeout: { after: '2d', action: 'reject' } } });
    expect(approvalDraft(team, stateWithLast('APPROVED, nice work'), 'final_approval', stop)).toEqual({
      kind: 'approval',
      reason: 'final_approval',
      from: 'approval',
      to: 'user',
      prompt: 'The run is about to complete ("APPROVED" mentioned by critic). Last message, from critic: APPROVED, nice work',
      timeout: { after: '2d', action: 'reject' },
    });
  });

  it('shortens a long last message to 500 characters', () => {
    const long = `${'a'.repeat(500)}TAIL`;
    const { prompt } = approvalDraft(roundRobinTeam({ approval: {} }), stateWithLast(long), 'final_approval', stop);
    expect(prompt).toContain(`from critic: ${'a'.repeat(500)}...`);
    expect(prompt).not.toContain('TAIL');
  });

  it('at a gate: says approval is needed and why', () => {
    const gate = { reason: '"PLAN READY" mentioned by writer', conditions: ['text_mention' as const] };
    const draft = approvalDraft(roundRobinTeam({ approval: {} }), stateWithLast('the plan'), 'approval_gate', gate);
    expect(draft).toMatchObject({ kind: 'approval', reason: 'approval_gate' });
    expect(draft.prompt).toBe('Approval needed: "PLAN READY" mentioned by writer. Last message, from critic: the plan');
  });

  it("uses the approval's own prompt when it has one", () => {
    const team = roundRobinTeam({ approval: { prompt: 'Publish it?' } });
    expect(approvalDraft(team, stateWithLast('x'), 'final_approval', stop).prompt).toBe('Publish it?');
  });
});

describe('needsFinalApproval', () => {
  function stateStoppedBy(conditions: ('text_mention' | 'external' | 'max_turns')[] | null) {
    const { state } = newRun(roundRobinTeam());
    state.stop = conditions ? { reason: 'stopped', conditions } : null;
    return state;
  }

  it('is true when the team wants approval and a condition stopped the run', () => {
    expect(needsFinalApproval(roundRobinTeam({ approval: {} }), stateStoppedBy(['text_mention']))).toBe(true);
    expect(needsFinalApproval(roundRobinTeam({ approval: { beforeCompletion: true } }), stateStoppedBy(['max_turns']))).toBe(true);
  });

  it('is false for a stop a person asked for, alone or with another condition', () => {
    expect(needsFinalApproval(roundRobinTeam({ approval: {} }), stateStoppedBy(['external']))).toBe(false);
    expect(needsFinalApproval(roundRobinTeam({ approval: {} }), stateStoppedBy(['text_mention', 'external']))).toBe(false);
  });

  it('is false with beforeCompletion: false, without approval, and before any stop', () => {
    const gateOnly = roundRobinTeam({ approval: { beforeCompletion: false, when: { type: 'text_mention', text: 'PLAN' } } });
    expect(needsFinalApproval(gateOnly, stateStoppedBy(['text_mention']))).toBe(false);
    expect(needsFinalApproval(roundRobinTeam(), stateStoppedBy(['text_mention']))).toBe(false);
    expect(needsFinalApproval(roundRobinTeam({ approval: {} }), stateStoppedBy(null))).toBe(false);
  });
});

describe('deadlineAnswer: what the deadline answers for a person who did not', () => {
  const input = pendingInput({ requestId: 'req-4' });
  const approval = approvalRequest({ requestId: 'req-4' });

  it('continue on an input request: the message, as input', () => {
    expect(deadlineAnswer(input, { after: '1h', action: 'continue', message: 'No comments.' })).toEqual({
      requestId: 'req-4',
      by: 'deadline',
      action: 'input',
      text: 'No comments.',
    });
  });

  it('continue on an approval: the message, as a request for changes', () => {
    expect(deadlineAnswer(approval, { after: '1h', action: 'continue', message: 'Tighten it.' })).toEqual({
      requestId: 'req-4',
      by: 'deadline',
      action: 'request_changes',
      text: 'Tighten it.',
    });
  });

  it('approve on an approval: approves, with no comment', () => {
    expect(deadlineAnswer(approval, { after: '2d', action: 'approve' })).toEqual({ requestId: 'req-4', by: 'deadline', action: 'approve' });
  });

  it.each([
    ['an input request', input, '30m', 'no answer within 30m'],
    ['an approval', approval, '2d', 'no answer within 2d'],
    ['an approval, after a number of ms', approval, 90_000, 'no answer within 1m30s'],
  ] as const)('reject on %s: names how long it waited', (_, request, after, text) => {
    expect(deadlineAnswer(request, { after, action: 'reject' })).toEqual({ requestId: 'req-4', by: 'deadline', action: 'reject', text });
  });

  it('rejects when no timeout is known', () => {
    expect(deadlineAnswer(input, undefined)).toEqual({
      requestId: 'req-4',
      by: 'deadline',
      action: 'reject',
      text: 'no answer within its deadline',
    });
  });
});
