import type { DataConverter } from '@temporalio/common';
import { singleCodec } from '../store/default-store';
import { storeUrlFrom } from '../store/open-store';
import { parseStoreUrl, redactStoreUrl } from '../store/store-url';
import type { ListedMemoryEntry, MemoryBackend, StoredMemoryEntry } from './memory-backend';
import { MemoryStore } from './memory-store';
import { openMemoryBackend } from './open-memory';

/**
 * Memory opened on first use, beside the store the environment names: a worker whose teams
 * keep no memory never opens it (and, on PostgreSQL, never creates its table).
 */
class LazyMemoryBackend implements MemoryBackend {
  private opened: Promise<MemoryBackend> | null = null;

  constructor(
    private readonly url: string | undefined,
    private readonly cwd?: string,
  ) {}

  get location(): string {
    const target = parseStoreUrl(this.url, this.cwd);
    return target.kind === 'file' ? target.folder : target.kind === 'memory' ? 'memory' : redactStoreUrl(target.url);
  }

  private backend(): Promise<MemoryBackend> {
    this.opened ??= openMemoryBackend(this.url, { cwd: this.cwd }).catch((err: unknown) => {
      this.opened = null; // the next use tries again: the store may be up by then
      throw err;
    });
    return this.opened;
  }

  async putEntries(entries: StoredMemoryEntry[]): Promise<void> {
    return (await this.backend()).putEntries(entries);
  }
  async listIds(namespace: string): Promise<ListedMemoryEntry[]> {
    return (await this.backend()).listIds(namespace);
  }
  async getEntries(namespace: string, ids: readonly string[]): Promise<StoredMemoryEntry[]> {
    return (await this.backend()).getEntries(namespace, ids);
  }
  async forget(namespace: string): Promise<number> {
    return (await this.backend()).forget(namespace);
  }
  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = null;
    if (opened) await (await opened.catch(() => null))?.close();
  }
}

/** Memory beside the store DURABLE_TEAMS_STORE names, sealed with the data converter's codec. */
export function defaultMemoryStore(dataConverter?: DataConverter, env: Record<string, string | undefined> = process.env): MemoryStore {
  return memoryStoreAt(storeUrlFrom(env), dataConverter);
}

/** Memory beside the store `url` names (undefined: the default folder), opened on first use. */
export function memoryStoreAt(url: string | undefined, dataConverter?: DataConverter, cwd?: string): MemoryStore {
  return new MemoryStore(new LazyMemoryBackend(url, cwd), { codec: singleCodec(dataConverter?.payloadCodecs) });
}

/** Memory on an open backend, sealed with the data converter's codec (the one the runs use). */
export function memoryStoreOn(backend: MemoryBackend, dataConverter?: DataConverter): MemoryStore {
  return new MemoryStore(backend, { codec: singleCodec(dataConverter?.payloadCodecs) });
}
