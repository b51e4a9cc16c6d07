import { CommanderError, type Command } from 'commander';
import { buildProgram } from '../../src/cli/main';

export interface ParsedCommand {
  name: string;
  /** The positional arguments, as the command's action would get them. */
  operands: unknown[];
  options: Record<string, unknown>;
}

/**
 * Parses `durable-teams <args>` with the CLI's own commander program, as the built CLI would,
 * but stops before the command runs: unknown commands or options, bad option values and missing
 * arguments throw the CommanderError (with commander's message) that would make the CLI exit 2.
 */
export async function parseCliArguments(args: string[]): Promise<ParsedCommand> {
  const program = buildProgram();
  const result: { parsed?: ParsedCommand } = {};
  const errors: string[] = [];
  for (const command of [program, ...program.commands]) {
    command.exitOverride().configureOutput({ writeOut: () => undefined, writeErr: (text) => errors.push(text) });
    if (command === program) continue;
    command.action((...received: unknown[]) => {
      const self = received.at(-1) as Command;
      result.parsed = { name: self.name(), operands: received.slice(0, -2), options: self.opts() };
    });
  }
  try {
    await program.parseAsync(['node', 'durable-teams', ...args]);
  } catch (err) {
    if (err instanceof CommanderError) throw new CommanderError(err.exitCode, err.code, errors.join('').trim() || err.message);
    throw err;
  }
  if (!result.parsed) throw new Error(`durable-teams ${args.join(' ')} ran no command`);
  return result.parsed;
}
