import { MEMORY_SCOPES, type MemoryScope } from '../spec/memory';
import { TEAM_NAME_PATTERN } from '../spec/team';
import { memoryNamespace, type MemoryEntry } from './memory-entry';
import type { MemoryStore } from './memory-store';

/** A scope named on the command line that cannot be: says which part is wrong and what to write. */
export class MemoryScopeError extends Error {
  override readonly name = 'MemoryScopeError';
}

/** What `memory list` and `memory forget` address: one scope of one team. */
export interface ScopeAddress {
  team: string;
  scope?: string;
  key?: string;
}

/**
 * The namespace an address names. `team` scope needs no key (it is the team's own); `context`
 * takes the A2A context id (or the run id of a run without one), `user` the user key as the runs
 * got it (over A2A with bearer auth: "<token name>:<user>").
 */
export function namespaceAt(address: ScopeAddress): string {
  if (!TEAM_NAME_PATTERN.test(address.team)) throw new MemoryScopeError(`--team: "${address.team}" is not a team name`);
  const scope = (address.scope ?? 'team') as MemoryScope;
  if (!MEMORY_SCOPES.includes(scope)) throw new MemoryScopeError(`--scope: expected team, context or user, not "${address.scope}"`);
  if (scope === 'team') {
    if (address.key !== undefined && address.key !== address.team)
      throw new MemoryScopeError('--key: the team scope has no key of its own (it is the team); leave --key out');
    return memoryNamespace(address.team, scope, address.team);
  }
  if (!address.key) {
    const what = scope === 'context' ? 'the context id (or the run id of a run without one)' : 'the user key';
    throw new MemoryScopeError(`--key: the ${scope} scope needs ${what}`);
  }
  return memoryNamespace(address.team, scope, address.key);
}

/** The scope's entries, newest first. */
export async function listMemory(store: MemoryStore, address: ScopeAddress): Promise<MemoryEntry[]> {
  return store.entries(namespaceAt(address));
}

/** Removes the scope's entries; answers how many there were. */
export async function forgetMemory(store: MemoryStore, address: ScopeAddress): Promise<number> {
  return store.forget(namespaceAt(address));
}
