import type { FailedAttempt } from '../core/failed-attempt';
import type { ConversationStore } from './conversation-store';

/** The most failed attempts a reader is given per run: the newest. */
export const KEPT_FAILED_ATTEMPTS = 200;

/** Entries read per round trip while looking for the newest. */
const BATCH = 64;

/** Claims given up on at once: only this many writers racing for one run could each lose one. */
const MAX_CLAIMS = 64;

/** Where the position of a run's newest entry is noted (a hint: it may lag behind a claim made just now). */
const HINT_NOTE = 'failed-attempts';

const entryKey = (runId: string, index: number) => `${runId}/failed-attempt/${index}`;

/**
 * Why each attempt of a run's steps failed, oldest first, in the conversation store.
 *
 * Entry n is the run's n-th failed attempt, written once under its own key by whichever worker
 * claims n first (putFirst), as ContextLedger claims a context's tasks. Not a run note rewritten
 * whole: two attempts of one run fail at the same moment as a rule, not by bad luck (tool calls run
 * side by side, often on two workers, and fail together when what they call is down), and a
 * read-modify-write would keep one of the two; in the folder store every rewrite would also append
 * the whole list again. Nor a new append method on each backend: this needs none. A run's entries
 * grow by one small sealed value per failed attempt, bounded by its retry policies (eight attempts
 * a step by default), and go with the run when it is pruned (they are its bodies); a reader takes
 * the newest KEPT_FAILED_ATTEMPTS. With the codec on, entries are sealed like everything stored.
 */
export class AttemptLog {
  constructor(private readonly store: ConversationStore) {}

  /** Adds a failed attempt after the run's newest. */
  async append(runId: string, failed: FailedAttempt): Promise<void> {
    const mine = JSON.stringify(failed);
    let index = ((await this.newestIndex(runId)) ?? -1) + 1;
    for (let claims = 0; claims < MAX_CLAIMS; claims++, index++) {
      const kept = await this.store.putFirst(runId, entryKey(runId, index), failed);
      if (JSON.stringify(kept) !== mine) continue; // another worker's attempt took this place: the next is free
      await this.store.putRunNote(runId, HINT_NOTE, index);
      return;
    }
    throw new Error(`run "${runId}": ${MAX_CLAIMS} places in its log of failed attempts were taken at once`);
  }

  /** The run's newest failed attempts, at most `limit` (and KEPT_FAILED_ATTEMPTS), oldest first; none for a run with none (or no such run). */
  async newest(runId: string, limit = KEPT_FAILED_ATTEMPTS): Promise<FailedAttempt[]> {
    const newest = await this.newestIndex(runId);
    if (newest === null || limit <= 0) return [];
    const keys = Array.from({ length: Math.min(limit, KEPT_FAILED_ATTEMPTS, newest + 1) }, (_, i) => entryKey(runId, newest - i)).reverse();
    const found = await this.store.firstValues<FailedAttempt>(keys);
    return keys.flatMap((key) => found.get(key) ?? []);
  }

  /** The position of the run's newest entry, or null: searched from the hint on, and from 0 when the hint leads nowhere. */
  private async newestIndex(runId: string): Promise<number | null> {
    const noted = await this.store.runNote<number>(runId, HINT_NOTE);
    // No hint: most runs never fail a step, and entries begin at 0 with no gaps, so one read says so
    // (a GetTask asks this of every run, and a burst of them must not cost a batch of reads each).
    if (noted === null && !(await this.store.firstValues<FailedAttempt>([entryKey(runId, 0)])).size) return null;
    const hint = noted ?? 0;
    return (await this.searchFrom(runId, hint)) ?? (hint > 0 ? this.searchFrom(runId, 0) : null);
  }

  private async searchFrom(runId: string, start: number): Promise<number | null> {
    let newest: number | null = null;
    for (let from = start; ; from += BATCH) {
      const keys = Array.from({ length: BATCH }, (_, i) => entryKey(runId, from + i));
      const found = await this.store.firstValues<FailedAttempt>(keys);
      keys.forEach((key, i) => {
        if (found.has(key)) newest = from + i;
      });
      // Entries are claimed in order, with no gaps: a batch that ends before it is full is the last one.
      if (!found.has(keys.at(-1)!)) return newest;
    }
  }
}
