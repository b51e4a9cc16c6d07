import type { Command } from 'commander';
import { describeAttachment } from '../../core/attachments';
import { RunNotFoundError } from '../../temporal/errors';
import type { TeamClient } from '../../client/team-client';
import type { RunSnapshot } from '../../core/state';
import type { Spend } from '../../core/budget';
import { CliError, type Output } from '../output';
import {
  clientFrom,
  closeClient,
  outputFrom,
  withJsonFlag,
  withStoreFlag,
  withTemporalFlags,
  type StoreFlags,
  type TemporalFlags,
} from '../common';
import { printable, printableLines, quoted } from '../../core/display-text';

export function registerTranscript(program: Command): void {
  const command = program
    .command('transcript [id]')
    .description("print a run's messages, the task first (or, with --context, every task of a context in turn)")
    .option('--context <id>', "print the context's tasks one after another: the whole session")
    .option('--owner <name>', 'with --context: the token name of the A2A caller whose context it is (with bearer auth, each has its own)');
  withJsonFlag(withStoreFlag(withTemporalFlags(command))).action(
    async (id: string | undefined, flags: TemporalFlags & StoreFlags & { context?: string; owner?: string }) => {
      if (!id === !flags.context) throw new CliError('give a run id, or --context <id>');
      if (flags.owner !== undefined && !flags.context) throw new CliError('--owner goes with --context: it says whose context that is', 2);
      const out = outputFrom(flags);
      const client = await clientFrom(flags);
      try {
        if (id) return await printRun(client, id, out);
        const runs = await client.contextRuns(flags.context!, flags.owner ?? null);
        if (runs.length === 0) throw new CliError(`context ${quoted(flags.context!)} has no tasks on record in the conversation store`);
        for (const [n, runId] of runs.entries()) {
          out.record({ type: 'task', context: flags.context, n: n + 1, id: runId });
          out.line(out.bold(`== task ${n + 1} of ${runs.length}: ${printable(runId)}`));
          await printRun(client, runId, out).catch((err: unknown) => {
            // A task whose start failed after it joined the context left only its place.
            if (!(err instanceof RunNotFoundError)) throw err;
            out.note(`(run ${printable(runId)} never started)`);
          });
        }
      } finally {
        await closeClient(client);
      }
    },
  );
}

async function printRun(client: TeamClient, id: string, out: Output): Promise<void> {
  let from = 0;
  for (;;) {
    const page = await client.transcript(id, from, 500);
    if (page.messages.length === 0) break;
    if (from === 0 && page.firstRetained > 1) {
      out.note(`(messages 1 to ${page.firstRetained - 1} were dropped when this long run continued as new)`);
    }
    for (const { index, source, content, attachments } of page.messages) {
      out.record({ index, source, content, ...(attachments?.length ? { attachments } : {}) });
      out.line(`${out.dim(`#${index}`)} ${out.bold(out.cyan(source))}`);
      if (content) out.line(printableLines(content));
      for (const attachment of attachments ?? []) out.line(out.dim(describeAttachment(attachment)));
      out.line();
    }
    from = page.messages.at(-1)!.index + 1;
  }
  // A budgeted run ends its transcript with what it spent (with no worker up, only a finished run's is known).
  const spend = spendOf(await client.getState(id).catch(() => null));
  if (spend) {
    out.record({ type: 'spend', ...spend });
    out.line(out.dim(`spent ${spend.totalTokens} tokens, $${spend.costUsd.toFixed(4)}`));
  }
}

function spendOf(snapshot: RunSnapshot | null): Spend | null {
  return snapshot?.spend ?? null;
}
