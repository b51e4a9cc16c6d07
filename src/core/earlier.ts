/**
 * What came before a run in its conversation: earlier runs of the same A2A context, and tasks a
 * client referenced. They are read by reference from the conversation store (never copied into
 * the new run's history) and put before the run's own messages wherever a step reads the
 * conversation; the agents' model contexts then decide what each model sees.
 */

/** How much of the earlier tasks of its context a new run starts with (the team's `context`). */
export type ContextSetting = 'full' | 'answers' | 'none';

/** The default: a follow-up carries on the conversation as AutoGen's teams do between runs. */
export const DEFAULT_CONTEXT_SETTING: ContextSetting = 'full';

/** An ended run as the runs after it see it: how many messages it has, and which is its answer. */
export interface PastRun {
  runId: string;
  /** Its messages are indexes 0 to count - 1. */
  count: number;
  /** The index of its answer (the newest message of an agent), or null when it gave none. */
  answer: number | null;
}

/** A part of an earlier run to read: all of its messages below `count`, or only those listed. */
export interface EarlierPart {
  runId: string;
  count: number;
  only?: number[];
}

/** A run's task and answer: what `answers` keeps of it. */
function answersOf(run: PastRun): EarlierPart {
  return { runId: run.runId, count: run.count, only: run.answer === null ? [0] : [0, run.answer] };
}

/**
 * What a new run reads before its own messages: the context's earlier runs as the setting says,
 * then the referenced runs not already among them. A reference is explicit, so it is read even
 * with `none` (its task and answer then, or all of it with `full`).
 */
export function earlierParts(chain: readonly PastRun[], references: readonly PastRun[], setting: ContextSetting): EarlierPart[] {
  const parts: EarlierPart[] =
    setting === 'none' ? [] : chain.map((run) => (setting === 'full' ? { runId: run.runId, count: run.count } : answersOf(run)));
  const seen = new Set(parts.map((p) => p.runId));
  for (const run of references) {
    if (seen.has(run.runId)) continue;
    seen.add(run.runId);
    parts.push(setting === 'full' ? { runId: run.runId, count: run.count } : answersOf(run));
  }
  return parts;
}
