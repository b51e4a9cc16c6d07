import type { PastRun } from '../core/earlier';
import type { ConversationStore } from './conversation-store';

/** One task of a context, in the order they came: its run, and the runs of the context before it. */
export interface ContextEntry {
  runId: string;
  before: PastRun[];
}

/**
 * A context by its id and whose it is. With bearer auth each caller's contexts are its own (the
 * owner is its token name): bob's context "x" is not alice's "x", and he learns nothing of hers.
 * Without auth (and for the CLI) `owner` is null: one shared namespace, keyed by the id alone, as
 * every context was before contexts had owners.
 */
export interface ContextName {
  contextId: string;
  owner: string | null;
}

/** Where a context's entries are kept: the shared namespace as it always was, an owner's apart from it. */
const keyOf = ({ contextId, owner }: ContextName): string =>
  owner === null ? `context/${contextId}` : `context-of/${encodeURIComponent(owner)}/${contextId}`;

/** Entries read per round trip: a context of 100 tasks costs two reads. */
const BATCH = 64;

/**
 * The tasks of each A2A context, one after another, in the conversation store: entry n is the
 * context's n-th task, written once, by whoever claims it first. Two front ends starting a task in
 * the same context at the same moment both aim at the next free entry and only one gets it, so a
 * context's conversation never forks. Each entry lists every run before it, so a new task reads
 * one entry, not the whole chain. Sealed with the codec like everything else the store keeps.
 *
 * An entry belongs to its task's run, so `prune` takes it with the run: a context lives as long as
 * its tasks. Pruning goes oldest first, so the newest entry is what is left; a batch with none
 * found ends the search.
 */
export class ContextLedger {
  constructor(private readonly store: ConversationStore) {}

  /**
   * The context's newest task and its position, or null for a context with none. The search
   * starts at the position the last claim noted (a hint, which may lag behind a claim made just
   * now or be gone), so a long context costs a read or two, not one for each of its tasks.
   */
  async newest(context: ContextName): Promise<{ index: number; entry: ContextEntry } | null> {
    const key = keyOf(context);
    const hint = (await this.store.runNote<number>(hintOwner(key), HINT_NOTE)) ?? 0;
    return (await this.searchFrom(key, hint)) ?? (hint > 0 ? this.searchFrom(key, 0) : null);
  }

  private async searchFrom(key: string, start: number): Promise<{ index: number; entry: ContextEntry } | null> {
    let newest: { index: number; entry: ContextEntry } | null = null;
    for (let from = start; ; from += BATCH) {
      const keys = Array.from({ length: BATCH }, (_, i) => entryKey(key, from + i));
      const found = await this.store.firstValues<ContextEntry>(keys);
      if (found.size === 0) return newest;
      keys.forEach((key, i) => {
        const entry = found.get(key);
        if (entry) newest = { index: from + i, entry };
      });
      // Entries are claimed in order: a batch that ends before it is full is the last one.
      if (!found.has(keys.at(-1)!)) return newest;
    }
  }

  /** Claims entry `index` for `entry`; false when another task got it first. */
  async claim(context: ContextName, index: number, entry: ContextEntry): Promise<boolean> {
    const key = keyOf(context);
    const kept = await this.store.putFirst(entry.runId, entryKey(key, index), entry);
    if (kept.runId !== entry.runId) return false;
    await this.store.putRunNote(hintOwner(key), HINT_NOTE, index);
    return true;
  }
}

const entryKey = (key: string, index: number) => `${key}/${index}`;

/** Where the position of a context's newest claim is noted; pruned, it is only looked for anew. */
const hintOwner = (key: string) => key;
const HINT_NOTE = 'newest';
