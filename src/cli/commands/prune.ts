import type { Command } from 'commander';
import { pruneStore } from '../../store/prune';
import { RunNotFoundError } from '../../temporal/errors';
import {
  cliStore,
  outputFrom,
  withClient,
  withJsonFlag,
  withStoreFlag,
  withTemporalFlags,
  type StoreFlags,
  type TemporalFlags,
} from '../common';
import { durationMs } from '../duration-flag';
import { printable } from '../../core/display-text';

interface PruneFlags extends TemporalFlags, StoreFlags {
  olderThan?: number;
  dryRun?: boolean;
}

export function registerPrune(program: Command): void {
  const command = program
    .command('prune')
    .description("delete stored conversations of runs Temporal no longer knows (past the namespace's retention)")
    .option('--older-than <duration>', 'only runs with nothing written for this long, e.g. 7d, 12h', durationMs('--older-than'))
    .option('--dry-run', 'list what would be deleted, delete nothing');
  withJsonFlag(withStoreFlag(withTemporalFlags(command))).action(async (flags: PruneFlags) => {
    const out = outputFrom(flags);
    // The client's own store: withClient closes it when done.
    const store = await cliStore(flags);
    const result = await withClient(
      flags,
      (client) =>
        pruneStore(store, {
          dryRun: flags.dryRun,
          updatedBefore: flags.olderThan !== undefined ? new Date(Date.now() - flags.olderThan) : undefined,
          // Only "no such workflow" counts as gone: any other failure stops the prune, deleting nothing more.
          isRunGone: (runId) =>
            client.executionStatus(runId).then(
              () => false,
              (err: unknown) => {
                if (err instanceof RunNotFoundError) return true;
                throw err;
              },
            ),
        }),
      { store },
    );
    const verb = flags.dryRun ? 'would delete' : 'deleted';
    for (const runId of result.deleted) {
      out.record({ runId, deleted: !flags.dryRun });
      out.line(`${verb} ${printable(runId)}`);
    }
    for (const runId of result.kept)
      out.line(`kept ${printable(runId)}: Temporal forgot it, but a run that stays needs it (a fork of it, or the run it is nested in)`);
    const kept = result.kept.length ? `; kept ${result.kept.length} that forks still need` : '';
    out.note(
      `${result.checked} stored run${result.checked === 1 ? '' : 's'} checked in ${store.location}; ${verb} ${result.deleted.length}${kept}`,
    );
  });
}
