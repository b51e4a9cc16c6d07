import type { ChatMessage, MessageBody } from '../../../src/core';
import {
  bodyKeysOf,
  conversationRef,
  hasStoredParts,
  MissingBodyError,
  noteStored,
  recordOf,
  storedCount,
  toolResultsText,
  withBody,
} from '../../../src/core/stored-messages';
import { newRun, reply, roundRobinTeam } from './core-helpers';

const msg = (extra: Partial<ChatMessage>): ChatMessage => ({
  index: 1,
  source: 'writer',
  content: 'hello',
  kind: 'text',
  turn: 0,
  at: 5,
  ...extra,
});

/** A store of bodies, as withBody reads it. */
const bodiesOf = (entries: Record<string, MessageBody>) => (key: string) => entries[key];

describe('recordOf', () => {
  it('drops what a message says where the store has it, keeping who, when and the key', () => {
    const message = msg({ ref: 'r1', usage: { promptTokens: 3, completionTokens: 1 }, model: 'm' });
    expect(recordOf(message)).toEqual({ ...message, content: '', elided: true });
  });

  it('keeps a message with nothing stored as it is (the run wrote it: it is in no other place)', () => {
    const message = msg({});
    expect(hasStoredParts(message)).toBe(false);
    expect(recordOf(message)).toBe(message);
    expect(bodyKeysOf(recordOf(message))).toEqual([]);
  });

  it('is idempotent, and leaves its argument alone', () => {
    const message = msg({ ref: 'r1' });
    const before = structuredClone(message);
    const record = recordOf(message);
    expect(recordOf(record)).toBe(record);
    expect(message).toEqual(before);
  });

  it("drops a tool call message's calls with its text: both are in the body", () => {
    const calls = [{ id: 'c1', name: 'ls', arguments: '{"path":"."}' }];
    const record = recordOf(msg({ kind: 'tool_call', content: 'let me look', toolCalls: calls, ref: 'r2' }));
    expect(record).toMatchObject({ kind: 'tool_call', content: '', ref: 'r2', elided: true });
    expect(record.toolCalls).toBeUndefined();
    expect(bodyKeysOf(record)).toEqual(['r2']);
  });

  it("drops tool results' output where stored and keeps results the run wrote (a refusal)", () => {
    const results = [
      { callId: 'c1', name: 'ls', content: 'a.txt', isError: false, ref: 'out1' },
      { callId: 'c2', name: 'rm', content: 'refused: needs approval', isError: true },
    ];
    const message = msg({ kind: 'tool_result', content: toolResultsText(results), toolResults: results });
    expect(hasStoredParts(message)).toBe(true);
    const record = recordOf(message);
    expect(record).toMatchObject({ content: '', elided: true });
    expect(record.ref).toBeUndefined();
    expect(record.toolResults).toMatchObject([{ ...results[0], content: '' }, results[1]]);
    expect(bodyKeysOf(record)).toEqual(['out1']);
  });

  it('needs no bodies for a record that is whole', () => {
    expect(bodyKeysOf(msg({ ref: 'r1' }))).toEqual([]);
  });
});

describe('withBody', () => {
  it('makes a record whole again: recordOf then withBody is the message', () => {
    const message = msg({ ref: 'r1', content: 'the draft' });
    expect(withBody('run-1', recordOf(message), bodiesOf({ r1: { content: 'the draft' } }))).toEqual(message);
  });

  it('keeps the first `cut` characters of a stop message, whose signal was cut off', () => {
    const { state, recorder } = newRun(roundRobinTeam());
    const said = 'Looks good.  TERMINATE\n';
    const message = recorder.recordReply('critic', { ...reply(said), ref: 'r-stop' });
    expect(message).toMatchObject({ kind: 'stop', content: 'Looks good.', ref: 'r-stop', cut: 11 });
    const record = recordOf(message);
    expect(record).toMatchObject({ content: '', cut: 11, elided: true });
    expect(withBody(state.runId, record, bodiesOf({ 'r-stop': { content: said } }))).toEqual(message);
  });

  it('cuts to nothing a stop message that was only the signal', () => {
    const { recorder } = newRun(roundRobinTeam());
    const message = recorder.recordReply('critic', { ...reply('TERMINATE'), ref: 'r' });
    expect(message).toMatchObject({ content: '', cut: 0 });
    expect(withBody('run-1', recordOf(message), bodiesOf({ r: { content: 'TERMINATE' } })).content).toBe('');
  });

  it("brings back a tool call's calls from its body", () => {
    const calls = [{ id: 'c1', name: 'ls', arguments: '{}' }];
    const { recorder } = newRun(roundRobinTeam());
    const message = recorder.recordToolCalls('writer', {
      ...reply('looking'),
      ref: 'rc',
      toolCalls: [{ ...calls[0]!, route: { kind: 'function' } }],
    });
    expect(message.toolCalls).toEqual(calls);
    const whole = withBody('run-1', recordOf(message), bodiesOf({ rc: { content: 'looking', toolCalls: calls } }));
    expect(whole).toEqual(message);
  });

  it("rebuilds a tool_result message's text from its results' stored output, as the recorder wrote it", () => {
    const { recorder } = newRun(roundRobinTeam());
    const message = recorder.recordToolResults('writer', [
      { callId: 'c1', name: 'ls', content: 'a.txt\nb.txt', isError: false, ref: 'o1' },
      { callId: 'c2', name: 'rm', content: 'refused', isError: true },
      { callId: 'c3', name: 'cat', content: 'secret', isError: false, ref: 'o3' },
    ]);
    expect(message.content).toBe('ls: a.txt\nb.txt\nrm: refused\ncat: secret');
    const record = recordOf(message);
    expect(JSON.stringify(record)).not.toMatch(/a\.txt|secret/);
    expect(bodyKeysOf(record)).toEqual(['o1', 'o3']);
    const whole = withBody('run-1', record, bodiesOf({ o1: { content: 'a.txt\nb.txt' }, o3: { content: 'secret' } }));
    expect(whole).toEqual(message);
  });

  it('leaves a record that is not elided as it is, asking for no body', () => {
    const message = msg({ ref: 'r1' });
    const body = jest.fn();
    expect(withBody('run-1', message, body)).toBe(message);
    expect(body).not.toHaveBeenCalled();
  });

  it('fails with MissingBodyError naming the run, the message and the key', () => {
    const record = recordOf(msg({ index: 7, ref: 'run-9/abc' }));
    let caught: unknown;
    try {
      withBody('run-9', record, () => undefined);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MissingBodyError);
    expect(caught).toMatchObject({ name: 'MissingBody', runId: 'run-9', index: 7, key: 'run-9/abc' });
    expect((caught as Error).message).toContain('run "run-9"');
    expect((caught as Error).message).toContain('message 7');
    expect((caught as Error).message).toContain('run-9/abc');
  });

  it("fails the same for a tool result's missing output", () => {
    const record = recordOf(
      msg({
        index: 4,
        kind: 'tool_result',
        content: 'x: y',
        toolResults: [{ callId: 'c', name: 'x', content: 'y', isError: false, ref: 'gone' }],
      }),
    );
    expect(() => withBody('run-2', record, () => undefined)).toThrow(MissingBodyError);
    expect(() => withBody('run-2', record, () => undefined)).toThrow(/run "run-2": message 4 .*gone/);
  });
});

describe('conversationRef and noteStored', () => {
  function run() {
    const r = newRun(roundRobinTeam({ maxTurns: 100 }), 'the task');
    r.recorder.begin('the task');
    r.recorder.recordReply('writer', { ...reply('one'), ref: 'k1' });
    r.recorder.recordReply('critic', reply('two (no ref)'));
    return r;
  }

  it('names the run and the count, and carries every message not yet stored as a record', () => {
    const { state } = run();
    expect(storedCount(state)).toBe(0);
    const ref = conversationRef(state);
    expect(ref).toEqual({ runId: 'run-1', count: 3, unstored: state.messages.map(recordOf) });
    expect(ref.unstored[1]).toMatchObject({ content: '', ref: 'k1', elided: true });
    expect(ref.unstored[2]).toMatchObject({ content: 'two (no ref)' });
  });

  it('carries only what came after the last activity that stored records', () => {
    const { state, recorder } = run();
    const first = conversationRef(state);
    noteStored(state, first);
    expect(storedCount(state)).toBe(3);
    expect(conversationRef(state).unstored).toEqual([]);
    recorder.recordReply('editor', { ...reply('three'), ref: 'k3' });
    expect(conversationRef(state)).toEqual({ runId: 'run-1', count: 4, unstored: [recordOf(state.messages[3]!)] });
  });

  it('counts a state of an older run (no storedCount) as having stored nothing', () => {
    const { state } = run();
    delete state.storedCount;
    expect(storedCount(state)).toBe(0);
    expect(conversationRef(state).unstored).toHaveLength(3);
  });

  it("ignores no ref, another run's ref, and a ref older than what is stored", () => {
    const { state, recorder } = run();
    const old = conversationRef(state);
    recorder.recordReply('editor', reply('three'));
    noteStored(state, conversationRef(state));
    expect(storedCount(state)).toBe(4);
    noteStored(state, old);
    expect(storedCount(state)).toBe(4);
    noteStored(state, undefined);
    noteStored(state, { runId: 'other', count: 99, unstored: [] });
    expect(storedCount(state)).toBe(4);
  });
});
