import { randomBytes } from 'node:crypto';
import type { ChatMessage } from '../../../src/core';
import { MissingBodyError, recordOf, type ConversationRef } from '../../../src/core/stored-messages';
import { ConversationStore } from '../../../src/store/conversation-store';
import { RamBackend } from '../../../src/store/ram-backend';
import { AesGcmCodec } from '../../../src/temporal/codec/aes-gcm-codec';
import { CodecKeyring } from '../../../src/temporal/codec/codec-keys';

const RUN = 'run-1';

/** A backend that counts what is asked of it and keeps every byte written, to look for plaintext. */
class WatchedBackend extends RamBackend {
  readonly calls = { getBodies: [] as string[][], getRecords: [] as [number, number][], putRecords: [] as number[][] };
  readonly written: Uint8Array[] = [];

  override async putBodies(bodies: Parameters<RamBackend['putBodies']>[0]): Promise<void> {
    for (const b of bodies) this.written.push(b.data);
    return super.putBodies(bodies);
  }
  override async getBodies(keys: string[]): Promise<Map<string, Uint8Array>> {
    this.calls.getBodies.push(keys);
    return super.getBodies(keys);
  }
  override async putRecords(runId: string, records: Parameters<RamBackend['putRecords']>[1]): Promise<void> {
    this.calls.putRecords.push(records.map((r) => r.index));
    for (const r of records) this.written.push(r.data);
    return super.putRecords(runId, records);
  }
  override async getRecords(runId: string, from: number, to: number) {
    this.calls.getRecords.push([from, to]);
    return super.getRecords(runId, from, to);
  }
}

const message = (index: number, source: string, content: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  index,
  source,
  content,
  kind: 'text',
  turn: index === 0 ? null : index - 1,
  at: 1000 + index,
  ...extra,
});

/** Messages 0..n-1 whose text an activity stored, as the run records them (with their keys). */
async function storedMessages(store: ConversationStore, texts: string[], runId = RUN): Promise<ChatMessage[]> {
  const out: ChatMessage[] = [];
  for (const [i, text] of texts.entries()) {
    const ref = await store.putBody(runId, { content: text });
    out.push(message(i, i === 0 ? 'user' : i % 2 ? 'writer' : 'critic', text, { ref }));
  }
  return out;
}

const refOf = (messages: ChatMessage[], count = messages.length, runId = RUN): ConversationRef => ({
  runId,
  count,
  unstored: messages.map(recordOf),
});

describe('ConversationStore over RamBackend', () => {
  it('stores a body under a new key of the run, and reads it back through complete', async () => {
    const store = new ConversationStore(new RamBackend());
    const a = await store.putBody(RUN, { content: 'same' });
    const b = await store.putBody(RUN, { content: 'same' });
    expect(a).not.toBe(b);
    expect(a.startsWith(`${RUN}/`)).toBe(true);
    const [whole] = await store.complete(RUN, [recordOf(message(1, 'writer', 'same', { ref: a }))]);
    expect(whole).toEqual(message(1, 'writer', 'same', { ref: a }));
  });

  it('writes the records a conversation carries first, then reads the conversation whole', async () => {
    const backend = new WatchedBackend();
    const store = new ConversationStore(backend);
    const messages = await storedMessages(store, ['the task', 'draft', 'review']);
    expect(await store.conversation(refOf(messages))).toEqual(messages);
    expect(backend.calls.putRecords).toEqual([[0, 1, 2]]);
    // Another store on the same backend (another worker) reads the records written, and the bodies.
    const other = new ConversationStore(backend);
    expect(await other.conversation({ runId: RUN, count: 3, unstored: [] })).toEqual(messages);
    expect(await other.read(RUN, 1, 3)).toEqual(messages.slice(1));
  });

  it('writes nothing for a conversation that carries no records', async () => {
    const backend = new WatchedBackend();
    await new ConversationStore(backend).conversation({ runId: RUN, count: 0, unstored: [] });
    expect(backend.calls.putRecords).toEqual([]);
  });

  it('keeps what it read: the next turn reads only the new records, and no body twice', async () => {
    const backend = new WatchedBackend();
    const writer = new ConversationStore(backend);
    const messages = await storedMessages(writer, ['t', 'a', 'b', 'c', 'd']);
    await writer.putRecords(RUN, messages.slice(0, 3).map(recordOf));

    const reader = new ConversationStore(backend);
    expect(await reader.conversation({ runId: RUN, count: 3, unstored: [] })).toEqual(messages.slice(0, 3));
    expect(backend.calls.getRecords).toEqual([[0, 3]]);
    expect(backend.calls.getBodies.flat()).toHaveLength(3);

    // The next turn carries the two newer records: nothing older is read again.
    expect(await reader.conversation(refOf(messages.slice(3), 5))).toEqual(messages);
    expect(backend.calls.getRecords).toEqual([[0, 3]]);
    expect(backend.calls.getBodies.flat()).toHaveLength(5);

    // The same conversation again (a retried activity) reads nothing at all.
    expect(await reader.conversation(refOf(messages.slice(3), 5))).toEqual(messages);
    expect(backend.calls.getRecords).toEqual([[0, 3]]);
    expect(backend.calls.getBodies.flat()).toHaveLength(5);

    // An earlier count (a replayed older request) is cut from what is held.
    expect(await reader.conversation({ runId: RUN, count: 2, unstored: [] })).toEqual(messages.slice(0, 2));
    // read of a range held answers from memory.
    expect(await reader.read(RUN, 1, 4)).toEqual(messages.slice(1, 4));
    expect(backend.calls.getRecords).toEqual([[0, 3]]);
  });

  it('reads the stored records between what it holds and the first record carried', async () => {
    const backend = new WatchedBackend();
    const store = new ConversationStore(backend);
    const messages = await storedMessages(store, ['t', 'a', 'b', 'c']);
    await store.putRecords(RUN, messages.slice(0, 3).map(recordOf));
    const fresh = new ConversationStore(backend);
    expect(await fresh.conversation(refOf(messages.slice(3), 4))).toEqual(messages);
    expect(backend.calls.getRecords).toEqual([[0, 3]]);
  });

  it('reads a range with gaps, leaving out indexes never stored', async () => {
    const store = new ConversationStore(new RamBackend());
    const messages = await storedMessages(store, ['t', 'a', 'b', 'c', 'd', 'e']);
    await store.putRecords(
      RUN,
      [0, 3, 4].map((i) => recordOf(messages[i]!)),
    );
    expect(await store.read(RUN, 0, 6)).toEqual([messages[0], messages[3], messages[4]]);
    expect(await store.read(RUN, 1, 4)).toEqual([messages[3]]);
    expect(await store.read(RUN, 1, 3)).toEqual([]);
    expect(await store.read('no-such-run', 0, 10)).toEqual([]);
  });

  it('keeps records that carry their own text (written by the run, or by a run before the store)', async () => {
    const store = new ConversationStore(new RamBackend());
    const own = [message(0, 'user', 'task, inline'), message(1, 'writer', 'refused: not allowed')];
    await store.putRecords(RUN, own);
    expect(await store.read(RUN, 0, 2)).toEqual(own);
    expect(await store.complete(RUN, own)).toEqual(own);
  });

  it('completes elided records, tool calls and tool results included', async () => {
    const store = new ConversationStore(new RamBackend());
    const calls = [{ id: 'c1', name: 'ls', arguments: '{}' }];
    const callRef = await store.putBody(RUN, { content: 'looking', toolCalls: calls });
    const outRef = await store.putBody(RUN, { content: 'a.txt' });
    const textRef = await store.putBody(RUN, { content: 'done' });
    const messages = [
      message(1, 'writer', 'looking', { kind: 'tool_call', toolCalls: calls, ref: callRef }),
      message(2, 'writer', 'ls: a.txt\nrm: refused', {
        kind: 'tool_result',
        toolResults: [
          { callId: 'c1', name: 'ls', content: 'a.txt', isError: false, ref: outRef },
          { callId: 'c2', name: 'rm', content: 'refused', isError: true },
        ],
      }),
      message(3, 'writer', 'done', { ref: textRef }),
      message(4, 'critic', 'inline'),
    ];
    const records = messages.map(recordOf);
    expect(records.slice(0, 3).every((r) => r.elided)).toBe(true);
    expect(await store.complete(RUN, records)).toEqual(messages);
    // Bodies are fetched from the backend once, the cache answering after (here: all were written through it).
    expect(await new ConversationStore(store.backend).complete(RUN, records)).toEqual(messages);
  });

  it('fetches each body once for records that share it', async () => {
    const backend = new WatchedBackend();
    const writer = new ConversationStore(backend);
    const ref = await writer.putBody(RUN, { content: 'shared' });
    const reader = new ConversationStore(backend);
    const records = [recordOf(message(1, 'a', 'shared', { ref })), recordOf(message(2, 'b', 'shared', { ref }))];
    expect((await reader.complete(RUN, records)).map((m) => m.content)).toEqual(['shared', 'shared']);
    await reader.complete(RUN, records);
    expect(backend.calls.getBodies).toEqual([[ref]]);
  });

  it('fails on a missing body, naming the run and the message', async () => {
    const backend = new RamBackend();
    const store = new ConversationStore(backend);
    const record = recordOf(message(5, 'writer', 'gone', { ref: `${RUN}/pruned` }));
    await expect(store.complete(RUN, [record])).rejects.toThrow(MissingBodyError);
    await expect(store.complete(RUN, [record])).rejects.toMatchObject({ runId: RUN, index: 5, key: `${RUN}/pruned` });
    await expect(store.complete(RUN, [record])).rejects.toThrow(/run "run-1": message 5/);
    // and through conversation(): the record it carries points at nothing
    await expect(store.conversation({ runId: RUN, count: 6, unstored: [record] })).rejects.toThrow(/message 5/);
  });

  it('fails on a body deleted with its run', async () => {
    const backend = new RamBackend();
    const store = new ConversationStore(backend);
    const messages = await storedMessages(store, ['t', 'a']);
    await store.putRecords(RUN, messages.map(recordOf));
    expect(await backend.deleteRuns([RUN])).toBe(1);
    const fresh = new ConversationStore(backend);
    expect(await fresh.read(RUN, 0, 2)).toEqual([]);
    await expect(fresh.complete(RUN, messages.map(recordOf))).rejects.toMatchObject({ name: 'MissingBody', index: 0 });
  });

  it('keeps runs apart', async () => {
    const store = new ConversationStore(new RamBackend());
    const one = await storedMessages(store, ['one task', 'one reply'], 'run-a');
    const two = await storedMessages(store, ['two task'], 'run-b');
    expect(await store.conversation(refOf(one, 2, 'run-a'))).toEqual(one);
    expect(await store.conversation(refOf(two, 1, 'run-b'))).toEqual(two);
    expect(await store.read('run-a', 0, 5)).toEqual(one);
    expect(await store.read('run-b', 0, 5)).toEqual(two);
  });
});

describe('ConversationStore with the AES-GCM codec', () => {
  const codec = new AesGcmCodec(new CodecKeyring(new Map([['k1', randomBytes(32)]]), 'k1', 'TEST_KEYS'));
  const SECRET = 'the launch code is PLUM-42';

  it('leaves no plaintext in the backend, and reads back what it wrote', async () => {
    const backend = new WatchedBackend();
    const store = new ConversationStore(backend, { codec });
    const messages = await storedMessages(store, [`task: ${SECRET}`, `reply: ${SECRET}`]);
    // A record the run wrote itself carries its text: it is sealed too.
    const inline = message(2, 'critic', `inline: ${SECRET}`);
    expect(await store.conversation({ runId: RUN, count: 3, unstored: [...messages.map(recordOf), inline] })).toEqual([
      ...messages,
      inline,
    ]);

    expect(backend.written.length).toBe(2 + 3);
    for (const bytes of backend.written) {
      const text = Buffer.from(bytes).toString('latin1');
      expect(text).not.toContain('PLUM-42');
      expect(text).not.toContain('writer');
      expect(text).not.toContain('json/plain');
    }

    // Another worker with the key reads it all.
    const other = new ConversationStore(backend, { codec });
    expect(await other.read(RUN, 0, 3)).toEqual([...messages, inline]);
  });

  it('cannot be read without the key', async () => {
    const backend = new RamBackend();
    const store = new ConversationStore(backend, { codec });
    const messages = await storedMessages(store, [SECRET]);
    await store.putRecords(RUN, messages.map(recordOf));
    const wrongKey = new AesGcmCodec(new CodecKeyring(new Map([['k2', randomBytes(32)]]), 'k2', 'TEST_KEYS'));
    await expect(new ConversationStore(backend, { codec: wrongKey }).read(RUN, 0, 1)).rejects.toThrow();
    await expect(new ConversationStore(backend).read(RUN, 0, 1)).rejects.toThrow();
  });

  it('without a codec, the backend holds the text as it is (what the codec is there to prevent)', async () => {
    const backend = new WatchedBackend();
    const store = new ConversationStore(backend);
    await storedMessages(store, [SECRET]);
    expect(Buffer.from(backend.written[0]!).toString('latin1')).toContain('PLUM-42');
  });
});

describe('ConversationStore: what a run reads before its own messages', () => {
  /** A run of three messages, stored as a worker stores them: bodies, then records. */
  async function storedRun(store: ConversationStore, runId: string, texts: [string, string][]): Promise<void> {
    const records: ChatMessage[] = [];
    for (const [i, [source, content]] of texts.entries()) {
      const ref = await store.putBody(runId, { content });
      records.push(recordOf(message(i, source, content, { ref })));
    }
    await store.putRecords(runId, records);
  }

  test('the earlier parts its note lists come first, each whole or only the messages listed', async () => {
    const store = new ConversationStore(new RamBackend());
    await storedRun(store, 'a', [
      ['user', 'What is A?'],
      ['researcher', 'fact'],
      ['writer', 'A is 1.'],
    ]);
    await storedRun(store, 'b', [
      ['user', 'And B?'],
      ['researcher', 'fact b'],
      ['writer', 'B is 2.'],
    ]);
    await store.putRunNote('c', 'earlier', [
      { runId: 'a', count: 3 },
      { runId: 'b', count: 3, only: [0, 2] },
    ]);
    const ref: ConversationRef = { runId: 'c', count: 1, unstored: [message(0, 'user', 'And C?')], earlier: 2 };
    expect((await store.conversation(ref)).map((m) => m.content)).toEqual(['What is A?', 'fact', 'A is 1.', 'And B?', 'B is 2.', 'And C?']);
  });

  test('a note that lists fewer parts than the run expects fails for good, naming the run', async () => {
    const store = new ConversationStore(new RamBackend());
    await store.putRunNote('c', 'earlier', [{ runId: 'a', count: 3 }]);
    const failure = store.conversation({ runId: 'c', count: 1, unstored: [message(0, 'user', 'And C?')], earlier: 2 });
    await expect(failure).rejects.toBeInstanceOf(MissingBodyError);
    await expect(failure).rejects.toThrow(
      'run "c" begins with 2 earlier parts of its context, but its note in the conversation store lists 1',
    );
  });
});
