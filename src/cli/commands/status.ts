import type { Command } from 'commander';
import type { PendingInput } from '../../core/human';
import { stallReason, type RunStall } from '../../core/stall';
import { NoWorkerError, RunNotFoundError, RunStalledError } from '../../temporal/errors';
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
import type { Output } from '../output';
import { statusRecord } from '../render';
import { answerCommandFor } from '../answer-hint';
import type { Spend } from '../../core/budget';
import { printable, printableLines } from '../../core/display-text';
import type { FailedAttempt } from '../../core/failed-attempt';
import { KEPT_FAILED_ATTEMPTS } from '../../store/attempt-log';

type StatusRecord = Omit<ReturnType<typeof statusRecord>, 'turns' | 'messages' | 'usage' | 'team' | 'pendingInput'> & {
  team: string | null;
  turns: number | null;
  messages: number | null;
  usage: { promptTokens: number; completionTokens: number } | null;
  pendingInput: PendingInput | { requestId: string; kind: string; prompt: string } | null;
  spend?: Spend;
  /** Set while the run's workflow task keeps failing; `status` then still says what the run last said. */
  stalled: RunStall | null;
  /** Why its steps failed, attempt by attempt, oldest first (Temporal's history keeps only each step's last). */
  attempts: FailedAttempt[];
};

function printPending(out: Output, pending: StatusRecord['pendingInput']): void {
  if (!pending) {
    out.line('pending input: none');
    return;
  }
  const full = 'deadline' in pending ? pending : null;
  out.line(out.yellow(`pending input: ${printable(pending.requestId)} (${pending.kind}${full ? `, for ${full.to}` : ''})`));
  out.line(`  ${printableLines(pending.prompt).split('\n').join('\n  ')}`);
  if (full?.deadline) out.line(`  deadline: ${new Date(full.deadline).toISOString()}`);
  out.line(out.dim(`  answer with: durable-teams ${answerCommandFor(pending.kind)} <id> ...`));
}

function printAttempts(out: Output, attempts: FailedAttempt[]): void {
  if (attempts.length === 0) return;
  out.line(`failed attempts: ${attempts.length}${attempts.length >= KEPT_FAILED_ATTEMPTS ? ' (the newest)' : ''}`);
  for (const a of attempts) {
    out.line(`  ${a.at}  ${printable(a.activity)} #${printable(a.activityId)} attempt ${a.attempt}: ${out.red(printable(a.errorType))}`);
    out.line(out.dim(`    ${printable(a.message)}`));
  }
}

export function registerStatus(program: Command): void {
  const command = program.command('status <id>').description("show a run's status, turns, stop reason and what it waits on");
  withJsonFlag(withStoreFlag(withTemporalFlags(command))).action(async (id: string, flags: TemporalFlags & StoreFlags) => {
    const out = outputFrom(flags);
    const client = await clientFrom(flags);
    try {
      let record: StatusRecord;
      // From the store, whoever answers for the run; a store that cannot say leaves the rest of the status standing.
      const attempts = client.attempts(id).catch((err: unknown): FailedAttempt[] => {
        if (!(err instanceof RunNotFoundError)) out.note(out.yellow(`failed attempts could not be read: ${(err as Error).message}`));
        return [];
      });
      try {
        // The run's read model answers whatever its worker is doing; whether its workflow task keeps failing is Temporal's to say.
        const [state, stalled] = await Promise.all([client.getState(id), client.stall(id)]);
        record = { ...statusRecord(state), stalled, attempts: await attempts };
      } catch (err) {
        // Temporal refuses to ask a stalled run, and with no worker nobody answers: say what Temporal knows.
        if (!(err instanceof NoWorkerError) && !(err instanceof RunStalledError)) throw err;
        if (err instanceof NoWorkerError) out.note(out.yellow(err.message));
        const peek = await client.peek(id);
        record = {
          id,
          team: peek.team,
          status: peek.status,
          turns: null,
          stopReason: null,
          pendingInput: peek.waiting,
          rejection: null,
          error: null,
          messages: null,
          usage: null,
          lastSpeaker: null,
          stalled: err instanceof RunStalledError ? err.stall : null,
          attempts: await attempts,
        };
      }
      out.record(record);
      out.line(`${out.bold(printable(record.id))}  team ${record.team ?? '?'}`);
      out.line(`status:        ${record.status}${record.stalled ? out.red(' (stalled)') : ''}`);
      if (record.stalled) out.line(out.red(`               ${stallReason(record.stalled)}`));
      if (record.turns !== null)
        out.line(`turns:         ${record.turns} (${record.messages} messages, last speaker ${record.lastSpeaker ?? '-'})`);
      if (record.forkedFrom) out.line(`forked from:   ${printable(record.forkedFrom.run)} at turn ${record.forkedFrom.turn}`);
      if (record.stopReason) out.line(`stop reason:   ${record.stopReason}`);
      if (record.error) out.line(`error:         ${record.error}`);
      if (record.usage) out.line(`tokens:        ${record.usage.promptTokens} prompt, ${record.usage.completionTokens} completion`);
      if (record.spend) out.line(`spend:         ${spendLine(record.spend)}`);
      printPending(out, record.pendingInput);
      printAttempts(out, record.attempts);
    } finally {
      await closeClient(client);
    }
  });
}

/** `1,234 tokens of 2,000, $0.0012 of $0.05 (on exceed: ask)` */
function spendLine(spend: Spend): string {
  const { maxTotalTokens, maxCostUsd, onExceed } = spend.budget;
  const tokens = `${spend.totalTokens} tokens${maxTotalTokens !== null ? ` of ${maxTotalTokens}` : ''}`;
  const cost = `$${spend.costUsd.toFixed(4)}${maxCostUsd !== null ? ` of $${maxCostUsd}` : ''}`;
  return `${tokens}, ${cost} (on exceed: ${onExceed})`;
}
