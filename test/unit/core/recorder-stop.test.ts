import { allOf, anyOf, external, maxMessages, timeout } from '../../../src/spec';
import { newRun, reply, roundRobinTeam, types } from './core-helpers';

describe('RunRecorder.requestStop with `external` in the conditions', () => {
  it("stops at the next check, not at once, with the request's reason", () => {
    const { recorder, state } = newRun(roundRobinTeam({ termination: anyOf(external(), maxMessages(100)) }));
    recorder.begin('task');
    recorder.requestStop('the user pressed stop');
    expect(state.stop).toBeNull();
    expect(state.externalStop).toEqual({ reason: 'the user pressed stop', at: expect.any(Number) });
    recorder.recordReply('writer', reply('draft'));
    expect(state.stop).toEqual({ reason: 'stopped on request: the user pressed stop', conditions: ['external'] });
  });

  it('is one condition among others: inside all, the run waits for the rest', () => {
    const { recorder, state } = newRun(roundRobinTeam({ termination: allOf(external(), maxMessages(3)) }));
    recorder.begin('task');
    recorder.requestStop('enough');
    recorder.recordReply('writer', reply('one'));
    expect(state.stop).toBeNull();
    recorder.recordReply('critic', reply('two'));
    expect(state.stop).toEqual({
      reason: 'stopped on request: enough; maximum of 3 messages reached',
      conditions: ['external', 'max_messages'],
    });
  });
});

describe('RunRecorder.requestStop without `external` in the conditions', () => {
  it('still stops the run at the next check', () => {
    const { recorder, state } = newRun(roundRobinTeam({ termination: maxMessages(100) }));
    recorder.begin('task');
    recorder.requestStop('enough');
    expect(state.stop).toBeNull();
    recorder.recordReply('writer', reply('draft'));
    expect(state.stop).toEqual({ reason: 'stopped on request: enough', conditions: ['external'] });
  });

  it('stops a team that has only maxTurns', () => {
    const { recorder, state } = newRun(roundRobinTeam({ maxTurns: 50 }));
    recorder.begin('task');
    recorder.requestStop('enough');
    recorder.recordReply('writer', reply('draft'));
    expect(state.stop?.conditions).toEqual(['external']);
  });

  it('keeps the first request and ignores requests to a finished run', () => {
    const { recorder, state } = newRun(roundRobinTeam());
    recorder.requestStop('first');
    recorder.requestStop('second');
    expect(state.externalStop?.reason).toBe('first');

    const finished = newRun(roundRobinTeam());
    finished.recorder.cancel();
    finished.recorder.requestStop('late');
    expect(finished.state.externalStop).toBeNull();
  });
});

describe('RunRecorder.tick: a timer fired', () => {
  it('stops the run once the timeout has passed in workflow time', () => {
    const { recorder, state, clock } = newRun(roundRobinTeam({ termination: anyOf(timeout('1m'), maxMessages(3)) }));
    recorder.begin('task');
    clock.advance(59_000);
    expect(recorder.tick()).toBe(false);
    expect(state.stop).toBeNull();
    clock.advance(1_000);
    expect(recorder.tick()).toBe(true);
    expect(state.stop).toEqual({ reason: 'timeout of 1m reached', conditions: ['timeout'] });
    expect(recorder.tick()).toBe(false);
  });

  it('counts no messages, so message counters stay right', () => {
    const { recorder, state } = newRun(roundRobinTeam({ termination: anyOf(timeout('1h'), maxMessages(3)) }));
    recorder.begin('task');
    recorder.tick();
    recorder.tick();
    recorder.recordReply('writer', reply('one'));
    expect(state.stop).toBeNull();
    recorder.recordReply('critic', reply('two'));
    expect(state.stop?.reason).toBe('maximum of 3 messages reached');
  });

  it('does nothing for a finished run', () => {
    const { recorder, clock } = newRun(roundRobinTeam({ termination: timeout('1s') }));
    recorder.complete();
    clock.advance(5_000);
    expect(recorder.tick()).toBe(false);
  });
});

describe('RunRecorder.complete / fail / cancel', () => {
  it('complete: status_changed then run_finished with the stop note', () => {
    const { recorder, state } = newRun(roundRobinTeam({ maxTurns: 1 }));
    recorder.begin('task');
    recorder.startTurn({ speaker: 'writer', by: 'round_robin', attempts: 0 });
    recorder.recordReply('writer', reply('draft'));
    recorder.complete();
    expect(state.status).toBe('completed');
    expect(state.events.slice(-2)).toEqual([
      expect.objectContaining({ type: 'status_changed', status: 'completed', previous: 'working' }),
      expect.objectContaining({ type: 'run_finished', status: 'completed', stop: state.stop, error: null }),
    ]);
    expect(state.stop?.reason).toBe('maximum of 1 turns reached');
  });

  it('fail: records the error and finishes with its message, without a stop note', () => {
    const { recorder, state } = newRun(roundRobinTeam());
    recorder.begin('task');
    recorder.fail({ message: 'model refused the key', type: 'ModelInvocationError.Unauthorized' });
    expect(state.status).toBe('failed');
    expect(state.error).toEqual({ message: 'model refused the key', type: 'ModelInvocationError.Unauthorized' });
    expect(state.events.at(-1)).toMatchObject({ type: 'run_finished', status: 'failed', stop: null, error: 'model refused the key' });
  });

  it('cancel: finishes canceled from submitted', () => {
    const { recorder, state } = newRun(roundRobinTeam());
    recorder.begin('task');
    recorder.cancel();
    expect(types(state.events)).toEqual(['run_started', 'status_changed', 'run_finished']);
    expect(state.events[1]).toMatchObject({ status: 'canceled', previous: 'submitted' });
    expect(state.events[2]).toMatchObject({ status: 'canceled', stop: null, error: null });
  });

  it('changes nothing once the run is terminal', () => {
    const { recorder, state } = newRun(roundRobinTeam());
    recorder.begin('task');
    recorder.complete();
    const before = structuredClone(state);
    recorder.complete();
    recorder.cancel();
    recorder.fail({ message: 'late failure', type: null });
    expect(state).toEqual(before);
  });

  it('stamps every event with the clock and keeps updatedAt at the newest', () => {
    const { recorder, state, clock } = newRun(roundRobinTeam());
    recorder.begin('task');
    clock.advance(250);
    recorder.cancel();
    expect(state.events.map((e) => e.at)).toEqual([clock.now - 250, clock.now, clock.now]);
    expect(state.updatedAt).toBe(clock.now);
  });
});
