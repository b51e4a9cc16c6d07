import type { Command } from 'commander';
import { outputFrom, withClient, withJsonFlag, withStoreFlag, withTemporalFlags, type StoreFlags, type TemporalFlags } from '../common';
import { followRun } from '../follow-run';
import { CliError } from '../output';

interface FollowFlags extends TemporalFlags, StoreFlags {
  after: string;
  input: boolean;
  prompt?: boolean;
}

export function registerFollow(program: Command): void {
  const command = program
    .command('follow <id>')
    .description(
      'follow a run that is going on: its events and each reply as it is written, until it ends (Ctrl-C stops following, not the run)',
    )
    .option('--after <n>', 'print only the events numbered above n (0: the run from its start)', '0')
    .option('--no-input', 'never ask here when the run waits on a person')
    .option('--prompt', 'ask on stdin when the run waits on a person, even when stdin is not a terminal');
  withJsonFlag(withStoreFlag(withTemporalFlags(command))).action(async (id: string, flags: FollowFlags) => {
    const out = outputFrom(flags);
    const after = Number(flags.after);
    if (!Number.isInteger(after) || after < 0)
      throw new CliError(`--after must be a whole number of events, 0 or more, not "${flags.after}"`, 2);
    await withClient(flags, async (client) => {
      const prompt = flags.input && (flags.prompt === true || Boolean(process.stdin.isTTY));
      const final = await followRun(client, id, out, { prompt, after });
      if (final === null) throw new CliError('', 130);
      if (final.status !== 'completed') throw new CliError(`run ${id} ${final.status}${final.error ? `: ${final.error.message}` : ''}`);
    });
  });
}
