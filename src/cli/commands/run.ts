import type { Command } from 'commander';
import { loadTeamFile } from '../../files/team-file';
import {
  idFlag,
  outputFrom,
  withClient,
  withJsonFlag,
  withStoreFlag,
  withTemporalFlags,
  type StoreFlags,
  type TemporalFlags,
} from '../common';
import { detachOrFollow } from '../follow-run';
import { CliError } from '../output';
import { checkModelKeys } from '../preflight';
import type { TeamClient } from '../../client/team-client';
import type { JoinOptions } from '../../client/context-chain';
import { runBudgetOf, withBudgetFlags, type BudgetFlags } from '../budget-flags';
import { withRunBudget } from '../../spec/run-budget';
import { printable } from '../../core/display-text';

interface RunFlags extends TemporalFlags, StoreFlags, BudgetFlags {
  id?: string;
  detach?: boolean;
  keyCheck: boolean;
  input: boolean;
  prompt?: boolean;
  context?: string;
  continue?: string;
  reference: string[];
  user?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerRun(program: Command): void {
  const command = program
    .command('run <team-file> <task>')
    .description('start a team run and follow it turn by turn (exit 0 only if it completes)')
    .option('--id <id>', 'run id (default: <team>-<random>)', idFlag('--id'))
    .option('--detach', 'start the run and return at once; follow it later with status/transcript')
    .option('--no-key-check', "don't check here that the model API keys the team needs are set")
    .option('--no-input', 'never ask here when the run waits on a person (answer with input/approve/...)')
    .option('--prompt', 'ask on stdin when the run waits on a person, even when stdin is not a terminal')
    .option(
      '--context <id>',
      "start the run as the context's next task: it begins with the earlier tasks' conversation",
      idFlag('--context', 'context'),
    )
    .option('--continue <run>', "start the run as the next task of that run's context (a follow-up to it)")
    .option('--reference <run>', "read that run's answer (its conversation, with context: full) first; repeatable", collect, [])
    .option('--user <key>', 'whose memory agents with memory.scope: user read and write');
  withJsonFlag(withStoreFlag(withTemporalFlags(withBudgetFlags(command)))).action(
    async (teamFile: string, task: string, flags: RunFlags) => {
      const out = outputFrom(flags);
      const team = loadTeamFile(teamFile);
      if (flags.keyCheck) checkModelKeys(team, process.env);
      if (flags.context && flags.continue) throw new CliError('give --context or --continue, not both');
      // Checked before anything connects: a bad budget is one line, and nothing starts.
      let budgeted = team;
      try {
        budgeted = withRunBudget(team, runBudgetOf(flags), 'the budget flags');
      } catch (err) {
        throw new CliError((err as Error).message, 2);
      }
      await withClient(flags, async (client) => {
        const context = flags.continue ? await contextOf(client, flags.continue) : flags.context ? { contextId: flags.context } : null;
        const runId = await client.start(budgeted, task, {
          runId: flags.id,
          ...(flags.user ? { user: flags.user } : {}),
          ...(context ? { contextId: context.contextId, continueContext: context.join ?? {} } : {}),
          ...(flags.reference.length ? { references: flags.reference } : {}),
        });
        out.record({ type: 'started', id: runId, team: team.name, ...(context ? { context: context.contextId } : {}) });
        out.note(
          `started run ${printable(runId)} (team ${team.name}, task queue ${client.taskQueue}${context ? `, context ${printable(context.contextId)}` : ''})`,
        );
        await detachOrFollow(client, runId, out, flags);
      });
    },
  );
}

/**
 * The context a follow-up to `runId` joins: the run's own, or one named after the run when it has
 * none (a run the CLI started), which the run then begins. A task an A2A caller started with a
 * token is in that caller's contexts (see store/context-ledger.ts): the follow-up joins it there,
 * taking over one begun before contexts had owners as the caller's own follow-up would.
 */
async function contextOf(client: TeamClient, runId: string): Promise<{ contextId: string; join?: JoinOptions }> {
  const run = await client.peek(runId);
  if (!run.contextId) return { contextId: runId, join: { seed: runId } };
  const owner = run.startedBy && 'token' in run.startedBy ? run.startedBy.token : null;
  return { contextId: run.contextId, join: { seed: runId, owner, mayAdopt: () => true } };
}
