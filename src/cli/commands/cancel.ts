import type { Command } from 'commander';
import { outputFrom, withClient, withTemporalFlags, type TemporalFlags } from '../common';

export function registerCancel(program: Command): void {
  const cancel = program.command('cancel <id>').description('cancel a run now; the turn in flight is cancelled too');
  withTemporalFlags(cancel).action(async (id: string, flags: TemporalFlags) => {
    await withClient(flags, (client) => client.cancel(id), { store: false });
    outputFrom(flags).line(`cancel requested for ${id}`);
  });

  const stop = program
    .command('stop <id>')
    .description('ask a run to stop after the turn in flight; it completes with your reason')
    .option('--reason <text>', 'why it should stop', 'stopped from the command line');
  withTemporalFlags(stop).action(async (id: string, flags: TemporalFlags & { reason: string }) => {
    await withClient(flags, (client) => client.stop(id, flags.reason), { store: false });
    outputFrom(flags).line(`stop requested for ${id}`);
  });
}
