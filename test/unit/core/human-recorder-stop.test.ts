import { approvalDraft, type InputReason, type StopNote } from '../../../src/core';
import { allOf, anyOf, external, maxMessages, textMention, type TeamSpec } from '../../../src/spec';
import { reply, startedRun } from './core-helpers';
import { humanTeam, inputDraft } from './human-helpers';

/** A run waiting on the editor's turn. */
function waitingOnEditor(team: TeamSpec) {
  const run = startedRun(team);
  run.recorder.requestInput(inputDraft());
  return run;
}

/** A run stopped by "APPROVED" and waiting on its final approval. */
function waitingOnFinalApproval(termination = textMention('APPROVED')) {
  const team = humanTeam({ approval: {}, termination });
  const run = startedRun(team);
  run.recorder.recordReply('critic', reply('APPROVED'));
  run.recorder.requestInput(approvalDraft(team, run.state, 'final_approval', run.state.stop!));
  return run;
}

describe('RunRecorder.checkStopRequest: a stop request while the run waits on a person', () => {
  it('does nothing when nobody asked to stop', () => {
    const { recorder, state } = waitingOnEditor(humanTeam());
    recorder.checkStopRequest();
    expect(state.stop).toBeNull();
    expect(recorder.mustStopWaiting()).toBe(false);
  });

  it('without `external` in the conditions: stops at once, so the wait ends', () => {
    const { recorder, state } = waitingOnEditor(humanTeam({ termination: maxMessages(50) }));
    recorder.requestStop('the user pressed stop');
    expect(recorder.mustStopWaiting()).toBe(false);
    recorder.checkStopRequest();
    expect(state.stop).toEqual({ reason: 'stopped on request: the user pressed stop', conditions: ['external'] });
    expect(recorder.mustStopWaiting()).toBe(true);
  });

  it('with `external` in an any: stops at once, by that condition', () => {
    const { recorder, state } = waitingOnEditor(humanTeam({ termination: anyOf(external(), maxMessages(50)) }));
    recorder.requestStop('enough');
    recorder.checkStopRequest();
    expect(state.stop).toEqual({ reason: 'stopped on request: enough', conditions: ['external'] });
  });

  it('with `external` inside an all: the wait goes on until the rest holds too', () => {
    const { recorder, state } = waitingOnEditor(humanTeam({ termination: allOf(external(), maxMessages(3)) }));
    recorder.requestStop('enough');
    recorder.checkStopRequest();
    expect(state.stop).toBeNull();
    expect(recorder.mustStopWaiting()).toBe(false);
    recorder.recordReply('writer', reply('one'));
    recorder.recordReply('critic', reply('two'));
    expect(state.stop?.conditions).toEqual(['external', 'max_messages']);
  });

  it('during the final approval: the stop becomes the request, which ends the wait', () => {
    const { recorder, state } = waitingOnFinalApproval();
    expect(recorder.mustStopWaiting()).toBe(false);
    recorder.requestStop('ship it as is');
    recorder.checkStopRequest();
    expect(state.stop).toEqual({ reason: 'stopped on request: ship it as is', conditions: ['external'] });
    expect(recorder.mustStopWaiting()).toBe(true);
  });
});

describe('RunRecorder.mustStopWaiting', () => {
  const conditionStop: StopNote = { reason: 'timeout of 1m reached', conditions: ['timeout'] };
  const requestedStop: StopNote = { reason: 'stopped on request: x', conditions: ['external'] };

  it.each<[string, StopNote | null, InputReason | null, boolean]>([
    ['no stop, nothing pending', null, null, false],
    ['no stop, a human turn', null, 'human_turn', false],
    ['no stop, the final approval', null, 'final_approval', false],
    ['a stop, nothing pending', conditionStop, null, true],
    ['a stop, a human turn', conditionStop, 'human_turn', true],
    ['a stop, a handoff', conditionStop, 'handoff', true],
    ['a stop, a gate', conditionStop, 'approval_gate', true],
    ['a stop, the final approval of that stop', conditionStop, 'final_approval', false],
    ['a requested stop, the final approval', requestedStop, 'final_approval', true],
  ])('%s -> %s', (_, stop, reason, expected) => {
    const { recorder, state } = startedRun(humanTeam());
    if (reason)
      recorder.requestInput(inputDraft({ reason, kind: reason.endsWith('approval') || reason === 'approval_gate' ? 'approval' : 'input' }));
    state.stop = stop;
    expect(recorder.mustStopWaiting()).toBe(expected);
  });
});

describe('RunRecorder.checkApprovalGate', () => {
  it('is null for a team with no `when`', () => {
    const { recorder, state } = startedRun(humanTeam({ approval: {} }));
    recorder.recordReply('writer', reply('PLAN READY'));
    expect(recorder.checkApprovalGate()).toBeNull();
    expect(state.approvalGate).toBeNull();
  });

  it('sees each message once: it holds on the message that meets it, not again later', () => {
    const { recorder, state } = startedRun(humanTeam({ approval: { when: textMention('PLAN READY', { sources: ['writer'] }) } }));
    recorder.recordReply('writer', reply('PLAN READY: outline'));
    expect(recorder.checkApprovalGate()).toEqual({ reason: '"PLAN READY" mentioned by writer', conditions: ['text_mention'] });
    expect(state.approvalChecked).toBe(2);
    expect(recorder.checkApprovalGate()).toBeNull();
    recorder.recordReply('critic', reply('looks good'));
    expect(recorder.checkApprovalGate()).toBeNull();
  });

  it("leaves the run's own stop and conditions alone", () => {
    const { recorder, state } = startedRun(humanTeam({ termination: maxMessages(10), approval: { when: textMention('PLAN') } }));
    recorder.recordReply('writer', reply('PLAN'));
    const termination = structuredClone(state.termination);
    expect(recorder.checkApprovalGate()).not.toBeNull();
    expect(state.stop).toBeNull();
    expect(state.termination).toEqual(termination);
  });

  it('latches the children of an all, like termination: it holds once each has held', () => {
    const when = allOf(textMention('PLAN', { sources: ['writer'] }), textMention('TESTS'));
    const { recorder } = startedRun(humanTeam({ approval: { when } }));
    recorder.recordReply('writer', reply('PLAN'));
    expect(recorder.checkApprovalGate()).toBeNull();
    recorder.recordReply('critic', reply('TESTS pass'));
    expect(recorder.checkApprovalGate()).toEqual({
      reason: '"PLAN" mentioned by writer; "TESTS" mentioned by critic',
      conditions: ['text_mention', 'text_mention'],
    });
  });

  it('starts afresh once it has held: an all asks again only when it holds again', () => {
    const when = allOf(textMention('PLAN'), textMention('TESTS'));
    const { recorder } = startedRun(humanTeam({ approval: { when } }));
    recorder.recordReply('writer', reply('PLAN and TESTS'));
    expect(recorder.checkApprovalGate()).not.toBeNull();
    recorder.recordReply('critic', reply('unrelated'));
    expect(recorder.checkApprovalGate()).toBeNull();
    recorder.recordReply('writer', reply('new PLAN'));
    expect(recorder.checkApprovalGate()).toBeNull();
    recorder.recordReply('critic', reply('TESTS again'));
    expect(recorder.checkApprovalGate()).not.toBeNull();
  });

  it('counts max_messages from the last time it held, the task not counted (gates look at what the team says)', () => {
    const { recorder } = startedRun(humanTeam({ approval: { when: maxMessages(2) } }));
    const held = ['one', 'two', 'three', 'four', 'five'].map((text) => {
      recorder.recordReply('writer', reply(text));
      return recorder.checkApprovalGate() !== null;
    });
    expect(held).toEqual([false, true, false, true, false]);
  });
});
