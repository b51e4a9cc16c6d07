import type { Command } from 'commander';
import { parseAgentEdit, type AgentEdit } from '../../core/fork';
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
import { printable } from '../../core/display-text';

interface ForkFlags extends TemporalFlags, StoreFlags {
  atTurn: string;
  id?: string;
  task?: string;
  edit: string[];
  agent: string[];
  detach?: boolean;
  input: boolean;
  prompt?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `--at-turn 3`: a whole number, 0 or more. */
function turnOf(text: string): number {
  if (!/^\d+$/.test(text)) throw new CliError(`--at-turn ${text}: give a whole number of turns, 0 or more`, 2);
  return Number(text);
}

/** `--edit 2=new text`: the message's index as `transcript` shows it, then its new text. */
function editOf(text: string): { index: number; text: string } {
  const match = /^(\d+)=(.*)$/s.exec(text);
  if (!match) throw new CliError(`--edit ${text}: write K=TEXT, K a message index as \`transcript\` shows it`, 2);
  return { index: Number(match[1]), text: match[2]! };
}

export function registerFork(program: Command): void {
  const command = program
    .command('fork <run>')
    .description("start a new run that begins with the run's first turns, as edited, and goes on from there")
    .requiredOption('--at-turn <n>', 'keep the task and turns 1 to N; the fork goes on with turn N + 1 (0 keeps the task alone)')
    .option('--id <id>', "the fork's run id (default: <team>-<random>)", idFlag('--id'))
    .option('--task <text>', 'replace the task (message 0)')
    .option('--edit <k=text>', "replace kept message K's text (K as `transcript` shows it); repeatable", collect, [])
    .option('--agent <name.model=m>', "change an agent's model in the fork's team; repeatable", collect, [])
    .option('--detach', 'start the fork and return at once')
    .option('--no-input', 'never ask here when the fork waits on a person')
    .option('--prompt', 'ask on stdin when the fork waits on a person, even when stdin is not a terminal');
  withJsonFlag(withStoreFlag(withTemporalFlags(command))).action(async (from: string, flags: ForkFlags) => {
    const out = outputFrom(flags);
    const atTurn = turnOf(flags.atTurn);
    const edits = flags.edit.map(editOf);
    const agents: AgentEdit[] = flags.agent.map(parseAgentEdit);
    await withClient(flags, async (client) => {
      const runId = await client.fork(from, {
        atTurn,
        ...(flags.id ? { runId: flags.id } : {}),
        ...(flags.task !== undefined ? { task: flags.task } : {}),
        edits,
        agents,
      });
      out.record({ type: 'started', id: runId, forkedFrom: { run: from, turn: atTurn } });
      out.note(`started fork ${printable(runId)} of run ${printable(from)} at turn ${atTurn} (task queue ${client.taskQueue})`);
      await detachOrFollow(client, runId, out, flags);
    });
  });
}
