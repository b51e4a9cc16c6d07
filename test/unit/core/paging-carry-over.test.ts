import { carryOver, eventsAfter, transcriptPage } from '../../../src/core';
import { newRun, reply, roundRobinTeam } from './core-helpers';

/** A run with the task ("T" x taskChars) and one message per entry of `sizes` (that many characters). */
function runWithMessages(sizes: number[], taskChars = 10) {
  const run = newRun(roundRobinTeam({ maxTurns: 1000 }), 'T'.repeat(taskChars));
  run.recorder.begin('task');
  sizes.forEach((size, i) => run.recorder.recordReply('writer', reply(String(i % 10).repeat(size))));
  return run.state; // events: run_started + one message event per reply
}

describe('eventsAfter', () => {
  it('returns the events numbered above `after`, oldest first, and the newest number', () => {
    const state = runWithMessages([1, 1, 1, 1]);
    const page = eventsAfter(state, 2);
    expect(page.events.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(page.lastSeq).toBe(5);
    expect(page.gap).toBe(false);
  });

  it('returns at most `limit` events', () => {
    expect(eventsAfter(runWithMessages([1, 1, 1, 1]), 0, 2).events.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('returns nothing, and no gap, for a follower that is up to date or ahead', () => {
    const state = runWithMessages([1]);
    expect(eventsAfter(state, 2)).toEqual({ events: [], lastSeq: 2, gap: false });
    expect(eventsAfter(state, 9).events).toEqual([]);
  });

  it('has no gap on a run with no events yet', () => {
    const { state } = newRun(roundRobinTeam());
    expect(eventsAfter(state, 0)).toEqual({ events: [], lastSeq: 0, gap: false });
  });

  it('reports a gap when events after `after` were dropped by carryOver', () => {
    const carried = carryOver(runWithMessages([1, 1, 1, 1, 1, 1, 1, 1, 1]), { maxMessageChars: 1e6, maxEvents: 3 });
    // events 1..10 existed; 8, 9, 10 were kept
    expect(eventsAfter(carried, 0)).toMatchObject({ gap: true, lastSeq: 10 });
    expect(eventsAfter(carried, 6).gap).toBe(true);
    expect(eventsAfter(carried, 7)).toMatchObject({ gap: false });
    expect(eventsAfter(carried, 7).events.map((e) => e.seq)).toEqual([8, 9, 10]);
  });
});

describe('transcriptPage', () => {
  it('pages messages by index and gives the whole conversation\'s size', () => {
    const state = runWithMessages([1, 1, 1, 1]);
    const page = transcriptPage(state, 2, 2);
    expect(page.messages.map((m) => m.index)).toEqual([2, 3]);
    expect(page.total).toBe(5);
    expect(page.firstRetained).toBe(1);
    expect(transcriptPage(state).messages).toHaveLength(5);
  });

  it('tells where the kept messages begin after a carry-over dropped the oldest', () => {
    const carried = carryOver(runWithMessages([100, 100, 100, 100]), { maxMessageChars: 210, maxEvents: 10 });
    const page = transcriptPage(carried);
    expect(page.messages.map((m) => m.index)).toEqual([0, 3, 4]);
    expect(page).toMatchObject({ total: 5, firstRetained: 3 });
  });
});

describe('carryOver', () => {
  it('keeps the task and the newest messages that fit in the character budget', () => {
    const state = runWithMessages([100, 100, 100, 100]);
    expect(carryOver(state, { maxMessageChars: 10 + 200, maxEvents: 100 }).messages.map((m) => m.index)).toEqual([0, 3, 4]);
    expect(carryOver(state, { maxMessageChars: 10 + 199, maxEvents: 100 }).messages.map((m) => m.index)).toEqual([0, 4]);
  });

  it('keeps only newest messages in a row: a small old message does not jump a large one', () => {
    const state = runWithMessages([5, 500, 5]);
    expect(carryOver(state, { maxMessageChars: 100, maxEvents: 100 }).messages.map((m) => m.index)).toEqual([0, 3]);
  });

  it('keeps the task even when it alone is over the budget', () => {
    const carried = carryOver(runWithMessages([5, 5], 1000), { maxMessageChars: 100, maxEvents: 100 });
    expect(carried.messages.map((m) => m.index)).toEqual([0]);
  });

  it('keeps messageCount, turn and the rest of the state, and counts the continue-as-new', () => {
    const state = runWithMessages([100, 100, 100]);
    const carried = carryOver(state, { maxMessageChars: 50, maxEvents: 100 });
    expect(carried).toEqual({ ...state, messages: [state.messages[0]], continuedAsNew: 1 });
    expect(carryOver(carried).continuedAsNew).toBe(2);
  });

  it('keeps the last N events', () => {
    const state = runWithMessages([1, 1, 1, 1]);
    expect(carryOver(state, { maxMessageChars: 1e6, maxEvents: 2 }).events.map((e) => e.seq)).toEqual([4, 5]);
    expect(carryOver(state, { maxMessageChars: 1e6, maxEvents: 0 }).events).toEqual([]);
  });

  it('leaves the state it was given untouched', () => {
    const state = runWithMessages([100, 100, 100]);
    const before = structuredClone(state);
    carryOver(state, { maxMessageChars: 10, maxEvents: 1 });
    expect(state).toEqual(before);
  });

  it('keeps everything of a run well under the default limits', () => {
    const state = runWithMessages([100, 100]);
    expect(carryOver(state)).toEqual({ ...state, continuedAsNew: 1 });
  });
});
