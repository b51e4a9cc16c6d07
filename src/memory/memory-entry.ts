import type { MemoryScope } from '../spec/memory';

/** One thing an agent keeps: what `remember` wrote, as a reader gets it back (decrypted). */
export interface MemoryEntry {
  /** Unique within its scope; a write of an id already there changes nothing. */
  id: string;
  /** The namespace it belongs to (see memoryNamespace). */
  scope: string;
  text: string;
  /** Epoch ms. */
  createdAt: number;
  /** The text's embedding, when the memory had an embeddings endpoint as it was written. */
  embedding?: number[];
}

/**
 * Where a scope's entries are kept: `<team>/<scope>/<key>`. Team names have no "/" and scopes
 * are fixed words, so two different (team, scope, key) never share a namespace.
 */
export function memoryNamespace(team: string, scope: MemoryScope, key: string): string {
  return `${team}/${scope}/${key}`;
}
