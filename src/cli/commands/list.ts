import type { Command } from 'commander';
import { stallReason } from '../../core/stall';
import {
  clientFrom,
  closeClient,
  outputFrom,
  positiveInt,
  withJsonFlag,
  withStoreFlag,
  withTemporalFlags,
  type StoreFlags,
  type TemporalFlags,
} from '../common';
import { printable } from '../../core/display-text';

export function registerList(program: Command): void {
  const command = program
    .command('list')
    .description('list runs, newest first')
    .option('--limit <n>', 'how many', positiveInt('--limit'), 20)
    .option('--waiting', 'only runs waiting on a person')
    .option('--stalled', 'only runs whose workflow task keeps failing, with why (asks Temporal about each running run)');
  withJsonFlag(withStoreFlag(withTemporalFlags(command))).action(
    async (flags: TemporalFlags & StoreFlags & { limit: number; waiting?: boolean; stalled?: boolean }) => {
      const out = outputFrom(flags);
      const client = await clientFrom(flags);
      const runs = await client
        .list({ limit: flags.limit, waiting: flags.waiting, stalled: flags.stalled })
        .finally(() => closeClient(client));
      if (runs.length === 0) {
        out.line(
          flags.stalled
            ? 'no run is stalled'
            : flags.waiting
              ? 'no run is waiting on a person'
              : 'no runs yet; start one with `durable-teams run <team-file> <task>`',
        );
      }
      for (const run of runs) {
        out.record({ ...run, startedAt: run.startedAt.toISOString(), closedAt: run.closedAt?.toISOString() ?? null });
        out.line(
          `${printable(run.runId).padEnd(32)} ${run.status.padEnd(14)} ${(run.team ?? '-').padEnd(16)} ${run.startedAt.toISOString()}`,
        );
        if (run.forkedFrom) out.line(out.dim(`  forked from ${printable(run.forkedFrom.run)} at turn ${run.forkedFrom.turn}`));
        if (run.stalled) out.line(out.red(`  ${stallReason(run.stalled)}`));
        if (run.waiting)
          out.line(
            out.dim(`  ${printable(run.waiting.requestId)} (${run.waiting.kind}): ${printable(run.waiting.prompt.split('\n')[0]!)}`),
          );
      }
    },
  );
}
