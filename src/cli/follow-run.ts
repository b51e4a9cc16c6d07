import { answerCommandFor } from './answer-hint';
import type { PendingInput } from '../core/human';
import type { RunSnapshot } from '../core/state';
import { stallReason, type RunStall } from '../core/stall';
import type { TeamClient } from '../client/team-client';
import { CliError, type Output } from './output';
import { renderEvent, statusRecord } from './render';
import { askInTerminal } from './terminal-answer';
import { LiveRender } from './live-render';
import { currentUser } from './user';
import { printable } from '../core/display-text';

export interface FollowRunOptions {
  /** Ask the person at this terminal when the run waits on a person. */
  prompt: boolean;
  /** Print the events after this number (0, the default, prints the run from its start). */
  after?: number;
}

/**
 * Prints a run's events as they happen until it ends, with the text of each reply as the model
 * writes it, then returns its final state; asks the person here when the run waits on one (an
 * answer from elsewhere closes the question). Ctrl-C stops the printing, not the run: it lives in
 * Temporal and goes on.
 */
export async function followRun(
  client: TeamClient,
  runId: string,
  out: Output,
  options: FollowRunOptions = { prompt: false },
): Promise<RunSnapshot | null> {
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  // The question open at this terminal, if any (a holder, since the callbacks below replace it).
  const open: { question: { requestId: string; close: AbortController } | null } = { question: null };

  const ask = (request: PendingInput) => {
    const close = new AbortController();
    open.question = { requestId: request.requestId, close };
    void askInTerminal(request, out, close.signal, onSigint).then(async (answer) => {
      if (!answer || close.signal.aborted) return;
      try {
        await client.answer(runId, { by: currentUser(), ...answer, requestId: request.requestId });
      } catch (err) {
        out.note(out.yellow((err as Error).message));
      }
    });
  };

  const live = new LiveRender(out);
  try {
    for await (const item of client.watch(runId, { after: options.after ?? 0, signal: abort.signal })) {
      if (item.type === 'live') {
        live.item(item.item);
        continue;
      }
      live.interrupt();
      if (item.type === 'waiting') {
        out.note(out.yellow(item.waiting ? item.detail : 'a worker is answering again'));
        continue;
      }
      if (item.type === 'stall') {
        noteStall(out, runId, item.stall);
        continue;
      }
      const { event } = item;
      out.record(event);
      if (!(event.type === 'message' && live.previewed(event.message))) renderEvent(event, out);
      const answeredOrGone = event.type === 'input_received' || event.type === 'input_withdrawn' || event.type === 'run_finished';
      const question = open.question;
      if (question && answeredOrGone && (event.type === 'run_finished' || event.requestId === question.requestId)) {
        question.close.abort();
        open.question = null;
      }
      if (event.type === 'input_requested') {
        if (options.prompt) ask(event.request);
        else
          out.note(
            `the run waits on a person: answer with \`durable-teams ${answerCommandFor(event.request.kind).replace(/ \| /g, '|')} ${printable(runId)} ...\``,
          );
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
    open.question?.close.abort();
  }
  if (abort.signal.aborted) {
    out.note(`stopped following; the run goes on. See it with \`durable-teams status ${printable(runId)}\``);
    return null;
  }
  const snapshot = await client.getState(runId);
  out.record({ type: 'result', ...statusRecord(snapshot) });
  return snapshot;
}

/** A stall is news, not an event of the run: a note for people, a `stall_changed` line for programs. */
function noteStall(out: Output, runId: string, stall: RunStall | null): void {
  out.record({ type: 'stall_changed', runId, stalled: stall });
  out.note(
    stall
      ? out.red(`run ${printable(runId)} is ${stallReason(stall)}`)
      : out.green(`run ${printable(runId)} recovered: its workflow task succeeds again and the run goes on`),
  );
}

/**
 * What `run` and `fork` do once their run started: print its id and return (`--detach`), or
 * follow it to its end, asking at this terminal when it waits on a person (`--no-input` does
 * not), and fail unless it completed. Ctrl-C exits 130 and leaves the run going.
 */
export async function detachOrFollow(
  client: TeamClient,
  runId: string,
  out: Output,
  flags: { detach?: boolean; input: boolean; prompt?: boolean },
): Promise<void> {
  if (flags.detach) {
    out.line(printable(runId));
    return;
  }
  const prompt = flags.input && (flags.prompt === true || Boolean(process.stdin.isTTY));
  const final = await followRun(client, runId, out, { prompt });
  if (final === null) throw new CliError('', 130);
  if (final.status !== 'completed')
    throw new CliError(`run ${printable(runId)} ${final.status}${final.error ? `: ${final.error.message}` : ''}`);
}
