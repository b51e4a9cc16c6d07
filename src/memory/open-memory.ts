import { parseStoreUrl } from '../store/store-url';
import { FileMemory } from './file-memory';
import { InProcessMemory } from './in-process-memory';
import type { MemoryBackend } from './memory-backend';
import { PostgresMemory } from './postgres-memory';

/**
 * Memory beside the conversation store a URL names (DURABLE_TEAMS_STORE, see open-store.ts): the
 * folder's `memory/` subfolder, the same PostgreSQL database (table memory_entries), or this
 * process (`memory:`). A wrong URL fails here with the store's own errors.
 */
export async function openMemoryBackend(url: string | undefined, options: { cwd?: string } = {}): Promise<MemoryBackend> {
  const target = parseStoreUrl(url, options.cwd);
  switch (target.kind) {
    case 'memory':
      return new InProcessMemory();
    case 'file':
      return FileMemory.open(target.folder);
    case 'postgres':
      return PostgresMemory.open(target.url);
  }
}
