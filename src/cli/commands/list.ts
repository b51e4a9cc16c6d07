import type { Command } from 'commander';
import { clientFrom, outputFrom, positiveInt, withJsonFlag, withTemporalFlags, type TemporalFlags } from '../common';

export function registerList(program: Command): void {
  const command = program
    .command('list')
    .description('list runs, newest first')
    .option('--limit <n>', 'how many', positiveInt('--limit'), 20);
  withJsonFlag(withTemporalFlags(command)).action(async (flags: TemporalFlags & { limit: number }) => {
    const out = outputFrom(flags);
    const runs = await (await clientFrom(flags)).list(flags.limit);
    if (runs.length === 0) out.line('no runs yet; start one with `durable-teams run <team-file> <task>`');
    for (const run of runs) {
      out.record({ ...run, startedAt: run.startedAt.toISOString(), closedAt: run.closedAt?.toISOString() ?? null });
      out.line(`${run.runId.padEnd(32)} ${run.status.padEnd(10)} ${(run.team ?? '-').padEnd(16)} ${run.startedAt.toISOString()}`);
    }
  });
}
