import { editedTeam, forkRunState, forkStart, keptCount, parseAgentEdit, swarmAfter } from '../../../src/core/fork';
import type { ChatMessage } from '../../../src/core/messages';
import { maxMessages, team } from '../../../src/spec';

const msg = (index: number, source: string, turn: number | null, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  index,
  source,
  content: `m${index}`,
  kind: 'text',
  turn,
  at: 0,
  ref: `run/${index}`,
  ...extra,
});

/** Task; turn 1 (a's tool call, its result, its reply); turn 2 (b); a person's interjection; turn 3 (a). */
const RUN: ChatMessage[] = [
  msg(0, 'user', null),
  msg(1, 'a', 0, { kind: 'tool_call' }),
  msg(2, 'a', 0, { kind: 'tool_result' }),
  msg(3, 'a', 0),
  msg(4, 'b', 1),
  msg(5, 'user', null),
  msg(6, 'a', 2),
];

const pair = team('pair').roundRobin().model({ model: 'm' }).agent('a', { description: 'A.' }).agent('b', { description: 'B.' });

describe('a fork at turn N keeps the task and turns 1 to N', () => {
  it.each([
    [0, 1],
    [1, 4],
    [2, 6], // the interjection before turn 3 is kept
    [3, 7],
  ])('--at-turn %i keeps %i messages', (atTurn, kept) => {
    expect(keptCount(RUN, 3, 7, atTurn)).toBe(kept);
  });

  it('refuses a turn past the run, a negative one, and one whose messages could not be read, each in one line', () => {
    expect(() => keptCount(RUN, 3, 7, 4)).toThrow('--at-turn 4: the run has 3 turns');
    expect(() => keptCount(RUN, 3, 7, -1)).toThrow('--at-turn -1: give a whole number of turns, 0 or more');
    expect(() => keptCount(RUN.slice(0, 5), 3, 7, 3)).toThrow('--at-turn 3: messages 5 to 6 of the run could not be read');
  });
});

describe('the fork state', () => {
  it('goes on at turn N with the kept messages on record, no text carried, conditions fresh', () => {
    const spec = pair.terminateWhen(maxMessages(10)).build();
    const start = forkStart(spec, { run: 'run', turn: 2 }, RUN.slice(0, 6));
    expect(start).toMatchObject({ count: 6, lastSpeaker: 'b' });
    expect(start.carried.every((m) => m.content === '')).toBe(true);
    const state = forkRunState({ runId: 'fork', team: spec, start, now: 5 });
    expect(state).toMatchObject({
      turn: 2,
      messageCount: 6,
      storedCount: 6,
      checkedMessages: 6,
      lastSpeaker: 'b',
      roundFirstTurn: 0,
      forkedFrom: { run: 'run', turn: 2 },
      status: 'submitted',
    });
    expect(state.messages.map((m) => m.index)).toEqual([3, 4, 5]); // last words of each, and the newest
  });

  it('a swarm goes on with whoever the kept handoffs gave the word', () => {
    const swarm = team('s')
      .pattern('swarm')
      .model({ model: 'm' })
      .agent('a', { description: 'A.', handoffs: ['b', 'p'] })
      .agent('b', { description: 'B.', handoffs: ['a'] })
      .human('p', { description: 'P.' })
      .terminateWhen(maxMessages(10))
      .build();
    expect(swarmAfter(swarm, [msg(0, 'user', null), msg(1, 'a', 0, { handoff: { target: 'b' } })])).toEqual({
      speaker: 'b',
      returnTo: null,
    });
    expect(swarmAfter(swarm, [msg(1, 'a', 0, { handoff: { target: 'p' } }), msg(2, 'p', 1)])).toEqual({ speaker: 'a', returnTo: null });
    expect(swarmAfter(pair.terminateWhen(maxMessages(10)).build(), RUN)).toBeUndefined();
  });
});

describe('team edits', () => {
  it("changes an agent's model, and refuses an unknown agent or field naming it", () => {
    const spec = pair.terminateWhen(maxMessages(10)).build();
    expect(editedTeam(spec, [parseAgentEdit('b.model=other')]).agents[1]).toMatchObject({ name: 'b', model: 'other' });
    expect(spec.agents[1]).not.toHaveProperty('model', 'other');
    expect(() => editedTeam(spec, [parseAgentEdit('c.model=x')])).toThrow('--agent c.model: team "pair" has no agent "c" (it has a, b)');
    expect(() => parseAgentEdit('b.temperature=1')).toThrow("only an agent's model can be changed");
    expect(() => parseAgentEdit('b')).toThrow('--agent b: write NAME.model=MODEL');
  });
});
