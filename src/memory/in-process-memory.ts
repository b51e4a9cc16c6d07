import { newestFirst, type ListedMemoryEntry, type MemoryBackend, type StoredMemoryEntry } from './memory-backend';

/** Memory in this process, for the `memory:` store URL (tests): lost when the process exits. */
export class InProcessMemory implements MemoryBackend {
  readonly location = 'memory';
  private readonly namespaces = new Map<string, Map<string, StoredMemoryEntry>>();

  async putEntries(entries: StoredMemoryEntry[]): Promise<void> {
    for (const entry of entries) {
      const held = this.namespaces.get(entry.namespace) ?? new Map<string, StoredMemoryEntry>();
      if (!held.has(entry.id)) held.set(entry.id, entry);
      this.namespaces.set(entry.namespace, held);
    }
  }

  async listIds(namespace: string): Promise<ListedMemoryEntry[]> {
    return [...(this.namespaces.get(namespace)?.values() ?? [])].map(({ id, createdAt }) => ({ id, createdAt })).sort(newestFirst);
  }

  async getEntries(namespace: string, ids: readonly string[]): Promise<StoredMemoryEntry[]> {
    const held = this.namespaces.get(namespace);
    return ids.flatMap((id) => held?.get(id) ?? []);
  }

  async forget(namespace: string): Promise<number> {
    const count = this.namespaces.get(namespace)?.size ?? 0;
    this.namespaces.delete(namespace);
    return count;
  }

  async close(): Promise<void> {}
}
