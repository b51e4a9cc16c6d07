import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { HumanAction } from '../../core/human';
import { outputFrom, withClient, withStoreFlag, withTemporalFlags, type StoreFlags, type TemporalFlags } from '../common';
import { currentUser } from '../user';
import { positiveInt } from '../common';
import { positiveUsd } from '../budget-flags';
import { CliError } from '../output';
import type { BudgetRaise } from '../../core/budget';
import { printable } from '../../core/display-text';

interface BudgetAnswerFlags extends AnswerFlags {
  raiseTokens?: number;
  raiseUsd?: number;
  stop?: boolean;
}

/** A budget request's answer: new limits, or stop. */
function sendBudget(id: string, flags: BudgetAnswerFlags): Promise<void> {
  const raising = flags.raiseTokens !== undefined || flags.raiseUsd !== undefined;
  if (raising === Boolean(flags.stop)) throw new CliError('give --raise-tokens and/or --raise-usd, or --stop', 2);
  if (flags.stop) return send(id, 'stop', undefined, flags);
  const raise: BudgetRaise = {
    ...(flags.raiseTokens !== undefined ? { maxTotalTokens: flags.raiseTokens } : {}),
    ...(flags.raiseUsd !== undefined ? { maxCostUsd: flags.raiseUsd } : {}),
  };
  return send(id, 'raise', undefined, flags, raise);
}

interface AnswerFlags extends TemporalFlags, StoreFlags {
  request?: string;
  by?: string;
}

/** "-" reads the text from standard input, for long answers and scripts. */
function textOf(text: string | undefined): string | undefined {
  return text === '-' ? readFileSync(0, 'utf8') : text;
}

async function send(id: string, action: HumanAction, text: string | undefined, flags: AnswerFlags, raise?: BudgetRaise): Promise<void> {
  const out = outputFrom(flags);
  const answer = { action, text: textOf(text), by: flags.by ?? currentUser(), requestId: flags.request, ...(raise ? { raise } : {}) };
  const result = await withClient(flags, (client) => client.answer(id, answer));
  if (result.delivery === 'accepted')
    out.line(`${printable(id)}: ${action.replace('_', ' ')} taken for request ${printable(result.requestId)}`);
  else {
    out.line(`${printable(id)}: no worker is running; the answer to request ${printable(result.requestId)} is queued in Temporal`);
    out.note('it is applied when a worker starts, if the run still waits on that request');
  }
}

function answerCommand(program: Command, spec: string, description: string): Command {
  const command = program
    .command(spec)
    .description(description)
    .option('--request <requestId>', 'the request answered (default: the one pending now)')
    .option('--by <name>', 'who answers, for the record (default: your user name)');
  return withStoreFlag(withTemporalFlags(command));
}

/** input / approve / reject / request-changes: a person's answers to a waiting run. */
export function registerAnswers(program: Command): void {
  answerCommand(program, 'input <id> <text>', 'answer a run waiting for input ("-" reads the text from stdin)').action(
    (id: string, text: string, flags: AnswerFlags) => send(id, 'input', text, flags),
  );
  answerCommand(program, 'approve <id>', 'approve what a run waits on you to approve')
    .option('--comment <text>', 'a comment for the team')
    .action((id: string, flags: AnswerFlags & { comment?: string }) => send(id, 'approve', flags.comment, flags));
  answerCommand(program, 'reject <id>', 'reject: the run ends rejected')
    .option('--reason <text>', 'why')
    .action((id: string, flags: AnswerFlags & { reason?: string }) => send(id, 'reject', flags.reason, flags));
  answerCommand(program, 'request-changes <id> <comment>', 'send the team back to work with your comment').action(
    (id: string, comment: string, flags: AnswerFlags) => send(id, 'request_changes', comment, flags),
  );
  answerCommand(program, 'budget <id>', 'answer a run waiting at its budget: raise the limit (to the new total) or stop it')
    .option('--raise-tokens <n>', 'the new maxTotalTokens (more than the current limit)', positiveInt('--raise-tokens'))
    .option('--raise-usd <x>', 'the new maxCostUsd (more than the current limit)', positiveUsd('--raise-usd'))
    .option('--stop', 'stop the run: it completes, its stop reason naming the budget')
    .action((id: string, flags: BudgetAnswerFlags) => sendBudget(id, flags));
}
