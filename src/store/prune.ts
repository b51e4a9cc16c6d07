import type { ConversationStore } from './conversation-store';

export interface PruneOptions {
  /** Whether Temporal has forgotten the run (no such workflow: past the namespace's retention). */
  isRunGone(runId: string): Promise<boolean>;
  /** Only runs with nothing written since then are considered. */
  updatedBefore?: Date;
  /** Report what would be deleted, delete nothing. */
  dryRun?: boolean;
}

export interface PruneResult {
  /** How many stored runs were looked at. */
  checked: number;
  /** The runs deleted (or, in a dry run, that would be). */
  deleted: string[];
  /**
   * Runs Temporal forgot that are kept whole all the same: a run that stays points at their bodies
   * (a fork of them), or they are nested in one that stays (its note, written before its last record).
   */
  kept: string[];
}

/**
 * The note a fork writes beside itself before it starts: the runs whose stored bodies its records
 * point at (the run it was forked from, and the runs that one shares, so a fork of a fork names
 * the first original too). Written once, never changed; nested in the fork's id, so it goes with it.
 */
export const SHARED_BODIES_NOTE = 'shares-bodies-of';

const DELETE_BATCH = 100;
const PARALLEL_READS = 16;

/**
 * Deletes the stored conversations of runs Temporal no longer knows. A nested run's id is its
 * outer run's id + '/' + more (`outer/turn-3/inner`), and the outer run's transcript shows what
 * the inner one said, so a nested run goes only when it and every run its id is nested in are gone.
 *
 * A fork's records point at the bodies of the run it was forked from (nothing is copied), and the
 * original, being older, passes Temporal's retention first. So the runs a kept fork's note names
 * are kept too, whole (see keptForForks). Every note is read, whatever the age of its fork: a
 * fork written to lately is not among the runs `updatedBefore` considers, yet it still reads its
 * original. That is one small read per fork in the store; runs without a note (any run begun
 * before forks, any run never forked) cost nothing more.
 */
export async function pruneStore(store: ConversationStore, options: PruneOptions): Promise<PruneResult> {
  const backend = store.backend;
  const stored = await backend.listRuns();
  const { updatedBefore } = options;
  const candidates = updatedBefore ? stored.filter((r) => r.updatedAt < updatedBefore) : stored;
  const answers = new Map<string, Promise<boolean>>(); // one question per id, however many nested runs share it
  const isGone = (runId: string) => {
    if (!answers.has(runId)) answers.set(runId, options.isRunGone(runId));
    return answers.get(runId)!;
  };

  const gone: string[] = [];
  for (const { runId } of candidates) {
    let allGone = true;
    for (const owner of runAndOuterRuns(runId)) {
      if (!(await isGone(owner))) {
        allGone = false;
        break;
      }
    }
    if (allGone) gone.push(runId);
  }

  const suffix = `/${SHARED_BODIES_NOTE}`;
  const notes = stored.map((r) => r.runId).filter((id) => id.endsWith(suffix));
  const shares = new Map<string, string[]>();
  for (let i = 0; i < notes.length; i += PARALLEL_READS) {
    await Promise.all(
      notes.slice(i, i + PARALLEL_READS).map(async (note) => {
        const runs = sharedRunsOf(await store.runNote<unknown>(note.slice(0, -suffix.length), SHARED_BODIES_NOTE));
        if (runs.length > 0) shares.set(note, runs);
      }),
    );
  }
  const { deleted, kept } = keptForForks(
    stored.map((r) => r.runId),
    gone,
    shares,
  );
  if (!options.dryRun) {
    for (let i = 0; i < deleted.length; i += DELETE_BATCH) await backend.deleteRuns(deleted.slice(i, i + DELETE_BATCH));
  }
  return { checked: candidates.length, deleted, kept };
}

/**
 * Which of the runs Temporal forgot (`gone`, each with every run its id is nested in) are deleted,
 * and which are kept because a run that stays still points at their bodies. `shares` maps each
 * stored fork note (`<fork>/shares-bodies-of`) to the runs it names.
 *
 * A note that stays keeps the runs it names, each whole with what is nested in it (its own notes,
 * its nested teams, whose bodies its records may point at); an entry nested in a run that stays
 * stays with it (so a kept fork keeps its note). Repeated until nothing more is kept, so a chain of
 * forks of any depth holds: the last fork alive keeps the one before it, whose note keeps the one
 * before that. A kept original is kept whole rather than stripped to its bodies: its records are
 * small, no backend needs a new way to delete, and it can then be read and forked from the store
 * as before; it goes at the prune after its last fork has gone.
 */
export function keptForForks(
  stored: readonly string[],
  gone: readonly string[],
  shares: ReadonlyMap<string, readonly string[]>,
): { deleted: string[]; kept: string[] } {
  const goneSet = new Set(gone);
  const staying = new Set(stored.filter((id) => !goneSet.has(id)));
  const shared = new Set<string>();
  const keeps = (id: string) => runAndOuterRuns(id).some((owner, i) => shared.has(owner) || (i > 0 && staying.has(owner)));
  for (let more = true; more;) {
    more = false;
    for (const [note, runs] of shares) {
      if (!staying.has(note)) continue;
      for (const run of runs) {
        if (shared.has(run)) continue;
        shared.add(run);
        more = true;
      }
    }
    for (const id of gone) {
      if (staying.has(id) || !keeps(id)) continue;
      staying.add(id);
      more = true;
    }
  }
  return { deleted: gone.filter((id) => !staying.has(id)), kept: gone.filter((id) => staying.has(id)) };
}

/** The runs a note names, or none when it is not a list of run ids (a nested run named like the note). */
function sharedRunsOf(value: unknown): string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : [];
}

/** `a/turn-3/inner` → `a/turn-3/inner`, `a/turn-3`, `a`: the run first, as it is most often alive. */
export function runAndOuterRuns(runId: string): string[] {
  const owners = [runId];
  for (let cut = runId.lastIndexOf('/'); cut > 0; cut = runId.lastIndexOf('/', cut - 1)) owners.push(runId.slice(0, cut));
  return owners;
}
