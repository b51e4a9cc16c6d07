import type { StoreBackend } from './backend';

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
}

const DELETE_BATCH = 100;

/**
 * Deletes the stored conversations of runs Temporal no longer knows. A nested run's id is its
 * outer run's id + '/' + more (`outer/turn-3/inner`), and the outer run's transcript shows what
 * the inner one said, so a nested run goes only when it and every run its id is nested in are gone.
 */
export async function pruneStore(backend: StoreBackend, options: PruneOptions): Promise<PruneResult> {
  const runs = await backend.listRuns(options.updatedBefore ? { updatedBefore: options.updatedBefore } : {});
  const answers = new Map<string, Promise<boolean>>(); // one question per id, however many nested runs share it
  const isGone = (runId: string) => {
    if (!answers.has(runId)) answers.set(runId, options.isRunGone(runId));
    return answers.get(runId)!;
  };

  const deleted: string[] = [];
  for (const { runId } of runs) {
    let allGone = true;
    for (const owner of runAndOuterRuns(runId)) {
      if (!(await isGone(owner))) {
        allGone = false;
        break;
      }
    }
    if (allGone) deleted.push(runId);
  }
  if (!options.dryRun) {
    for (let i = 0; i < deleted.length; i += DELETE_BATCH) await backend.deleteRuns(deleted.slice(i, i + DELETE_BATCH));
  }
  return { checked: runs.length, deleted };
}

/** `a/turn-3/inner` → `a/turn-3/inner`, `a/turn-3`, `a`: the run first, as it is most often alive. */
export function runAndOuterRuns(runId: string): string[] {
  const owners = [runId];
  for (let cut = runId.lastIndexOf('/'); cut > 0; cut = runId.lastIndexOf('/', cut - 1)) owners.push(runId.slice(0, cut));
  return owners;
}
