import type { EarlierPart } from '../core/earlier';
import { editedTeam, forkStart, ForkRefusal, keptCount, type AgentEdit, type ForkOrigin } from '../core/fork';
import type { ChatMessage } from '../core/messages';
import { recordOf } from '../core/stored-messages';
import { EARLIER_NOTE } from '../store/conversation-store';
import { SHARED_BODIES_NOTE } from '../store/prune';
import type { TeamRunInput } from '../../workflows/definitions';
import { initialRunMemo } from '../visibility/run-memo';
import { InvalidRequestError, RunAlreadyExistsError, RunNotFoundError } from '../temporal/errors';
import { checkId, newRunId } from '../temporal/run-ids';
import { readRunInput } from './run-input';
import type { RunReads } from './run-reads';
import type { RunStarter } from '../temporal/run-starter';
import type { PushConfig } from '../core/push';
import { ContextLedger } from '../store/context-ledger';

export interface ForkOptions {
  /** Keep the task and turns 1 to N of the run; the fork's next turn is N + 1 (0 keeps the task alone). */
  atTurn: number;
  /** The fork's run id. Default: "<team>-<random>". */
  runId?: string;
  /** Replaces the task (message 0). */
  task?: string;
  /** Replaces the text of kept messages, by index as `transcript` shows them. */
  edits?: { index: number; text: string }[];
  /** Changes to the team's agents (their model). */
  agents?: AgentEdit[];
  /**
   * A new context for the fork (the A2A front end makes one): the fork becomes its first task, so
   * a follow-up in it continues the fork's conversation. Without it the fork has none, as a run
   * the CLI starts (its id serves as its A2A context).
   */
  contextId?: string;
  /** Whose context `contextId` is (see context-ledger.ts): the caller's token name; null or absent, the shared namespace. */
  contextOwner?: string | null;
  /** The A2A caller starting it, kept in its memo as for any task (see run-starter.ts). */
  startedBy?: RunStarter;
  /** A2A push-notification configs given with the fork, secrets already sealed. */
  pushConfigs?: PushConfig[];
}

/**
 * Starts a fork of `from` (see core/fork.ts). Nothing of the original changes. The fork's kept
 * messages are written as its own records pointing at the original's stored bodies (text is never
 * copied; it is read only for the newest messages of a waiting run, not on record yet); an edited
 * message gets a new body of the fork's own. Everything is
 * checked before anything is written, so a refused fork leaves no trace.
 */
/** Starts a run's workflow as the client does, through its start hooks (RunCommands.startWorkflow). */
export type StartWorkflow = (runId: string, input: TeamRunInput, memo: Record<string, unknown> & { team: string }) => Promise<void>;

export async function forkRun(client: RunReads, startWorkflow: StartWorkflow, from: string, options: ForkOptions): Promise<string> {
  if (options.runId !== undefined) checkId(options.runId, 'run id');
  await client.peek(from); // RunNotFoundError, naming the run, before anything else
  const input = await readRunInput(client.client, from);
  const team = editedTeam(input.team, options.agents ?? []);
  const snapshot = await client.getState(from);
  const messages = await firstMessages(client, from, snapshot.messageCount);
  const count = keptCount(messages, snapshot.turns, snapshot.messageCount, options.atTurn);
  const edits = [...(options.edits ?? []), ...(options.task !== undefined ? [{ index: 0, text: options.task }] : [])];
  checkEdits(edits, messages.slice(0, count), options.task !== undefined, (text, what) => client.store.checkSize(text, what));
  const runId = options.runId ?? newRunId(team.name);
  await mustBeFree(client, runId);
  // Claimed before anything is written: a claim whose run never starts is passed over by joinContext.
  const context = options.contextId ? { contextId: options.contextId, owner: options.contextOwner ?? null } : null;
  if (context && !(await new ContextLedger(client.store).claim(context, 0, { runId, before: [] }))) {
    throw new InvalidRequestError(`context "${options.contextId}" has tasks already; a fork begins a new one`);
  }

  // Before any record points at them: prune keeps the bodies of the runs this note names while
  // the fork stays (store/prune.ts). The original's own note is folded in, so a fork of a fork
  // names the first original too, whose bodies its records point at directly (recordOf keeps refs).
  const shared = (await client.store.runNote<string[]>(from, SHARED_BODIES_NOTE)) ?? [];
  await client.store.putRunNote(runId, SHARED_BODIES_NOTE, [...new Set([from, ...shared])]);
  const kept = await Promise.all(
    messages.slice(0, count).map(async (message) => {
      const edit = edits.find((e) => e.index === message.index);
      return edit ? editedRecord(message, await client.store.putBody(runId, { content: edit.text })) : recordOf(message);
    }),
  );
  await client.store.putRecords(runId, kept);
  // A fork of a follow-up reads what the original read before its own messages: the same note.
  const earlier = await client.store.runNote<EarlierPart[]>(from, EARLIER_NOTE);
  if (earlier?.length) await client.store.putRunNote(runId, EARLIER_NOTE, earlier);

  const origin: ForkOrigin = { run: from, turn: options.atTurn };
  const forkInput: TeamRunInput = {
    v: 1,
    team,
    task: '',
    contextId: options.contextId ?? null,
    ...(options.pushConfigs?.length ? { pushConfigs: options.pushConfigs } : {}),
    ...(earlier?.length ? { earlier: earlier.length } : {}),
    ...(input.user ? { user: input.user } : {}),
    ...(input.options ? { options: input.options } : {}),
    fork: forkStart(team, origin, kept),
  };
  // A fork is a new conversation: never in the original's context.
  await startWorkflow(runId, forkInput, {
    ...initialRunMemo(team.name, options.contextId ?? null),
    forkedFrom: origin,
    ...(options.startedBy ? { startedBy: options.startedBy } : {}),
  });
  return runId;
}

/**
 * The run's first `count` messages: its records in the store, then (a run waiting on a person has
 * not written its newest records yet) the rest from the run itself, as records of the same bodies.
 */
async function firstMessages(client: RunReads, runId: string, count: number): Promise<ChatMessage[]> {
  const stored = await client.store.records(runId);
  let onRecord = 0;
  while (onRecord < stored.length && onRecord < count && stored[onRecord]!.index === onRecord) onRecord += 1;
  if (onRecord >= count) return stored.slice(0, count);
  const rest = await client.transcript(runId, onRecord, count - onRecord);
  return [...stored.slice(0, onRecord), ...rest.messages.map(recordOf)];
}

/** Each edit names a kept text message, once, with text the store takes. */
function checkEdits(
  edits: { index: number; text: string }[],
  kept: ChatMessage[],
  hasTask: boolean,
  checkSize: (text: string, what: string) => void,
): void {
  const seen = new Set<number>();
  const count = kept.length;
  for (const { index, text } of edits) {
    const flag = index === 0 && hasTask && !seen.has(0) ? '--task' : `--edit ${index}`;
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new ForkRefusal(`${flag}`, `the fork keeps messages 0 to ${count - 1} (the task and its first turns); edit one of those`);
    }
    const kind = kept[index]!.kind;
    if (kind !== 'text' && kind !== 'stop')
      throw new ForkRefusal(`${flag}`, `message ${index} is a ${kind.replace('_', ' ')}; only text can be edited`);
    if (seen.has(index)) throw new ForkRefusal(`${flag}`, `message ${index} is edited twice (--task is message 0)`);
    seen.add(index);
    if (!text.trim()) throw new InvalidRequestError(`${flag}: the new text is empty`);
    checkSize(text, flag);
  }
}

/** A kept message with new text: a record of the fork's own, at a body the fork wrote. */
function editedRecord(message: ChatMessage, ref: string): ChatMessage {
  const { toolCalls: _calls, toolResults: _results, attachments: _files, cut: _cut, ...rest } = recordOf(message);
  return { ...rest, content: '', ref, elided: true };
}

/** The fork's id must name no run: its records are written before it starts. */
async function mustBeFree(client: RunReads, runId: string): Promise<void> {
  try {
    await client.peek(runId);
  } catch (err) {
    if (err instanceof RunNotFoundError) return;
    throw err;
  }
  throw new RunAlreadyExistsError(runId);
}
