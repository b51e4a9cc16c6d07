import type { ConversationEntry, CustomSelection, CustomSelectionRequest } from '../core/activity-contract';

/** What a selector function or candidate filter is told: the conversation and who is in the team. */
export type SpeakerContext = Omit<CustomSelectionRequest, 'v' | 'function' | 'candidateFilter' | 'conversation' | 'messages'> & {
  /** The conversation as every agent sees it (no tool calls). */
  messages: ConversationEntry[];
};

/** Names the next speaker, or returns null to let the selector's model choose. */
export type SelectorFunction = (context: SpeakerContext) => string | null | Promise<string | null>;
/** Who the selector's model may choose from. */
export type CandidateFilter = (context: SpeakerContext) => string[] | Promise<string[]>;

/** The selector pattern's code, registered on the worker by the names team files use. */
export interface SpeakerFunctions {
  selectors?: Record<string, SelectorFunction>;
  candidateFilters?: Record<string, CandidateFilter>;
}

/** A team names a function the worker lacks, or a function answered with someone not in the team. */
export class SpeakerFunctionError extends Error {
  override readonly name = 'SpeakerFunctionError';
}

function lookup<T>(registry: Record<string, T> | undefined, name: string, what: string): T {
  const found = registry?.[name];
  if (found) return found;
  const have = Object.keys(registry ?? {});
  throw new SpeakerFunctionError(
    `${what} "${name}" is not registered on this worker (${have.length ? `it has ${have.map((n) => `"${n}"`).join(', ')}` : 'it has none'})`,
  );
}

/** Runs the team's selector function, then (when it leaves the choice to the model) its candidate filter. */
export async function runCustomSelection(
  functions: SpeakerFunctions,
  request: CustomSelectionRequest & { messages: ConversationEntry[] },
): Promise<CustomSelection> {
  const { v: _v, function: selectorName, candidateFilter, conversation: _conversation, ...context } = request;
  const names = new Set(request.agents.map((a) => a.name));
  const team = [...names].join(', ');
  if (selectorName) {
    const speaker = await lookup(functions.selectors, selectorName, 'selector function')(context);
    if (speaker !== null && speaker !== undefined) {
      if (!names.has(speaker))
        throw new SpeakerFunctionError(`selector function "${selectorName}" chose "${speaker}", who is not in the team (${team})`);
      return { v: 1, speaker, candidates: null };
    }
  }
  if (!candidateFilter) return { v: 1, speaker: null, candidates: null };
  const candidates = await lookup(functions.candidateFilters, candidateFilter, 'candidate filter')(context);
  const strangers = candidates.filter((c) => !names.has(c));
  if (strangers.length > 0)
    throw new SpeakerFunctionError(
      `candidate filter "${candidateFilter}" named ${strangers.map((s) => `"${s}"`).join(', ')}, not in the team (${team})`,
    );
  if (candidates.length === 0) throw new SpeakerFunctionError(`candidate filter "${candidateFilter}" left nobody to choose from`);
  return { v: 1, speaker: null, candidates: [...new Set(candidates)] };
}
