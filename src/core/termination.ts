import type { TerminationSpec, TerminationType } from '../spec/termination';
import { durationToMs, formatDuration } from './duration';
import { isConversational, type ChatMessage, type TokenUsage } from './messages';

/** What stopped a run: every condition that held, and a sentence for people. */
export interface StopNote {
  reason: string;
  conditions: StopCause[];
}

/** A termination condition, or the team's maxTurns cap. */
export type StopCause = TerminationType | 'max_turns' | 'budget';

/**
 * The memory of a condition tree between checks, mirroring the spec's shape: message counters,
 * token totals, and which children of an `all` have held. Plain JSON, carried across continue-as-new.
 */
export interface TerminationState {
  count?: number;
  tokens?: TokenUsage;
  held?: (StopNote | null)[];
  children?: TerminationState[];
}

/** What a check sees: the messages since the last check, the run's age, a pending stop request. */
export interface TerminationCheck {
  messages: readonly ChatMessage[];
  elapsedMs: number;
  externalStop: { reason: string } | null;
}

export function initialTerminationState(spec: TerminationSpec): TerminationState {
  switch (spec.type) {
    case 'max_messages':
      return { count: 0 };
    case 'token_usage':
      return { tokens: { promptTokens: 0, completionTokens: 0 } };
    case 'any':
      return { children: spec.conditions.map(initialTerminationState) };
    case 'all':
      return { children: spec.conditions.map(initialTerminationState), held: spec.conditions.map(() => null) };
    default:
      return {};
  }
}

function merge(notes: StopNote[]): StopNote {
  return { reason: notes.map((n) => n.reason).join('; '), conditions: notes.flatMap((n) => n.conditions) };
}

const note = (condition: StopCause, reason: string): StopNote => ({ reason, conditions: [condition] });

/**
 * Evaluates a condition tree against one check, updating `state` in place. AutoGen's semantics:
 * `any` shows the messages to every child (so counters stay right) and holds if one holds; `all`
 * remembers which children have held and holds once all have, without asking those again.
 */
export function checkTermination(spec: TerminationSpec, state: TerminationState, check: TerminationCheck): StopNote | null {
  // Tool calls and results are an agent's inner events: only token_usage (and the tool
  // conditions) look at them, as AutoGen's conditions ignore inner events by default.
  const said = check.messages.some((m) => !isConversational(m)) ? check.messages.filter(isConversational) : check.messages;
  switch (spec.type) {
    case 'text_mention': {
      const hit = said.find((m) => (!spec.sources || spec.sources.includes(m.source)) && m.content.includes(spec.text));
      return hit ? note('text_mention', `"${spec.text}" mentioned by ${hit.source}`) : null;
    }
    case 'max_messages': {
      state.count = (state.count ?? 0) + said.length;
      return state.count >= spec.max ? note('max_messages', `maximum of ${spec.max} messages reached`) : null;
    }
    case 'stop_message': {
      const stop = said.find((m) => m.kind === 'stop');
      return stop ? note('stop_message', `stop message from ${stop.source}`) : null;
    }
    case 'source_match': {
      const hit = said.find((m) => spec.sources.includes(m.source));
      return hit ? note('source_match', `${hit.source} has spoken`) : null;
    }
    case 'token_usage':
      return checkTokenUsage(spec, state, check.messages);
    case 'timeout': {
      const limit = durationToMs(spec.after) ?? 0;
      return check.elapsedMs >= limit ? note('timeout', `timeout of ${formatDuration(limit)} reached`) : null;
    }
    case 'handoff': {
      const hit = said.find((m) => m.handoff?.target === spec.target);
      return hit ? note('handoff', `${hit.source} handed off to ${spec.target}`) : null;
    }
    case 'function_call': {
      const hit = check.messages.find((m) => m.toolResults?.some((r) => r.name === spec.functionName));
      return hit ? note('function_call', `${hit.source} called ${spec.functionName}`) : null;
    }
    case 'external':
      return check.externalStop ? note('external', `stopped on request: ${check.externalStop.reason}`) : null;
    case 'any': {
      const children = (state.children ??= []);
      const held = spec.conditions
        .map((child, i) => checkTermination(child, (children[i] ??= {}), check))
        .filter((n): n is StopNote => n !== null);
      return held.length > 0 ? merge(held) : null;
    }
    case 'all': {
      const children = (state.children ??= []);
      const held = (state.held ??= spec.conditions.map(() => null));
      spec.conditions.forEach((child, i) => {
        if (!held[i]) held[i] = checkTermination(child, (children[i] ??= {}), check);
      });
      return held.every((n) => n !== null) ? merge(held as StopNote[]) : null;
    }
  }
}

function checkTokenUsage(
  spec: Extract<TerminationSpec, { type: 'token_usage' }>,
  state: TerminationState,
  messages: readonly ChatMessage[],
): StopNote | null {
  const tokens = (state.tokens ??= { promptTokens: 0, completionTokens: 0 });
  for (const m of messages) {
    tokens.promptTokens += m.usage?.promptTokens ?? 0;
    tokens.completionTokens += m.usage?.completionTokens ?? 0;
  }
  const total = tokens.promptTokens + tokens.completionTokens;
  const over: string[] = [];
  if (spec.maxTotalTokens !== undefined && total >= spec.maxTotalTokens) over.push(`${total} total >= ${spec.maxTotalTokens}`);
  if (spec.maxPromptTokens !== undefined && tokens.promptTokens >= spec.maxPromptTokens) {
    over.push(`${tokens.promptTokens} prompt >= ${spec.maxPromptTokens}`);
  }
  if (spec.maxCompletionTokens !== undefined && tokens.completionTokens >= spec.maxCompletionTokens) {
    over.push(`${tokens.completionTokens} completion >= ${spec.maxCompletionTokens}`);
  }
  return over.length > 0 ? note('token_usage', `token limit reached (${over.join(', ')})`) : null;
}

/** Does the tree name `external` anywhere? If not, a stop request acts as an extra `any` branch. */
export function mentionsExternal(spec: TerminationSpec | undefined): boolean {
  if (!spec) return false;
  if (spec.type === 'external') return true;
  return (spec.type === 'any' || spec.type === 'all') && spec.conditions.some(mentionsExternal);
}

/** Every timeout in the tree, in milliseconds after the run's start: the workflow sets a timer for each. */
export function timeoutDeadlines(spec: TerminationSpec | undefined): number[] {
  if (!spec) return [];
  if (spec.type === 'timeout') return [durationToMs(spec.after) ?? 0];
  if (spec.type === 'any' || spec.type === 'all') return [...new Set(spec.conditions.flatMap(timeoutDeadlines))];
  return [];
}
