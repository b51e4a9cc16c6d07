import type { Command } from 'commander';
import { openStoreBackend, storeUrlFrom } from '../../store/open-store';
import { pruneStore } from '../../store/prune';
import { RunNotFoundError } from '../../temporal/errors';
import { outputFrom, withClient, withJsonFlag, withTemporalFlags, type TemporalFlags } from '../common';
import { durationMs } from '../duration';

interface PruneFlags extends TemporalFlags {
  olderThan?: number;
  dryRun?: boolean;
  store?: string;
}

export function registerPrune(program: Command): void {
  const command = program
    .command('prune')
    .description("delete stored conversations of runs Temporal no longer knows (past the namespace's retention)")
    .option('--older-than <duration>', 'only runs with nothing written for this long, e.g. 7d, 12h', durationMs('--older-than'))
    .option('--dry-run', 'list what would be deleted, delete nothing')
    .option('--store <url>', 'conversation store (default: DURABLE_TEAMS_STORE, else .durable-teams/conversations)');
  withJsonFlag(withTemporalFlags(command)).action(async (flags: PruneFlags) => {
    const out = outputFrom(flags);
    const store = await openStoreBackend(flags.store ?? storeUrlFrom(process.env), { cwd: process.cwd() });
    try {
      const result = await withClient(flags, (client) =>
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
      );
      const verb = flags.dryRun ? 'would delete' : 'deleted';
      for (const runId of result.deleted) {
        out.record({ runId, deleted: !flags.dryRun });
        out.line(`${verb} ${runId}`);
      }
      out.note(`${result.checked} stored run${result.checked === 1 ? '' : 's'} checked in ${store.location}; ${verb} ${result.deleted.length}`);
    } finally {
      await store.close();
    }
  });
}
