import { randomUUID } from 'node:crypto';
import type { PayloadCodec } from '@temporalio/common';
import type { ChatMessage, MessageBody } from '../core/messages';
import { bodyKeysOf, MissingBodyError, withBody, type ConversationRef } from '../core/stored-messages';
import type { EarlierPart } from '../core/earlier';
import type { StoreBackend } from './backend';
import { Lru } from './lru';
import { sealBytes, unsealBytes } from './sealing';

export interface ConversationStoreOptions {
  /** The payload codec: with it, bodies and records are stored encrypted, as payloads in history are. */
  codec?: PayloadCodec;
  /** Characters of message text kept in memory across calls. Default 64 million (about 128 MB). */
  cacheChars?: number;
  /** The longest message taken, in characters; a longer one is refused where it enters. Default 4 million. */
  maxMessageChars?: number;
}

export const DEFAULT_MAX_MESSAGE_CHARS = 4_000_000;

/** The run note that lists what a run reads before its own messages (see core/earlier.ts). */
export const EARLIER_NOTE = 'earlier';

/** A message longer than the store takes: refused where it enters, naming the limit. */
export class MessageTooLargeError extends Error {
  override readonly name = 'MessageTooLarge';
  constructor(
    readonly chars: number,
    readonly limit: number,
    what: string,
  ) {
    super(`${what} has ${chars} characters; the limit is ${limit} (maxMessageChars of the conversation store)`);
  }
}

/** A run's note of what it reads first is gone or short: as a missing body, it fails the step for good. */
export class MissingEarlierError extends MissingBodyError {
  constructor(runId: string, expected: number, found: number) {
    super(runId, 0, EARLIER_NOTE);
    this.message = `run "${runId}" begins with ${expected} earlier parts of its context, but its note in the conversation store lists ${found} (pruned or deleted?)`;
  }
}

/** A run's conversation as read so far: every record below `upTo`, whole (older runs may have gaps). */
interface HeldConversation {
  upTo: number;
  messages: ChatMessage[];
}

const DEFAULT_CACHE_CHARS = 64_000_000;
const textSize = (m: ChatMessage) => m.content.length + 200;

/**
 * Where conversations live, outside workflow history. Activities write what a message says once
 * (`putBody`) and read conversations by reference (`conversation`); readers make records whole
 * (`complete`, `read`). Everything stored is immutable, so what a worker has read once it keeps
 * in memory (bounded) and a long run's turn reads only what is new since the last one.
 */
export class ConversationStore {
  private readonly bodies: Lru<string, MessageBody>;
  private readonly held: Lru<string, HeldConversation>;
  /** What runs that begin with earlier conversation read before their own, by run id: it never changes. */
  private readonly earlierHeld: Lru<string, ChatMessage[]>;

  constructor(
    readonly backend: StoreBackend,
    private readonly options: ConversationStoreOptions = {},
  ) {
    const budget = options.cacheChars ?? DEFAULT_CACHE_CHARS;
    this.bodies = new Lru(budget / 4, (b) => b.content.length + (b.toolCalls ? JSON.stringify(b.toolCalls).length : 0) + 100);
    this.held = new Lru(budget, (c) => c.messages.reduce((sum, m) => sum + textSize(m), 0));
    this.earlierHeld = new Lru(budget / 4, (messages) => messages.reduce((sum, m) => sum + textSize(m), 0));
  }

  /** Where the store is: a folder, or a URL without its password. */
  get location(): string {
    return this.backend.location;
  }

  get maxMessageChars(): number {
    return this.options.maxMessageChars ?? DEFAULT_MAX_MESSAGE_CHARS;
  }

  /** Refuses a message longer than the store takes; `what` names it in the error ("agent \"writer\"'s reply"). */
  checkSize(text: string, what: string): void {
    if (text.length > this.maxMessageChars) throw new MessageTooLargeError(text.length, this.maxMessageChars, what);
  }

  /** A key no body has yet, for a body written with something that names it (see putBody's `alongside`). */
  newBodyKey(runId: string): string {
    return `${runId}/${randomUUID()}`;
  }

  /**
   * Stores what a message says under a new key (or `key`, from newBodyKey), and answers the key. `alongside`: values written
   * in the same round trip, each under its key unless something is there already (as putFirst).
   */
  async putBody(runId: string, body: MessageBody, alongside: Record<string, unknown> = {}, key = this.newBodyKey(runId)): Promise<string> {
    const more = await Promise.all(
      Object.entries(alongside).map(async ([at, value]) => ({ key: at, runId, data: await sealBytes(value, this.options.codec) })),
    );
    await this.backend.putBodies([{ key, runId, data: await sealBytes(body, this.options.codec) }, ...more]);
    this.bodies.set(key, body);
    return key;
  }

  /** Writes a run's records (messages with what they say left out where the store has it). */
  async putRecords(runId: string, records: ChatMessage[]): Promise<void> {
    if (records.length === 0) return;
    const sealed = await Promise.all(records.map(async (r) => ({ index: r.index, data: await sealBytes(r, this.options.codec) })));
    await this.backend.putRecords(runId, sealed);
  }

  /**
   * The conversation an activity was given: the records it carries written first (idempotent,
   * the same on every attempt), then messages 0 to count - 1, whole.
   */
  async conversation(ref: ConversationRef): Promise<ChatMessage[]> {
    await this.putRecords(ref.runId, ref.unstored);
    let held = this.held.get(ref.runId) ?? { upTo: 0, messages: [] };
    if (held.upTo < ref.count) {
      const carriedFrom = ref.unstored[0]?.index ?? ref.count;
      const older = held.upTo < carriedFrom ? await this.readRecords(ref.runId, held.upTo, Math.min(carriedFrom, ref.count)) : [];
      const fresh = [...older, ...ref.unstored.filter((r) => r.index >= held.upTo && r.index < ref.count)];
      const whole = await this.complete(ref.runId, fresh);
      // Another call for the same run (a retry beside a late attempt) may have read meanwhile:
      // what it added is kept, and only what is still missing is added, to a new copy.
      const now = this.held.get(ref.runId) ?? { upTo: 0, messages: [] };
      held = now.upTo >= ref.count ? now : { upTo: ref.count, messages: [...now.messages, ...whole.filter((m) => m.index >= now.upTo)] };
      this.held.set(ref.runId, held);
    }
    const own = held.messages.filter((m) => m.index < ref.count);
    return ref.earlier ? [...(await this.earlier(ref.runId, ref.earlier)), ...own] : own;
  }

  /**
   * What a run reads before its own messages: the earlier parts its `earlier` note lists (see
   * core/earlier.ts), each read from its run's records, whole. Ended runs never change, so this is
   * read once per worker and kept.
   */
  async earlier(runId: string, parts: number): Promise<ChatMessage[]> {
    const kept = this.earlierHeld.get(runId);
    if (kept) return kept;
    const listed = (await this.runNote<EarlierPart[]>(runId, EARLIER_NOTE)) ?? [];
    if (listed.length !== parts) throw new MissingEarlierError(runId, parts, listed.length);
    // Read side by side: a context of a hundred tasks is a hundred small reads.
    const read = await Promise.all(
      listed.map(async (part) => {
        const messages = await this.read(part.runId, 0, part.count);
        return part.only ? messages.filter((m) => part.only!.includes(m.index)) : messages;
      }),
    );
    const messages = read.flat();
    this.earlierHeld.set(runId, messages);
    return messages;
  }

  /** A run's records as stored (what each message says left out where the store has it). */
  async records(runId: string): Promise<ChatMessage[]> {
    return this.readRecords(runId, 0, Number.MAX_SAFE_INTEGER);
  }

  /**
   * Writes `value` under `key` unless something is there already, and answers what is kept: the
   * value written first, by whichever process. A claim that one writer of many wins is built on
   * it (see context-ledger.ts). `ownerId` owns the value as a run owns its bodies, for pruning.
   */
  async putFirst<T>(ownerId: string, key: string, value: T): Promise<T> {
    await this.backend.putBodies([{ key, runId: ownerId, data: await sealBytes(value, this.options.codec) }]);
    const kept = (await this.firstValues<T>([key])).get(key);
    if (kept === undefined) throw new Error(`the store kept nothing under "${key}" just written`);
    return kept;
  }

  /** The values putFirst kept under `keys`; a key with none is absent from the map. */
  async firstValues<T>(keys: string[]): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    for (const [key, data] of await this.backend.getBodies(keys)) found.set(key, await unsealBytes<T>(data, this.options.codec));
    return found;
  }

  /** Messages `from <= index < to` of a run as stored, whole; indexes never stored are left out. */
  async read(runId: string, from: number, to: number): Promise<ChatMessage[]> {
    const held = this.held.get(runId);
    if (held && held.upTo >= to) return held.messages.filter((m) => m.index >= from && m.index < to);
    return this.complete(runId, await this.readRecords(runId, from, to));
  }

  /** Records made whole with what they say; a missing body fails naming the run and the message. */
  async complete(runId: string, records: ChatMessage[]): Promise<ChatMessage[]> {
    const wanted = [...new Set(records.flatMap(bodyKeysOf))].filter((key) => this.bodies.get(key) === undefined);
    const found = new Map<string, MessageBody>();
    if (wanted.length > 0) {
      const stored = await this.backend.getBodies(wanted);
      for (const [key, data] of stored) {
        const body = await unsealBytes<MessageBody>(data, this.options.codec);
        this.bodies.set(key, body);
        found.set(key, body);
      }
    }
    return records.map((r) => withBody(runId, r, (key) => found.get(key) ?? this.bodies.get(key)));
  }

  /**
   * A small value kept beside a run (not a message of it), replaced whole on each write: the
   * record at index 0 of the nested id `<run>/<name>`, so pruning takes it with its run.
   */
  async putRunNote(runId: string, name: string, value: unknown): Promise<void> {
    await this.backend.putRecords(`${runId}/${name}`, [{ index: 0, data: await sealBytes(value, this.options.codec) }]);
  }

  /** The note `name` kept beside a run, or null when none was written. */
  async runNote<T>(runId: string, name: string): Promise<T | null> {
    const [record] = await this.backend.getRecords(`${runId}/${name}`, 0, 1);
    return record ? unsealBytes<T>(record.data, this.options.codec) : null;
  }

  async close(): Promise<void> {
    await this.backend.close();
  }

  private async readRecords(runId: string, from: number, to: number): Promise<ChatMessage[]> {
    const stored = await this.backend.getRecords(runId, from, to);
    return Promise.all(stored.map((r) => unsealBytes<ChatMessage>(r.data, this.options.codec)));
  }
}
