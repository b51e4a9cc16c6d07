import { earlierParts, DEFAULT_CONTEXT_SETTING, type EarlierPart, type PastRun } from '../core/earlier';
import { finalAnswerOf, peopleOf } from '../core/final-answer';
import { isTerminal } from '../core/status';
import type { TeamSpec } from '../spec/team';
import { ContextLedger } from '../store/context-ledger';
import type { ConversationStore } from '../store/conversation-store';
import type { RunStatus } from '../core/status';
import { ContextBusyError, RunNotFoundError } from '../temporal/errors';
import type { RunStarter } from '../temporal/run-starter';

/** What joining a context needs to know of a run: Temporal's word on it, no worker needed. */
export interface RunLookup {
  peek(runId: string): Promise<{ status: RunStatus; contextId: string | null; startedBy: RunStarter | null }>;
}

export interface JoinOptions {
  /** A run the context began with before the ledger knew it (`run --continue` of an older run). */
  seed?: string;
  /** Runs the new one reads besides its context (A2A referenceTaskIds), already checked as reachable. */
  references?: string[];
  /** Whose context it is (see context-ledger.ts): the caller's token name, or null (default) for the shared namespace. */
  owner?: string | null;
  /**
   * With an owner: whether it takes over a context begun before contexts had owners, kept under
   * its id alone, whose newest task was started by `startedBy`. Default: never.
   */
  mayAdopt?: (startedBy: RunStarter | null) => boolean;
}

/**
 * Starting a run in a context: claims the context's next entry for it (see context-ledger.ts) and
 * answers what it reads before its own messages, as the team's `context` setting says. The
 * context's newest task must have ended; a run of the ledger that never started (its start failed
 * after the claim) is passed over.
 *
 * An owner with no context of that id yet may continue one of the shared namespace that
 * `mayAdopt` lets it (a context begun before contexts had owners): its first entry then carries
 * the old context's tasks. Anyone else begins a new context of their own under the id, exactly as
 * with an id nobody used, so the id tells them nothing.
 */
export async function joinContext(
  runs: RunLookup,
  store: ConversationStore,
  team: TeamSpec,
  contextId: string,
  runId: string,
  options: JoinOptions = {},
): Promise<EarlierPart[]> {
  const ledger = new ContextLedger(store);
  const context = { contextId, owner: options.owner ?? null };
  let newest = await ledger.newest(context);
  let last = newest && { entry: newest.entry, run: await seenIn(runs, newest.entry.runId, contextId) };
  if (!newest && context.owner !== null) {
    const shared = await ledger.newest({ contextId, owner: null });
    const run = shared && (await seenIn(runs, shared.entry.runId, contextId));
    if (shared && run && options.mayAdopt?.(run.startedBy)) last = { entry: shared.entry, run };
  }
  if (!last && options.seed) {
    await ledger.claim(context, 0, { runId: options.seed, before: [] });
    newest = await ledger.newest(context);
    last = newest && { entry: newest.entry, run: await seenIn(runs, newest.entry.runId, contextId) };
  }
  let before: PastRun[] = [];
  if (last) {
    const { entry, run } = last;
    if (run !== null) {
      if (!isTerminal(run.status)) {
        throw new ContextBusyError(
          contextId,
          entry.runId,
          `has a task that has not ended (${entry.runId}, ${run.status}); answer it (send with its taskId) or wait for it to end, then send again`,
        );
      }
      before = [...entry.before, await pastRun(store, team, entry.runId)];
    } else before = entry.before;
  }
  if (!(await ledger.claim(context, newest ? newest.index + 1 : 0, { runId, before }))) {
    throw new ContextBusyError(contextId, null, 'had another task started in it just now; send again once that task has ended');
  }
  const references = await Promise.all((options.references ?? []).map((id) => pastRun(store, team, id)));
  return earlierParts(before, references, team.context ?? DEFAULT_CONTEXT_SETTING);
}

/** What Temporal knows of the run, or null when it never started under this context (its start failed after the claim). */
async function seenIn(runs: RunLookup, runId: string, contextId: string): Promise<Awaited<ReturnType<RunLookup['peek']>> | null> {
  try {
    const run = await runs.peek(runId);
    return run.contextId === contextId || run.contextId === null ? run : null;
  } catch (err) {
    if (err instanceof RunNotFoundError) return null;
    throw err;
  }
}

/**
 * A run as the runs after it see it, from its records in the store: what it has stored so far
 * (all of it once ended), and its answer (the team's people are never the answer).
 */
export async function pastRun(store: ConversationStore, team: TeamSpec, runId: string): Promise<PastRun> {
  const records = await store.records(runId);
  const answer = finalAnswerOf(records, peopleOf(team));
  return { runId, count: (records.at(-1)?.index ?? -1) + 1, answer: answer?.index ?? null };
}
