import type { PayloadCodec } from '@temporalio/common';
import { sealBytes, unsealBytes } from '../store/sealing';
import { Lru } from '../store/lru';
import type { MemoryBackend } from './memory-backend';
import type { MemoryEntry } from './memory-entry';

/** About what 20,000 entries with 1,536-dimension embeddings take: the cache's default bound. */
const DEFAULT_CACHE_BYTES = 256 * 2 ** 20;

/** An entry that cannot be opened: sealed with keys this process lacks, say. */
export class MemoryUnreadableError extends Error {
  override readonly name = 'MemoryUnreadableError';
}

/** What is sealed of an entry: its text and embedding (a vector says something of the text too). */
interface SealedEntry {
  v: 1;
  text: string;
  /** Float32 values, base64: a quarter of the size of a JSON array of numbers. */
  embedding?: string;
}

/**
 * Memory entries, sealed with the payload codec as the conversation store's bodies are: with the
 * codec on, a backend holds no entry text in plaintext. Searching therefore happens here, in the
 * process, after decryption (keywords and similarity alike): fine for the 10,000 entries a scope
 * is expected to hold, and no index in the database could see into the ciphertext anyway.
 */
export class MemoryStore {
  /** Entries this process has decrypted, by namespace and id. */
  private readonly opened: Lru<string, MemoryEntry>;

  constructor(
    readonly backend: MemoryBackend,
    private readonly options: { codec?: PayloadCodec; cacheBytes?: number } = {},
  ) {
    this.opened = new Lru(options.cacheBytes ?? DEFAULT_CACHE_BYTES, (e) => 2 * e.text.length + 8 * (e.embedding?.length ?? 0) + 200);
  }

  get location(): string {
    return this.backend.location;
  }

  /** Adds an entry; an id already in its scope keeps what it has (a retried write writes once). */
  async add(entry: MemoryEntry): Promise<void> {
    await this.addAll([entry]);
  }

  async addAll(entries: readonly MemoryEntry[]): Promise<void> {
    const sealed = await Promise.all(
      entries.map(async (entry) => {
        const value: SealedEntry = { v: 1, text: entry.text, ...(entry.embedding ? { embedding: packVector(entry.embedding) } : {}) };
        return {
          id: entry.id,
          namespace: entry.scope,
          createdAt: new Date(entry.createdAt),
          data: await sealBytes(value, this.options.codec),
        };
      }),
    );
    await this.backend.putEntries(sealed);
  }

  /**
   * A scope's entries, decrypted, newest first. An entry never changes once written, so the ones
   * this process has opened are kept (bounded) and a lookup fetches and decrypts only new ones.
   */
  async entries(namespace: string): Promise<MemoryEntry[]> {
    const listed = await this.backend.listIds(namespace);
    const cacheKey = (id: string) => `${namespace}\n${id}`;
    const missing = listed.filter((l) => this.opened.get(cacheKey(l.id)) === undefined).map((l) => l.id);
    const fresh = new Map<string, MemoryEntry>();
    for (const s of await this.backend.getEntries(namespace, missing)) {
      const value = await this.unseal(s.id, namespace, s.data);
      const entry: MemoryEntry = {
        id: s.id,
        scope: namespace,
        text: value.text,
        createdAt: s.createdAt.getTime(),
        ...(value.embedding ? { embedding: unpackVector(value.embedding) } : {}),
      };
      fresh.set(s.id, entry);
      this.opened.set(cacheKey(s.id), entry);
    }
    // An entry forgotten between the two reads is simply left out.
    return listed.flatMap((l) => fresh.get(l.id) ?? this.opened.get(cacheKey(l.id)) ?? []);
  }

  /** An entry's sealed value; a reader without the codec's keys is told which setting it lacks. */
  private async unseal(id: string, namespace: string, data: Uint8Array): Promise<SealedEntry> {
    try {
      return await unsealBytes<SealedEntry>(data, this.options.codec);
    } catch (err) {
      const hint = this.options.codec ? '' : '; it looks sealed: set DURABLE_TEAMS_CODEC_KEYS as the workers have it';
      throw new MemoryUnreadableError(
        `memory entry "${id}" of ${namespace} in ${this.location} cannot be read: ${(err as Error).message}${hint}`,
        {
          cause: err,
        },
      );
    }
  }

  /** Removes every entry of a scope; answers how many there were. */
  async forget(namespace: string): Promise<number> {
    // Ids are never reused, so entries of this scope still cached can only be listed again if written again.
    return this.backend.forget(namespace);
  }

  async close(): Promise<void> {
    await this.backend.close();
  }
}

function packVector(vector: readonly number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

function unpackVector(packed: string): number[] {
  // Copied into a buffer of its own: a pooled Buffer's offset may not be a multiple of 4.
  const bytes = new Uint8Array(Buffer.from(packed, 'base64'));
  return Array.from(new Float32Array(bytes.buffer));
}
