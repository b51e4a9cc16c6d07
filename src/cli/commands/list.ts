import type { Command } from 'commander';
import { clientFrom, outputFrom, positiveInt, withJsonFlag, withTemporalFlags, type TemporalFlags } from '../common';

export function registerList(program: Command): void {
  const command = program
    .command('list')
    .description('list runs, newest first')
    .option('--limit <n>', 'how many', positiveInt('--limit'), 20)
    .option('--waiting', 'only runs waiting on a person');
  withJsonFlag(withTemporalFlags(command)).action(async (flags: TemporalFlags & { limit: number; waiting?: boolean }) => {
    const out = outputFrom(flags);
    const runs = await (await clientFrom(flags)).list({ limit: flags.limit, waiting: flags.waiting });
    if (runs.length === 0) {
      out.line(flags.waiting ? 'no run is waiting on a person' : 'no runs yet; start one with `durable-teams run <team-file> <task>`');
    }
    for (const run of runs) {
      out.record({ ...run, startedAt: run.startedAt.toISOString(), closedAt: run.closedAt?.toISOString() ?? null });
      out.line(`${run.runId.padEnd(32)} ${run.status.padEnd(14)} ${(run.team ?? '-').padEnd(16)} ${run.startedAt.toISOString()}`);
      if (run.waiting) out.line(out.dim(`  ${run.waiting.requestId} (${run.waiting.kind}): ${run.waiting.prompt.split('\n')[0]}`));
    }
  });
}
