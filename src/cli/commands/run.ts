import type { Command } from 'commander';
import { loadTeamFile } from '../../files/team-file';
import { outputFrom, withClient, withJsonFlag, withStoreFlag, withTemporalFlags, type StoreFlags, type TemporalFlags } from '../common';
import { followRun } from '../follow-run';
import { CliError } from '../output';
import { checkModelKeys } from '../preflight';

interface RunFlags extends TemporalFlags, StoreFlags {
  id?: string;
  detach?: boolean;
  keyCheck: boolean;
  input: boolean;
  prompt?: boolean;
  user?: string;
}

export function registerRun(program: Command): void {
  const command = program
    .command('run <team-file> <task>')
    .description('start a team run and follow it turn by turn (exit 0 only if it completes)')
    .option('--id <id>', 'run id (default: <team>-<random>)')
    .option('--detach', 'start the run and return at once; follow it later with status/transcript')
    .option('--no-key-check', "don't check here that the model API keys the team needs are set")
    .option('--no-input', 'never ask here when the run waits on a person (answer with input/approve/...)')
    .option('--prompt', 'ask on stdin when the run waits on a person, even when stdin is not a terminal')
    .option('--user <key>', 'whose memory agents with memory.scope: user read and write');
  withJsonFlag(withStoreFlag(withTemporalFlags(command))).action(async (teamFile: string, task: string, flags: RunFlags) => {
    const out = outputFrom(flags);
    const team = loadTeamFile(teamFile);
    if (flags.keyCheck) checkModelKeys(team, process.env);
    await withClient(flags, async (client) => {
      const runId = await client.start(team, task, { runId: flags.id, ...(flags.user ? { user: flags.user } : {}) });
      out.record({ type: 'started', id: runId, team: team.name });
      out.note(`started run ${runId} (team ${team.name}, task queue ${client.taskQueue})`);
      if (flags.detach) {
        out.line(runId);
        return;
      }
      const prompt = flags.input && (flags.prompt === true || Boolean(process.stdin.isTTY));
      const final = await followRun(client, runId, out, { prompt });
      if (final === null) throw new CliError('', 130);
      if (final.status !== 'completed') throw new CliError(`run ${runId} ${final.status}${final.error ? `: ${final.error.message}` : ''}`);
    });
  });
}
