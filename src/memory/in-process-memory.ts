import { newestFirst, type MemoryBackend, type StoredMemoryEntry } from './memory-backend';

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

  async listEntries(namespace: string): Promise<StoredMemoryEntry[]> {
    return [...(this.namespaces.get(namespace)?.values() ?? [])].sort(newestFirst);
  }

  async forget(namespace: string): Promise<number> {
    const count = this.namespaces.get(namespace)?.size ?? 0;
    this.namespaces.delete(namespace);
    return count;
  }

  async close(): Promise<void> {}
}
