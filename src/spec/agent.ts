import { z } from 'zod';
import { modelSettingsShape, type ModelSettings } from './model-settings';
import { RetrySchema, TimeoutsSchema, type RetrySpec, type TimeoutsSpec } from './retry';

/** Agent names go into OpenAI's `name` field, whose rule this is. */
export const AGENT_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Names the runtime uses itself: the task's author and the speaker selector. */
export const RESERVED_NAMES = ['user', 'selector'] as const;

/** One participant of a team: an LLM agent that answers through an OpenAI-compatible endpoint. */
export interface AgentSpec extends ModelSettings {
  name: string;
  kind?: 'llm';
  /** What the agent does; the selector reads it to choose the next speaker. */
  description: string;
  /** Default: "You are <name>. <description>" */
  systemMessage?: string;
  /** A reply ending with this text is a stop message (the text is removed from it). */
  stopSignal?: string;
  retry?: RetrySpec;
  timeouts?: TimeoutsSpec;
}

export const AgentSchema: z.ZodType<AgentSpec> = z.strictObject({
  name: z.string().regex(AGENT_NAME_PATTERN, {
    message: 'expected a letter then letters, digits, "_" or "-" (64 characters at most)',
  }),
  kind: z.literal('llm').optional(),
  description: z.string().min(1, 'describe what the agent does (the selector reads it)'),
  systemMessage: z.string().min(1).optional(),
  stopSignal: z.string().min(1).optional(),
  retry: RetrySchema.optional(),
  timeouts: TimeoutsSchema.optional(),
  ...modelSettingsShape,
});
