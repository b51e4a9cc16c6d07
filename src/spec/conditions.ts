import type { DurationSpec } from './duration-schema';
import type { TerminationSpec, TokenUsageSpec } from './termination';

/** Small constructors for termination conditions, for teams built in code. */

export const textMention = (text: string, options: { sources?: string[] } = {}): TerminationSpec => ({
  type: 'text_mention',
  text,
  ...(options.sources ? { sources: options.sources } : {}),
});
export const maxMessages = (max: number): TerminationSpec => ({ type: 'max_messages', max });
export const stopMessage = (): TerminationSpec => ({ type: 'stop_message' });
export const sourceMatch = (...sources: string[]): TerminationSpec => ({ type: 'source_match', sources });
export const tokenUsage = (limits: Omit<TokenUsageSpec, 'type'>): TerminationSpec => ({ type: 'token_usage', ...limits });
export const timeout = (after: DurationSpec): TerminationSpec => ({ type: 'timeout', after });
export const external = (): TerminationSpec => ({ type: 'external' });
export const handoffTo = (target: string): TerminationSpec => ({ type: 'handoff', target });
export const functionCall = (functionName: string): TerminationSpec => ({ type: 'function_call', functionName });
export const anyOf = (...conditions: TerminationSpec[]): TerminationSpec => ({ type: 'any', conditions });
export const allOf = (...conditions: TerminationSpec[]): TerminationSpec => ({ type: 'all', conditions });
