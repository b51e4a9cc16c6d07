import { carryOver, eventsAfter, legacyCarryOver, transcriptPage, type ChatMessage, type RunState } from '../../../src/core';
import { conversationRef, noteStored, withBody } from '../../../src/core/stored-messages';
import { newRun, reply, roundRobinTeam } from './core-helpers';

/** A run with the task ("T" x taskChars) and one message per entry of `sizes` (that many characters). */
function runWithMessages(sizes: number[], taskChars = 10) {
  const run = newRun(roundRobinTeam({ maxTurns: 1000 }), 'T'.repeat(taskChars));
  run.recorder.begin('task');
  sizes.forEach((size, i) => run.recorder.recordReply('writer', reply(String(i % 10).repeat(size))));
  return run.state; // events: run_started + one message event per reply
}

/**
 * A run whose replies were stored by the activity (each has a ref, as the real activities give),
 * the task by the path that received it. `said` is [speaker, text]; the bodies are returned too.
 */
function storedRun(said: [string, string][], task = 'Write a haiku') {
  const bodies = new Map<string, { content: string }>([['body-task', { content: task }]]);
  const run = newRun(roundRobinTeam({ maxTurns: 1000 }), task);
  run.state.messages[0]!.ref = 'body-task';
  run.recorder.begin(task);
  said.forEach(([speaker, text], i) => {
    const ref = `body-${i + 1}`;
    bodies.set(ref, { content: text });
    run.recorder.recordReply(speaker, { ...reply(text), ref });
  });
  return { ...run, bodies };
}

/** Every activity so far completed: the store has every record. */
function allStored(state: RunState): RunState {
  noteStored(state, conversationRef(state));
  return state;
}

const indexes = (messages: ChatMessage[]) => messages.map((m) => m.index);

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

  it.each([
    ['carryOver', carryOver],
    ['legacyCarryOver', legacyCarryOver],
  ])('reports a gap when events after `after` were dropped by %s', (_, carry) => {
    const carried = carry(runWithMessages([1, 1, 1, 1, 1, 1, 1, 1, 1]), { maxMessageChars: 1e6, maxEvents: 3 });
    // events 1..10 existed; 8, 9, 10 were kept
    expect(eventsAfter(carried, 0)).toMatchObject({ gap: true, lastSeq: 10 });
    expect(eventsAfter(carried, 6).gap).toBe(true);
    expect(eventsAfter(carried, 7)).toMatchObject({ gap: false });
    expect(eventsAfter(carried, 7).events.map((e) => e.seq)).toEqual([8, 9, 10]);
  });
});

describe('transcriptPage', () => {
  it("pages messages by index and gives the whole conversation's size", () => {
    const state = runWithMessages([1, 1, 1, 1]);
    const page = transcriptPage(state, 2, 2);
    expect(page.messages.map((m) => m.index)).toEqual([2, 3]);
    expect(page.total).toBe(5);
    expect(page.firstRetained).toBe(0);
    expect(transcriptPage(state).messages).toHaveLength(5);
  });

  it('tells where the unbroken tail of held messages begins after a legacy carry-over dropped the oldest', () => {
    const carried = legacyCarryOver(runWithMessages([100, 100, 100, 100]), { maxMessageChars: 210, maxEvents: 10 });
    const page = transcriptPage(carried);
    expect(page.messages.map((m) => m.index)).toEqual([0, 3, 4]);
    expect(page).toMatchObject({ total: 5, firstRetained: 3 });
  });

  it('does not count last words carried ahead of a gap as part of the tail', () => {
    const { state } = storedRun([
      ['writer', 'a'],
      ['critic', 'b'],
      ['writer', 'c'],
      ['critic', 'd'],
      ['editor', 'e'],
    ]);
    const carried = carryOver(allStored(state));
    // The task (the user's last word), and each agent's last: writer 3, critic 4, editor 5.
    expect(indexes(carried.messages)).toEqual([0, 3, 4, 5]);
    expect(transcriptPage(carried).firstRetained).toBe(3);
  });

  it('has an empty tail when the newest message is not held', () => {
    expect(heldTail([{ index: 0 }, { index: 1 }], 3)).toBe(3);
    expect(heldTail([], 4)).toBe(4);
  });
});

function heldTail(messages: { index: number }[], total: number): number {
  const state = { ...runWithMessages([]), messages: messages as ChatMessage[], messageCount: total };
  return transcriptPage(state).firstRetained;
}

describe('legacyCarryOver (runs begun before the conversation store)', () => {
  it('keeps the task and the newest messages that fit in the character budget', () => {
    const state = runWithMessages([100, 100, 100, 100]);
    expect(legacyCarryOver(state, { maxMessageChars: 10 + 200, maxEvents: 100 }).messages.map((m) => m.index)).toEqual([0, 3, 4]);
    expect(legacyCarryOver(state, { maxMessageChars: 10 + 199, maxEvents: 100 }).messages.map((m) => m.index)).toEqual([0, 4]);
  });

  it('keeps only newest messages in a row: a small old message does not jump a large one', () => {
    const state = runWithMessages([5, 500, 5]);
    expect(legacyCarryOver(state, { maxMessageChars: 100, maxEvents: 100 }).messages.map((m) => m.index)).toEqual([0, 3]);
  });

  it('keeps the task even when it alone is over the budget', () => {
    const carried = legacyCarryOver(runWithMessages([5, 5], 1000), { maxMessageChars: 100, maxEvents: 100 });
    expect(carried.messages.map((m) => m.index)).toEqual([0]);
  });

  it('keeps messageCount, turn and the rest of the state, and counts the continue-as-new', () => {
    const state = runWithMessages([100, 100, 100]);
    const carried = legacyCarryOver(state, { maxMessageChars: 50, maxEvents: 100 });
    expect(carried).toEqual({ ...state, messages: [state.messages[0]], continuedAsNew: 1 });
    expect(legacyCarryOver(carried).continuedAsNew).toBe(2);
  });

  it('keeps the last N events, as they were', () => {
    const state = runWithMessages([1, 1, 1, 1]);
    expect(legacyCarryOver(state, { maxMessageChars: 1e6, maxEvents: 2 }).events.map((e) => e.seq)).toEqual([4, 5]);
    expect(legacyCarryOver(state, { maxMessageChars: 1e6, maxEvents: 0 }).events).toEqual([]);
    expect(legacyCarryOver(state, { maxMessageChars: 1e6, maxEvents: 100 }).events).toEqual(state.events);
  });

  it('leaves the state it was given untouched', () => {
    const state = runWithMessages([100, 100, 100]);
    const before = structuredClone(state);
    legacyCarryOver(state, { maxMessageChars: 10, maxEvents: 1 });
    expect(state).toEqual(before);
  });

  it('keeps everything of a run well under the default limits', () => {
    const state = runWithMessages([100, 100]);
    expect(legacyCarryOver(state)).toEqual({ ...state, continuedAsNew: 1 });
  });
});

describe('carryOver (runs with the conversation store)', () => {
  const said: [string, string][] = [
    ['writer', 'draft one'],
    ['critic', 'too long'],
    ['editor', 'trimmed'],
    ['writer', 'draft two'],
    ['critic', 'better'],
  ];

  it('carries no text where the store has it', () => {
    const { state } = storedRun(said);
    const carried = carryOver(allStored(state));
    expect(carried.messages.length).toBeGreaterThan(0);
    for (const m of carried.messages) expect(m).toMatchObject({ content: '', elided: true, ref: expect.any(String) });
    expect(JSON.stringify(carried.messages)).not.toMatch(/draft|better|trimmed|Write a haiku/);
  });

  it("keeps each author's last conversational message (the task's author too), as records", () => {
    const { state } = storedRun(said);
    const carried = carryOver(allStored(state));
    // user: the task (0); editor: 3; writer: 4; critic: 5
    expect(indexes(carried.messages)).toEqual([0, 3, 4, 5]);
    expect(carried.messages.map((m) => m.source)).toEqual(['user', 'editor', 'writer', 'critic']);
    expect(carried.messages.map((m) => m.ref)).toEqual(['body-task', 'body-3', 'body-4', 'body-5']);
  });

  it('carries the records no activity has written yet, whatever their author', () => {
    const { state } = storedRun(said);
    state.storedCount = 2; // the task and "draft one" are in the store
    const carried = carryOver(state);
    // 0 stays as the user's last word; 2..5 are not in the store yet; 1 (writer, stored) is not the writer's last
    expect(indexes(carried.messages)).toEqual([0, 2, 3, 4, 5]);
    expect(carried.messages.every((m) => m.elided && m.content === '')).toBe(true);
  });

  it('leaves text the run wrote itself (no ref) in the records it carries', () => {
    const { state, recorder } = storedRun(said);
    recorder.recordReply('editor', reply('written by the run, stored nowhere'));
    const carried = carryOver(state);
    expect(carried.messages.at(-1)).toMatchObject({ index: 6, content: 'written by the run, stored nowhere' });
    expect(carried.messages.at(-1)!.elided).toBeUndefined();
  });

  it("carries tool use only while it is unstored (or is the newest message): it is no one's last word", () => {
    const { state, recorder, bodies } = storedRun(said.slice(0, 2));
    bodies.set('calls', { content: 'looking' });
    bodies.set('out', { content: 'file list' });
    recorder.recordToolCalls('writer', {
      ...reply('looking'),
      ref: 'calls',
      toolCalls: [{ id: 'c1', name: 'ls', arguments: '{}', route: { kind: 'function' } }],
    });
    recorder.recordToolResults('writer', [{ callId: 'c1', name: 'ls', content: 'file list', isError: false, ref: 'out' }]);
    const unstored = carryOver(state);
    expect(unstored.messages.map((m) => m.kind)).toEqual(['text', 'text', 'text', 'tool_call', 'tool_result']);
    expect(unstored.messages[3]).toMatchObject({ content: '', elided: true, ref: 'calls' });
    expect(unstored.messages[3]!.toolCalls).toBeUndefined();
    expect(unstored.messages[4]!.toolResults).toMatchObject([{ callId: 'c1', name: 'ls', content: '', isError: false, ref: 'out' }]);
    // Stored, the tool result is still the newest message, the snapshot's last: only it comes along.
    expect(indexes(carryOver(allStored(state)).messages)).toEqual([0, 1, 2, 4]);
  });

  it('carries records that the store makes whole again', () => {
    const { state, bodies } = storedRun(said);
    const original = structuredClone(state.messages);
    state.storedCount = 3;
    const carried = JSON.parse(JSON.stringify(carryOver(state))) as RunState;
    const whole = carried.messages.map((r) => withBody(state.runId, r, (key) => bodies.get(key)));
    expect(whole).toEqual(original.filter((m) => carried.messages.some((r) => r.index === m.index)));
  });

  it("carries events' messages as records and the task out of run_started", () => {
    const { state } = storedRun(said);
    const carried = carryOver(allStored(state));
    const started = carried.events.find((e) => e.type === 'run_started');
    expect(started).toMatchObject({ type: 'run_started', task: '' });
    const messages = carried.events.flatMap((e) => (e.type === 'message' ? [e.message] : []));
    expect(messages).toHaveLength(said.length);
    for (const m of messages) expect(m).toMatchObject({ content: '', elided: true });
    expect(JSON.stringify(carried.events)).not.toMatch(/draft|better|trimmed|Write a haiku/);
    // Same events, same numbers.
    expect(carried.events.map((e) => [e.seq, e.type])).toEqual(state.events.map((e) => [e.seq, e.type]));
  });

  it('keeps the last N events', () => {
    const state = runWithMessages([1, 1, 1, 1]);
    expect(carryOver(state, { maxMessageChars: 1e6, maxEvents: 2 }).events.map((e) => e.seq)).toEqual([4, 5]);
    expect(carryOver(state, { maxMessageChars: 1e6, maxEvents: 0 }).events).toEqual([]);
  });

  it('ignores the character budget: what it carries is small whatever the text', () => {
    const { state } = storedRun([
      ['writer', 'x'.repeat(5000)],
      ['critic', 'y'.repeat(5000)],
    ]);
    const carried = carryOver(allStored(state), { maxMessageChars: 10, maxEvents: 100 });
    expect(indexes(carried.messages)).toEqual([0, 1, 2]);
    expect(JSON.stringify(carried).length).toBeLessThan(5000);
  });

  it('keeps messageCount, turn, storedCount and the rest of the state, and counts the continue-as-new', () => {
    const { state } = storedRun(said);
    allStored(state);
    const carried = carryOver(state);
    expect(carried).toMatchObject({ messageCount: 6, storedCount: 6, turn: state.turn, usage: state.usage, continuedAsNew: 1 });
    const { messages: _m, events: _e, continuedAsNew: _c, ...rest } = state;
    expect(carried).toEqual(expect.objectContaining(rest));
    expect(carryOver(carried).continuedAsNew).toBe(2);
    expect(carryOver(carryOver(carried)).continuedAsNew).toBe(3);
  });

  it('carries what it carried again, unchanged, when nothing happened in between', () => {
    const { state } = storedRun(said);
    const once = carryOver(allStored(state));
    const twice = carryOver(once);
    expect(twice.messages).toEqual(once.messages);
    expect(twice.events).toEqual(once.events);
  });

  it('leaves the state it was given untouched', () => {
    const { state } = storedRun(said);
    allStored(state);
    const before = structuredClone(state);
    carryOver(state, { maxMessageChars: 10, maxEvents: 1 });
    expect(state).toEqual(before);
  });

  it('keeps every message of a run whose messages no activity stored, text and all when none has a ref', () => {
    const state = runWithMessages([100, 100]);
    const carried = carryOver(state);
    expect(carried.messages).toEqual(state.messages);
    expect(carried.events.slice(1)).toEqual(state.events.slice(1));
  });
});
