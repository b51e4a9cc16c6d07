import type { DataConverter } from '@temporalio/common';
import type { LiveChannel } from '../live/channel';
import { LocalLiveChannel } from '../live/local-channel';
import { PostgresLiveChannel } from '../live/postgres-channel';
import { RamLiveChannel } from '../live/ram-channel';
import { FileMemory } from '../memory/file-memory';
import { InProcessMemory } from '../memory/in-process-memory';
import type { MemoryBackend } from '../memory/memory-backend';
import { PostgresMemory } from '../memory/postgres-memory';
import type { StoreBackend } from '../store/backend';
import { FileBackend, type FileBackendOptions } from '../store/file-backend';
import { openOnFirstUse } from '../store/open-on-first-use';
import { PostgresBackend } from '../store/postgres-backend';
import { RamBackend } from '../store/ram-backend';
import { singleCodec } from '../store/sealing';
import type { ConversationStore } from '../store/conversation-store';
import type { MemoryStore } from '../memory/memory-store';
import { conversationStoreOn, memoryStoreOn } from './sealed-stores';
import { SharedPool } from '../store/shared-pool';
import { parseStoreUrl, type StoreTarget } from '../store/store-url';

/** A store's parts, sealed with one codec (see StoreSite.sealed). */
export interface SealedSite {
  readonly conversations: ConversationStore;
  readonly memory: MemoryStore;
  readonly live: LiveChannel;
}

/**
 * The one place a store URL is opened: everything this process keeps where the URL points —
 * conversations, agents' memory, the live channel between workers and readers, and (through
 * `postgres`) other tables beside them — with one parse of the URL and, for PostgreSQL, one pool
 * for all of them. A process has one site per store (see `of`), so a worker and a client that
 * name the same store share it.
 *
 * Forms of the URL (store-url.ts): undefined → the folder `.durable-teams/conversations` under
 * `cwd`; `file:PATH` or a plain path → that folder (memory in its `memory/` subfolder, live items
 * through Unix sockets beside it); `postgres://` or `postgresql://` → PostgreSQL (memory in table
 * memory_entries, live items through LISTEN/NOTIFY); `memory:` → this process's RAM. A bad URL is
 * a StoreConfigError here; a store that is down, a StoreUnavailableError when a part opens.
 * Neither shows the password.
 */
export class StoreSite {
  private static readonly sites = new Map<string, StoreSite>();

  /** The process's site for the store `url` names (relative paths resolved against `cwd`). */
  static of(url: string | undefined, cwd?: string): StoreSite {
    const target = parseStoreUrl(url, cwd);
    const key = target.kind === 'file' ? `file:${target.folder}` : target.kind === 'postgres' ? target.url : 'memory:';
    let site = StoreSite.sites.get(key);
    if (!site) StoreSite.sites.set(key, (site = new StoreSite(target)));
    return site;
  }

  /** Where the store is, for messages and logs: a folder, `memory`, or the URL with its password as ***. */
  readonly location: string;
  /** The process's pool to a PostgreSQL store, for tables kept beside it (the quotas' counts); null otherwise. */
  readonly postgres: SharedPool | null;
  /** The conversations of every user in the process that was given none, opened on first use. */
  readonly conversations: StoreBackend & { opened(): Promise<StoreBackend> };
  /** The agents' memory beside the conversations, opened on first use: teams that keep none never open it. */
  readonly memory: MemoryBackend & { opened(): Promise<MemoryBackend> };

  private readonly liveChannels = new Map<string, LiveChannel>();
  private readonly sealedLiveChannels = new WeakMap<DataConverter, LiveChannel>();

  private constructor(readonly target: StoreTarget) {
    this.location = target.kind === 'file' ? target.folder : target.kind === 'memory' ? 'memory' : target.location;
    this.postgres = target.kind === 'postgres' ? new SharedPool(target.url) : null;
    this.conversations = openOnFirstUse(this.location, () => this.openConversations(), {
      putBodies: true,
      getBodies: true,
      putRecords: true,
      getRecords: true,
      deleteRuns: true,
      listRuns: true,
    });
    const memoryLocation = target.kind === 'file' ? FileMemory.folderBeside(target.folder) : this.location;
    this.memory = openOnFirstUse(memoryLocation, () => this.openMemory(), {
      putEntries: true,
      listIds: true,
      getEntries: true,
      forget: true,
    });
  }

  /**
   * Conversations of the caller's own, opened and checked now (PostgreSQL: connected once and
   * tables created), so a wrong URL or a store that is down fails here rather than at the first message.
   */
  openConversations(file?: FileBackendOptions): Promise<StoreBackend> {
    switch (this.target.kind) {
      case 'memory':
        return Promise.resolve(new RamBackend());
      case 'file':
        return FileBackend.open(this.target.folder, file);
      case 'postgres':
        return PostgresBackend.openOn(this.postgres!);
    }
  }

  /** Memory of the caller's own, opened now (PostgreSQL: its table created). */
  openMemory(): Promise<MemoryBackend> {
    switch (this.target.kind) {
      case 'memory':
        return Promise.resolve(new InProcessMemory());
      case 'file':
        return FileMemory.open(this.target.folder);
      case 'postgres':
        return PostgresMemory.openOn(this.postgres!);
    }
  }

  /**
   * What this process keeps at the store, sealed with the data converter's codec (the one the
   * runs' histories are sealed with), as workers and clients use it: its conversations, its
   * agents' memory and its live channel, each opened on first use, all on the site's one pool.
   * `env`: where the message size limit is read (see conversationStoreOn).
   */
  sealed(dataConverter?: DataConverter, env: Record<string, string | undefined> = process.env): SealedSite {
    // Getters: a part nobody asks for (memory, for teams that keep none) is never made.
    const conversations = () => conversationStoreOn(this.conversations, dataConverter, env);
    const memory = () => memoryStoreOn(this.memory, dataConverter);
    const live = () => this.liveChannel(dataConverter);
    return {
      get conversations() {
        return conversations();
      },
      get memory() {
        return memory();
      },
      get live() {
        return live();
      },
    };
  }

  /**
   * The live channel beside the store, sealed with the data converter's codec as the store is:
   * one per converter, shared by the process's workers and readers. PostgreSQL's LISTEN/NOTIFY
   * (workers and front ends are separate processes there) on sessions of its own, not the pool's:
   * a listening session is held for as long as anyone watches. With the folder, Unix sockets beside
   * it reach every process of this user using it; with `memory:`, this process's RAM.
   */
  liveChannel(dataConverter?: DataConverter): LiveChannel {
    const target = this.target;
    // RAM holds no text anywhere but in this process: no sealing needed, one channel for all.
    if (target.kind === 'memory') return this.remember(this.liveChannels, 'ram', () => new RamLiveChannel());
    const codec = singleCodec(dataConverter?.payloadCodecs);
    const make = () =>
      target.kind === 'postgres' ? new PostgresLiveChannel(target.url, codec) : new LocalLiveChannel(target.folder, codec);
    if (!codec || !dataConverter) return this.remember(this.liveChannels, 'plain', make);
    let channel = this.sealedLiveChannels.get(dataConverter);
    if (!channel) this.sealedLiveChannels.set(dataConverter, (channel = make()));
    return channel;
  }

  private remember(channels: Map<string, LiveChannel>, key: string, make: () => LiveChannel): LiveChannel {
    let channel = channels.get(key);
    if (!channel) channels.set(key, (channel = make()));
    return channel;
  }
}
