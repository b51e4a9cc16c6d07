import { mentionsExternal, timeoutDeadlines } from '../../../src/core';
import { allOf, anyOf, external, maxMessages, sourceMatch, textMention, timeout } from '../../../src/spec';
import { conditionChecker, message } from './core-helpers';

const task = message('user', 'Write a haiku');

describe('any: shows every check to every child', () => {
  it('keeps counting in a child while another child does not hold', () => {
    const check = conditionChecker(anyOf(textMention('DONE'), maxMessages(3)));
    expect(check([task])).toBeNull();
    expect(check([message('writer', 'a')])).toBeNull();
    expect(check([message('critic', 'b')])).toEqual({ reason: 'maximum of 3 messages reached', conditions: ['max_messages'] });
  });

  it('merges the reasons of every child that holds in the same check, in order', () => {
    const check = conditionChecker(anyOf(textMention('DONE'), sourceMatch('critic'), maxMessages(3)));
    expect(check([task, message('writer', 'draft')])).toBeNull();
    expect(check([message('critic', 'DONE')])).toEqual({
      reason: '"DONE" mentioned by critic; critic has spoken; maximum of 3 messages reached',
      conditions: ['text_mention', 'source_match', 'max_messages'],
    });
  });

  it('counts in a later child even when an earlier one holds (no short circuit)', () => {
    const check = conditionChecker(anyOf(textMention('Write'), maxMessages(10)));
    expect(check([task, message('a', '1')])?.conditions).toEqual(['text_mention']);
    expect(check.state.children![1]!.count).toBe(2);
  });
});

describe('all: latches children that held and holds once all have', () => {
  it("holds when the last child holds, with every child's reason", () => {
    const check = conditionChecker(allOf(textMention('APPROVED'), maxMessages(3)));
    expect(check([task, message('critic', 'APPROVED')])).toBeNull();
    expect(check.state.held![0]).toEqual({ reason: '"APPROVED" mentioned by critic', conditions: ['text_mention'] });
    expect(check([message('writer', 'thanks')])).toEqual({
      reason: '"APPROVED" mentioned by critic; maximum of 3 messages reached',
      conditions: ['text_mention', 'max_messages'],
    });
  });

  it('does not ask a child again once it has held', () => {
    const check = conditionChecker(allOf(maxMessages(2), textMention('SHIP')));
    expect(check([task, message('a', '1')])).toBeNull();
    expect(check([message('b', '2')])).toBeNull();
    expect(check.state.children![0]!.count).toBe(2);
    expect(check([message('c', 'SHIP')])?.reason).toBe('maximum of 2 messages reached; "SHIP" mentioned by c');
  });

  it('holds with a stop request that came after the other condition held', () => {
    const check = conditionChecker(allOf(external(), sourceMatch('critic')));
    expect(check([task, message('critic', 'ok')])).toBeNull();
    expect(check([], { externalStop: { reason: 'done' } })?.conditions).toEqual(['external', 'source_match']);
  });

  it('with any inside: the any latches as one child', () => {
    const check = conditionChecker(allOf(anyOf(textMention('APPROVED'), sourceMatch('boss')), maxMessages(4)));
    expect(check([task])).toBeNull();
    expect(check([message('boss', 'hello')])).toBeNull();
    expect(check([message('writer', 'draft')])).toBeNull();
    expect(check([message('writer', 'draft 2')])).toEqual({
      reason: 'boss has spoken; maximum of 4 messages reached',
      conditions: ['source_match', 'max_messages'],
    });
  });

  it('with all inside any: the inner all keeps its own latches', () => {
    const check = conditionChecker(anyOf(timeout('1h'), allOf(sourceMatch('a'), sourceMatch('b'))));
    expect(check([message('a', 'x')])).toBeNull();
    expect(check([message('c', 'x')])).toBeNull();
    expect(check([message('b', 'x')])?.reason).toBe('a has spoken; b has spoken');
  });
});

describe('mentionsExternal', () => {
  it('finds external anywhere in the tree', () => {
    expect(mentionsExternal(undefined)).toBe(false);
    expect(mentionsExternal(external())).toBe(true);
    expect(mentionsExternal(anyOf(maxMessages(3), allOf(textMention('x'), external())))).toBe(true);
    expect(mentionsExternal(anyOf(maxMessages(3), allOf(textMention('x'), timeout('1m'))))).toBe(false);
  });
});

describe('timeoutDeadlines', () => {
  it('lists each distinct timeout in ms, from any depth', () => {
    expect(timeoutDeadlines(undefined)).toEqual([]);
    expect(timeoutDeadlines(maxMessages(3))).toEqual([]);
    expect(timeoutDeadlines(timeout('30s'))).toEqual([30_000]);
    expect(timeoutDeadlines(anyOf(timeout('5s'), allOf(timeout('5000ms'), timeout(60_000)), maxMessages(2)))).toEqual([5_000, 60_000]);
  });
});
