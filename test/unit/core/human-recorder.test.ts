import { approvalDraft, handoffDraft, humanTurnDraft, type PendingInput } from '../../../src/core';
import { textMention } from '../../../src/spec';
import { reply, startedRun, types } from './core-helpers';
import { answer, EDITOR, humanTeam, inputDraft, transcript } from './human-helpers';

describe('RunRecorder.requestInput', () => {
  it('numbers the request, dates it, sets the deadline and waits input-required', () => {
    const { recorder, state, clock } = startedRun(humanTeam());
    clock.advance(5_000);
    const request = recorder.requestInput(inputDraft({ timeout: { after: '5m', action: 'reject' } }));
    expect(request).toEqual({
      requestId: 'req-1',
      kind: 'input',
      reason: 'human_turn',
      from: 'team',
      to: 'editor',
      prompt: 'editor, it is your turn: reply to the team.',
      since: clock.now,
      deadline: clock.now + 300_000,
      answered: false,
    });
    expect(state.pendingInput).toEqual(request);
    expect(state.status).toBe('input-required');
    expect(state.events.slice(-2)).toEqual([
      expect.objectContaining({ type: 'status_changed', status: 'input-required', previous: 'submitted' }),
      expect.objectContaining({ type: 'input_requested', request }),
    ]);
  });

  it('counts requests across the run: req-1, req-2, ...; no timeout means no deadline', () => {
    const { recorder } = startedRun(humanTeam());
    const first = recorder.requestInput(inputDraft());
    expect(first.deadline).toBeNull();
    recorder.applyAnswer(first, answer(first, { action: 'input', text: 'one' }), false);
    const second = recorder.requestInput(inputDraft());
    recorder.withdrawInput('stopping');
    const third = recorder.requestInput(inputDraft());
    expect([first, second, third].map((r) => r.requestId)).toEqual(['req-1', 'req-2', 'req-3']);
  });
});

describe('RunRecorder.applyAnswer: input', () => {
  it("on a human turn: the trimmed text is that turn's message; turn and speaker move on", () => {
    const { recorder, state, clock } = startedRun(humanTeam());
    recorder.startTurn({ speaker: 'editor', by: 'round_robin', attempts: 0 });
    const request = recorder.requestInput(humanTurnDraft(EDITOR));
    clock.advance(1_000);
    recorder.applyAnswer(request, answer(request, { action: 'input', text: '  Tighten the intro.\n', by: 'ann' }), false);
    expect(state.messages.at(-1)).toEqual({
      index: 1,
      source: 'editor',
      content: 'Tighten the intro.',
      kind: 'text',
      turn: 0,
      at: clock.now,
    });
    expect(state).toMatchObject({ turn: 1, lastSpeaker: 'editor', pendingInput: null, status: 'working' });
    expect(types(state.events).slice(-3)).toEqual(['input_received', 'message', 'status_changed']);
    expect(state.events.at(-3)).toMatchObject({ requestId: 'req-1', action: 'input', by: 'ann', timedOut: false });
  });

  it("on a human turn: counts towards maxTurns and termination like an agent's reply", () => {
    const { recorder, state } = startedRun(humanTeam({ maxTurns: 1, termination: textMention('done') }));
    const request = recorder.requestInput(humanTurnDraft(EDITOR));
    recorder.applyAnswer(request, answer(request, { action: 'input', text: 'all done' }), false);
    expect(state.stop).toEqual({ reason: '"done" mentioned by editor', conditions: ['text_mention'] });
  });

  it('on a handoff: a message from the person that is no turn; the speaker order stays', () => {
    const team = humanTeam({ handoff: { phrase: 'ASK_HUMAN' } });
    const { recorder, state } = startedRun(team);
    const asked = recorder.recordReply('writer', reply('Which tone? ASK_HUMAN'));
    const request = recorder.requestInput(handoffDraft(team, asked)!);
    recorder.applyAnswer(request, answer(request, { action: 'input', text: 'Playful.' }), true);
    expect(transcript(state)).toEqual([
      ['writer', 'Which tone? ASK_HUMAN', 0],
      ['user', 'Playful.', null],
    ]);
    expect(state).toMatchObject({ turn: 1, lastSpeaker: 'writer', messageCount: 3 });
    expect(state.events.find((e) => e.type === 'input_received')).toMatchObject({ by: null, timedOut: true });
  });
});

describe('RunRecorder.applyAnswer: decisions', () => {
  /** A run stopped by "APPROVED" and waiting on its final approval. */
  function awaitingFinalApproval() {
    const team = humanTeam({ approval: {}, termination: textMention('APPROVED') });
    const run = startedRun(team);
    run.recorder.recordReply('critic', reply('APPROVED'));
    const request = run.recorder.requestInput(approvalDraft(team, run.state, 'final_approval', run.state.stop!));
    return { ...run, request };
  }

  it('request_changes on the final approval sets the stop aside and adds the comment', () => {
    const { recorder, state, request } = awaitingFinalApproval();
    recorder.applyAnswer(request, answer(request, { action: 'request_changes', text: 'Add a title.' }), false);
    expect(state.stop).toBeNull();
    expect(transcript(state).at(-1)).toEqual(['user', 'Add a title.', null]);
    expect(state).toMatchObject({ status: 'working', pendingInput: null, turn: 1 });
  });

  it('approve on the final approval completes the run, its comment the last message', () => {
    const { recorder, state, request } = awaitingFinalApproval();
    const stop = state.stop;
    recorder.applyAnswer(request, answer(request, { action: 'approve', text: ' ship it ', by: 'bob' }), false);
    expect(transcript(state).at(-1)).toEqual(['user', 'ship it', null]);
    expect(types(state.events).slice(-4)).toEqual(['input_received', 'message', 'status_changed', 'run_finished']);
    expect(state.events.at(-1)).toMatchObject({ status: 'completed', stop, rejection: null });
    expect(state).toMatchObject({ status: 'completed', pendingInput: null, stop });
  });

  it('approve with no comment adds no message', () => {
    const { recorder, state, request } = awaitingFinalApproval();
    recorder.applyAnswer(request, answer(request, { action: 'approve' }), false);
    expect(state.messageCount).toBe(2);
    expect(state.status).toBe('completed');
  });

  it('approve at a gate lets the run go on', () => {
    const { recorder, state } = startedRun(humanTeam({ approval: { when: textMention('PLAN') } }));
    const request = recorder.requestInput({ ...inputDraft(), kind: 'approval', reason: 'approval_gate', to: 'user' });
    recorder.applyAnswer(request, answer(request, { action: 'approve', text: 'ok' }), false);
    expect(state.status).toBe('working');
    expect(transcript(state)).toEqual([['user', 'ok', null]]);
  });

  it('reject ends the run rejected, with the reason and who gave it', () => {
    const { recorder, state, request } = awaitingFinalApproval();
    recorder.applyAnswer(request, answer(request, { action: 'reject', text: 'off brand', by: 'bob' }), false);
    expect(state).toMatchObject({ status: 'rejected', rejection: { reason: 'off brand', by: 'bob' }, pendingInput: null });
    expect(types(state.events).slice(-3)).toEqual(['input_received', 'status_changed', 'run_finished']);
    expect(state.events.at(-1)).toMatchObject({
      status: 'rejected',
      stop: null,
      error: null,
      rejection: { reason: 'off brand', by: 'bob' },
    });
    expect(state.messageCount).toBe(2);
  });

  it('reject without a reason, on an input request, still rejects the run', () => {
    const { recorder, state } = startedRun(humanTeam());
    const request = recorder.requestInput(inputDraft());
    recorder.applyAnswer(request, answer(request, { action: 'reject' }), false);
    expect(state.rejection).toEqual({ reason: 'rejected without a reason', by: null });
    expect(state.status).toBe('rejected');
  });
});

describe('RunRecorder: withdrawing, refusing, finishing', () => {
  it('withdrawInput clears the request and says why; with nothing pending it does nothing', () => {
    const { recorder, state } = startedRun(humanTeam());
    const request = recorder.requestInput(inputDraft());
    recorder.withdrawInput('timeout of 1m reached');
    expect(state.pendingInput).toBeNull();
    expect(state.events.at(-1)).toMatchObject({ type: 'input_withdrawn', requestId: request.requestId, reason: 'timeout of 1m reached' });
    const seq = state.nextEventSeq;
    recorder.withdrawInput('again');
    expect(state.nextEventSeq).toBe(seq);
  });

  it('refuseAnswer records answer_refused and changes nothing else', () => {
    const { recorder, state } = startedRun(humanTeam());
    recorder.requestInput(inputDraft());
    const before = structuredClone(state);
    recorder.refuseAnswer('req-9', 'request "req-9" is not pending');
    expect(state.events.at(-1)).toMatchObject({ type: 'answer_refused', requestId: 'req-9', reason: 'request "req-9" is not pending' });
    expect({ ...state, events: state.events.slice(0, -1), nextEventSeq: state.nextEventSeq - 1 }).toEqual(before);
  });

  it.each([
    ['cancel', (r: { cancel(): void }) => r.cancel()],
    ['fail', (r: { fail(e: { message: string; type: null }): void }) => r.fail({ message: 'boom', type: null })],
    ['complete', (r: { complete(): void }) => r.complete()],
  ])('%s clears the pending request', (_, finish) => {
    const { recorder, state } = startedRun(humanTeam());
    const request: PendingInput = recorder.requestInput(inputDraft());
    expect(state.pendingInput).toEqual(request);
    finish(recorder);
    expect(state.pendingInput).toBeNull();
    expect(state.events.at(-1)).toMatchObject({ type: 'run_finished' });
  });
});
