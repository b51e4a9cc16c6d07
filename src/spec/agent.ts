import { z } from 'zod';
import { modelSettingsShape, type ModelSettings } from './model-settings';
import { HumanTimeoutSchema, type HumanTimeoutSpec } from './human';
import { RetrySchema, TimeoutsSchema, type RetrySpec, type TimeoutsSpec } from './retry';

/** Agent names go into OpenAI's `name` field, whose rule this is. */
export const AGENT_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Names the runtime uses itself: the task's author and the speaker selector. */
export const RESERVED_NAMES = ['user', 'selector'] as const;

/** One participant of a team: a model, or a person. */
export type AgentSpec = LlmAgentSpec | HumanAgentSpec;

/** An agent that answers through an OpenAI-compatible endpoint (`kind` may be left out). */
export interface LlmAgentSpec extends ModelSettings {
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

/** A person in the team: on their turn the run asks them (input-required) and waits, durably. */
export interface HumanAgentSpec {
  name: string;
  kind: 'human';
  description: string;
  /** Shown to the person when it is their turn. */
  prompt?: string;
  timeout?: HumanTimeoutSpec;
}

export function isHuman(agent: AgentSpec): agent is HumanAgentSpec {
  return agent.kind === 'human';
}

export function isLlm(agent: AgentSpec): agent is LlmAgentSpec {
  return agent.kind !== 'human';
}

const agentName = z.string().regex(AGENT_NAME_PATTERN, {
  message: 'expected a letter then letters, digits, "_" or "-" (64 characters at most)',
});
const description = z.string().min(1, 'describe what the agent does (the selector reads it)');

const HumanAgentSchema = z.strictObject({
  name: agentName,
  kind: z.literal('human'),
  description,
  prompt: z.string().min(1).optional(),
  timeout: HumanTimeoutSchema.optional(),
});

const LlmAgentSchema = z.strictObject({
  name: agentName,
  kind: z.literal('llm').optional(),
  description,
  systemMessage: z.string().min(1).optional(),
  stopSignal: z.string().min(1).optional(),
  retry: RetrySchema.optional(),
  timeouts: TimeoutsSchema.optional(),
  ...modelSettingsShape,
});

export const AgentSchema: z.ZodType<AgentSpec> = z.discriminatedUnion('kind', [LlmAgentSchema, HumanAgentSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'expected `kind` to be "llm" (the default) or "human"' : undefined),
});
