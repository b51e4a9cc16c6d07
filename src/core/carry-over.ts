import type { RunState } from './state';

/** How much of a run's past continue-as-new carries into the next execution. */
export interface CarryLimits {
  /** Characters of message content kept; the oldest messages go first, the task always stays. */
  maxMessageChars: number;
  /** Newest events kept for followers that are behind. */
  maxEvents: number;
}

/**
 * Temporal caps a payload at 2 MB; a continue-as-new input above it fails the run. Defaults leave
 * room for the team spec and the rest of the state.
 */
export const DEFAULT_CARRY_LIMITS: CarryLimits = { maxMessageChars: 1_000_000, maxEvents: 200 };

/**
 * The state a run continues with after continue-as-new. A very long conversation keeps its task
 * and its newest messages within the budget, so agents still see what they were asked and what
 * was said last; `messageCount` keeps counting the whole conversation.
 */
export function carryOver(state: RunState, limits: CarryLimits = DEFAULT_CARRY_LIMITS): RunState {
  const [task, ...rest] = state.messages;
  let budget = limits.maxMessageChars - (task?.content.length ?? 0);
  let keepFrom = rest.length;
  while (keepFrom > 0 && budget - rest[keepFrom - 1]!.content.length >= 0) {
    keepFrom -= 1;
    budget -= rest[keepFrom]!.content.length;
  }
  return {
    ...state,
    messages: task ? [task, ...rest.slice(keepFrom)] : [],
    // slice(-0) would keep every event
    events: limits.maxEvents > 0 ? state.events.slice(-limits.maxEvents) : [],
    continuedAsNew: state.continuedAsNew + 1,
  };
}
