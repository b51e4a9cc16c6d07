import { z } from 'zod';
import { PositiveDurationSchema, type DurationSpec } from './duration-schema';

/**
 * When a team stops, as plain data (it travels in the workflow input). The semantics follow
 * AutoGen's termination conditions; ours hold no hidden state and read no clock: core evaluates
 * them as pure functions and the workflow times `timeout` with a durable timer.
 */
export type TerminationSpec =
  | TextMentionSpec
  | MaxMessagesSpec
  | StopMessageSpec
  | SourceMatchSpec
  | TokenUsageSpec
  | TimeoutSpec
  | ExternalSpec
  | HandoffTerminationSpec
  | FunctionCallSpec
  | AnySpec
  | AllSpec;

/** Holds when a message (from one of `sources`, if given) contains `text`. */
export interface TextMentionSpec {
  type: 'text_mention';
  text: string;
  sources?: string[];
}
/** Holds when the conversation has `max` messages, the task message included. */
export interface MaxMessagesSpec {
  type: 'max_messages';
  max: number;
}
/** Holds when an agent sends a stop message (its reply ends with its `stopSignal`). */
export interface StopMessageSpec {
  type: 'stop_message';
}
/** Holds as soon as any of `sources` has spoken. */
export interface SourceMatchSpec {
  type: 'source_match';
  sources: string[];
}
/** Holds when the agents' token usage reaches any of the limits given. */
export interface TokenUsageSpec {
  type: 'token_usage';
  maxTotalTokens?: number;
  maxPromptTokens?: number;
  maxCompletionTokens?: number;
}
/** Holds once `after` has passed since the run started, in durable workflow time. */
export interface TimeoutSpec {
  type: 'timeout';
  after: DurationSpec;
}
/** Holds when someone asks the run to stop (the stop signal; `durable-teams stop`). */
export interface ExternalSpec {
  type: 'external';
}
/** Holds when an agent hands off to `target` (an agent's name, or "user"). */
export interface HandoffTerminationSpec {
  type: 'handoff';
  target: string;
}
/** Holds when a tool named `functionName` has been called (its result is in). */
export interface FunctionCallSpec {
  type: 'function_call';
  functionName: string;
}
/** Holds when any of its conditions holds. */
export interface AnySpec {
  type: 'any';
  conditions: TerminationSpec[];
}
/** Holds once every one of its conditions has held, not necessarily at the same time. */
export interface AllSpec {
  type: 'all';
  conditions: TerminationSpec[];
}

export type TerminationType = TerminationSpec['type'];

const sources = z.array(z.string().min(1)).min(1, 'list at least one agent name');
const tokenLimit = z.number().int().positive();

export const TerminationSchema: z.ZodType<TerminationSpec> = z.lazy(() =>
  z.discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('text_mention'), text: z.string().min(1), sources: sources.optional() }),
      z.strictObject({ type: z.literal('max_messages'), max: z.number().int().positive() }),
      z.strictObject({ type: z.literal('stop_message') }),
      z.strictObject({ type: z.literal('source_match'), sources }),
      z
        .strictObject({
          type: z.literal('token_usage'),
          maxTotalTokens: tokenLimit.optional(),
          maxPromptTokens: tokenLimit.optional(),
          maxCompletionTokens: tokenLimit.optional(),
        })
        .refine((c) => c.maxTotalTokens ?? c.maxPromptTokens ?? c.maxCompletionTokens, {
          message: 'set at least one of maxTotalTokens, maxPromptTokens, maxCompletionTokens',
        }),
      z.strictObject({ type: z.literal('timeout'), after: PositiveDurationSchema }),
      z.strictObject({ type: z.literal('external') }),
      z.strictObject({ type: z.literal('handoff'), target: z.string().min(1) }),
      z.strictObject({ type: z.literal('function_call'), functionName: z.string().min(1) }),
      z.strictObject({ type: z.literal('any'), conditions: z.array(TerminationSchema).min(1) }),
      z.strictObject({ type: z.literal('all'), conditions: z.array(TerminationSchema).min(1) }),
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union'
          ? 'expected `type` to be one of text_mention, max_messages, stop_message, source_match, ' +
            'token_usage, timeout, external, handoff, function_call, any, all'
          : undefined,
    },
  ),
);

/** Every condition in a tree, depth first, with its path below `termination` (for error messages). */
export function* walkTermination(
  spec: TerminationSpec,
  path: (string | number)[] = [],
): Generator<{ spec: TerminationSpec; path: (string | number)[] }> {
  yield { spec, path };
  if (spec.type === 'any' || spec.type === 'all') {
    for (const [i, child] of spec.conditions.entries()) yield* walkTermination(child, [...path, 'conditions', i]);
  }
}
