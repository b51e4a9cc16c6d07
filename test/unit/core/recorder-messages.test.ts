import { maxMessages, stopMessage, textMention } from '../../../src/spec';
import { newRun, reply, roundRobinTeam, types } from './core-helpers';

describe('RunRecorder.begin: opens the run and checks termination on the task', () => {
  it('emits run_started as event 1 and leaves the run submitted', () => {
    const { recorder, state, seen, clock } = newRun(roundRobinTeam(), 'Write a haiku');
    recorder.begin('Write a haiku');
    expect(state.events).toEqual([{ type: 'run_started', team: 'review', task: 'Write a haiku', seq: 1, at: clock.now }]);
    expect(seen).toEqual(state.events);
    expect(state.status).toBe('submitted');
    expect(state.stop).toBeNull();
    expect(state.checkedMessages).toBe(1);
  });

  it('stops before any turn when the task itself meets the condition', () => {
    const { recorder, state } = newRun(roundRobinTeam({ termination: textMention('haiku') }), 'Write a haiku');
    recorder.begin('Write a haiku');
    expect(state.stop).toEqual({ reason: '"haiku" mentioned by user', conditions: ['text_mention'] });
  });

  it('counts the task towards max_messages', () => {
    const { recorder, state } = newRun(roundRobinTeam({ termination: maxMessages(2) }));
    recorder.begin('task');
    expect(state.stop).toBeNull();
    recorder.recordReply('writer', reply('draft'));
    expect(state.stop?.reason).toBe('maximum of 2 messages reached');
  });
});

describe('RunRecorder.recordReply: appends the message and checks termination', () => {
  it('numbers the message, its turn and its source, and keeps its usage and model', () => {
    const { recorder, state, clock } = newRun(roundRobinTeam());
    recorder.begin('task');
    clock.advance(1_500);
    const first = recorder.recordReply('writer', reply('draft', { promptTokens: 10, completionTokens: 5 }, 'gpt-x'));
    expect(first).toEqual({
      index: 1,
      source: 'writer',
      content: 'draft',
      kind: 'text',
      turn: 0,
      usage: { promptTokens: 10, completionTokens: 5 },
      model: 'gpt-x',
      at: clock.now,
    });
    const second = recorder.recordReply('critic', reply('notes', { promptTokens: 20, completionTokens: 1 }));
    expect([second.index, second.turn, second.source]).toEqual([2, 1, 'critic']);
    expect(state.messages).toEqual([expect.objectContaining({ index: 0, source: 'user' }), first, second]);
    expect(state.messageCount).toBe(3);
    expect(state.turn).toBe(2);
    expect(state.lastSpeaker).toBe('critic');
    expect(state.usage).toEqual({ promptTokens: 30, completionTokens: 6 });
  });

  it('leaves usage out of a message whose reply had none', () => {
    const { recorder, state } = newRun(roundRobinTeam());
    recorder.begin('task');
    const m = recorder.recordReply('writer', reply('draft', null));
    expect('usage' in m).toBe(false);
    expect(state.usage).toEqual({ promptTokens: 0, completionTokens: 0 });
  });

  it('emits a message event per reply, numbered on from the events before it', () => {
    const { recorder, state, seen } = newRun(roundRobinTeam());
    recorder.begin('task');
    recorder.startTurn({ speaker: 'writer', by: 'round_robin', attempts: 0 });
    const m = recorder.recordReply('writer', reply('draft'));
    recorder.startTurn({ speaker: 'critic', by: 'round_robin', attempts: 0 });
    recorder.recordReply('critic', reply('notes'));
    expect(types(state.events)).toEqual(['run_started', 'status_changed', 'turn_started', 'message', 'turn_started', 'message']);
    expect(state.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(state.nextEventSeq).toBe(7);
    expect(state.events[3]).toMatchObject({ type: 'message', message: m });
    expect(state.events[2]).toMatchObject({ type: 'turn_started', turn: 0, speaker: 'writer' });
    expect(state.events[4]).toMatchObject({ type: 'turn_started', turn: 1, speaker: 'critic' });
    expect(seen).toEqual(state.events);
  });

  it('moves submitted to working once, on the first turn', () => {
    const { recorder, state } = newRun(roundRobinTeam());
    recorder.begin('task');
    recorder.startTurn({ speaker: 'writer', by: 'round_robin', attempts: 0 });
    recorder.markWorking();
    expect(state.status).toBe('working');
    expect(state.events.filter((e) => e.type === 'status_changed')).toEqual([
      expect.objectContaining({ status: 'working', previous: 'submitted' }),
    ]);
  });

  it('stops after maxTurns replies, not before', () => {
    const { recorder, state } = newRun(roundRobinTeam({ maxTurns: 2 }));
    recorder.begin('task');
    recorder.recordReply('writer', reply('one'));
    expect(state.stop).toBeNull();
    recorder.recordReply('critic', reply('two'));
    expect(state.stop).toEqual({ reason: 'maximum of 2 turns reached', conditions: ['max_turns'] });
  });

  it('gives a termination condition precedence over maxTurns in the same reply', () => {
    const { recorder, state } = newRun(roundRobinTeam({ maxTurns: 1, termination: textMention('DONE') }));
    recorder.begin('task');
    recorder.recordReply('writer', reply('DONE'));
    expect(state.stop?.conditions).toEqual(['text_mention']);
  });

  it('does not replace the first stop reason with a later one', () => {
    const { recorder, state } = newRun(roundRobinTeam({ termination: textMention('DONE') }));
    recorder.begin('task');
    recorder.recordReply('writer', reply('DONE'));
    recorder.recordReply('critic', reply('DONE as well'));
    expect(state.stop?.reason).toBe('"DONE" mentioned by writer');
  });
});

describe('RunRecorder.recordReply: stop signals', () => {
  it("turns a reply ending with the agent's stopSignal into a stop message without the signal", () => {
    const { recorder, state } = newRun(roundRobinTeam({ termination: stopMessage() }));
    recorder.begin('task');
    const m = recorder.recordReply('critic', reply('Looks good to me. TERMINATE \n'));
    expect(m).toMatchObject({ kind: 'stop', content: 'Looks good to me.' });
    expect(state.stop).toEqual({ reason: 'stop message from critic', conditions: ['stop_message'] });
  });

  it('leaves a reply alone when the signal is not at its end', () => {
    const { recorder, state } = newRun(roundRobinTeam({ termination: stopMessage() }));
    recorder.begin('task');
    const m = recorder.recordReply('critic', reply('TERMINATE is what I will say later.'));
    expect(m).toMatchObject({ kind: 'text', content: 'TERMINATE is what I will say later.' });
    expect(state.stop).toBeNull();
  });

  it('ignores the signal from an agent that has none', () => {
    const { recorder, state } = newRun(roundRobinTeam({ termination: stopMessage() }));
    recorder.begin('task');
    expect(recorder.recordReply('writer', reply('TERMINATE')).kind).toBe('text');
    expect(state.stop).toBeNull();
  });
});

describe('RunRecorder.recordSelectorUsage', () => {
  it("adds to the selector's tokens, not the agents'", () => {
    const { recorder, state } = newRun(roundRobinTeam());
    recorder.recordSelectorUsage({ promptTokens: 7, completionTokens: 1 });
    recorder.recordSelectorUsage(null);
    recorder.recordSelectorUsage({ promptTokens: 3, completionTokens: 1 });
    expect(state.selectorUsage).toEqual({ promptTokens: 10, completionTokens: 2 });
    expect(state.usage).toEqual({ promptTokens: 0, completionTokens: 0 });
  });
});
