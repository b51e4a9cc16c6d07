import { AgentOutputSchema, type AgentOutputSpec } from './agent-output';
import { z } from 'zod';
import { McpServerSchema, type McpServerSpec } from './mcp';
import type { TeamSpec } from './team';
import { modelSettingsShape, type ModelSettings } from './model-settings';
import { HumanTimeoutSchema, type HumanTimeoutSpec } from './human';
import { RetrySchema, TimeoutsSchema, type RetrySpec, type TimeoutsSpec } from './retry';
import { PositiveDurationSchema, type DurationSpec } from './duration-schema';
import { cardProblem } from './card-schema';
import { toolOptionsShape, type ToolOptionsSpec, type ToolUseSpec } from './tools';
import { MemorySchema, type MemorySpec } from './memory';

export { isHuman, isLlm, isNestedTeam, isRemote } from './plain/agent-kinds';

/** Agent names go into OpenAI's `name` field, whose rule this is. */
export const AGENT_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Names the runtime uses itself: the task's author and the speaker selector. */
export const RESERVED_NAMES = ['user', 'selector'] as const;

/** One participant of a team: a model, a person, a remote A2A agent, or a whole team. */
export type AgentSpec = LlmAgentSpec | HumanAgentSpec | RemoteAgentSpec | NestedTeamAgentSpec;

/**
 * A team as one participant of another: its turn runs the inner team (a child workflow) on the
 * conversation, and the inner team's final answer is its message.
 */
export interface NestedTeamAgentSpec {
  name: string;
  kind: 'team';
  description: string;
  team: TeamSpec;
  /** What the inner team gets as its task: the whole conversation (default) or the last message. */
  send?: 'conversation' | 'last';
}

/** An agent that answers through an OpenAI-compatible endpoint (`kind` may be left out). */
export interface LlmAgentSpec extends ModelSettings, ToolOptionsSpec {
  name: string;
  kind?: 'llm';
  /** What the agent does; the selector reads it to choose the next speaker. */
  description: string;
  /** Default: "You are <name>. <description>" */
  systemMessage?: string;
  /** A reply ending with this text is a stop message (the text is removed from it). */
  stopSignal?: string;
  /** Tools the model may call: function tools registered on the worker, remote A2A agents. */
  tools?: ToolUseSpec[];
  retry?: RetrySpec;
  timeouts?: TimeoutsSpec;
  /** The reply as structured data or a file (see agent-output.ts). Default: text. */
  output?: AgentOutputSpec;
  /** Long-term memory (see memory.ts); overrides the team's `memory`. */
  memory?: MemorySpec;
  /** MCP servers whose tools the model may call (see mcp.ts), besides the team's. */
  mcp?: McpServerSpec[];
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

/** How a remote agent's calls authenticate: secrets are named by environment variable, never written here. */
export interface RemoteAuthSpec {
  /** Sent as `Authorization: Bearer <value of this variable>`. */
  bearerEnv?: string;
  /** Sent in `apiKeyHeader` (default X-API-Key). */
  apiKeyEnv?: string;
  apiKeyHeader?: string;
}

/**
 * An agent that lives elsewhere, reached over A2A: its turn sends the conversation as an A2A
 * message and takes the remote reply (the task's artifacts, or its message) as its message.
 */
export interface RemoteAgentSpec {
  name: string;
  kind: 'a2a';
  description: string;
  /**
   * URL of the remote agent card, or the card itself (its JSON, v1.0 or v0.3), for an agent
   * whose card is not served anywhere; it is checked as a fetched card is.
   */
  card: string | InlineAgentCard;
  /** A skill of the card to address (sent in the message metadata as `skill`). */
  skill?: string;
  /** What the remote agent is sent: the whole conversation (default) or the last message only. */
  send?: 'conversation' | 'last';
  auth?: RemoteAuthSpec;
  /** Hosts calls may go to (host, host:port, *.domain). Default: the card URL's host. */
  allowHosts?: string[];
  /** How often a remote task that is still working is asked again. Default "500ms". */
  pollInterval?: DurationSpec;
  retry?: RetrySpec;
  timeouts?: TimeoutsSpec;
}

/** An agent card written into the team file: the card's JSON as its owner publishes it. */
export type InlineAgentCard = Record<string, unknown>;

const agentName = z.string().regex(AGENT_NAME_PATTERN, {
  message: 'expected a letter then letters, digits, "_" or "-" (64 characters at most)',
});
const description = z.string().min(1, 'describe what the agent does (the selector reads it)');

export const HumanAgentSchema = z.strictObject({
  name: agentName,
  kind: z.literal('human'),
  description,
  prompt: z.string().min(1).optional(),
  timeout: HumanTimeoutSchema.optional(),
});

export const LlmAgentSchema = z.strictObject({
  name: agentName,
  kind: z.literal('llm').optional(),
  description,
  systemMessage: z.string().min(1).optional(),
  stopSignal: z.string().min(1).optional(),
  retry: RetrySchema.optional(),
  timeouts: TimeoutsSchema.optional(),
  output: AgentOutputSchema.optional(),
  memory: MemorySchema.optional(),
  mcp: z.array(McpServerSchema).optional(),
  ...toolOptionsShape,
  ...modelSettingsShape,
});

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected the NAME of an environment variable, not its value');

const CARD_ERROR = 'expected the http(s) URL of an agent card, or the card itself (an object)';

function checkInlineCard(raw: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const problem = cardProblem(raw);
  if (problem) ctx.addIssue({ code: 'custom', message: `not an agent card: ${problem}` });
}

export const RemoteAgentSchema = z.strictObject({
  name: agentName,
  kind: z.literal('a2a'),
  description,
  card: z.union([z.url({ protocol: /^https?$/, error: CARD_ERROR }), z.record(z.string(), z.unknown()).superRefine(checkInlineCard)], {
    error: CARD_ERROR,
  }),
  skill: z.string().min(1).optional(),
  send: z.enum(['conversation', 'last']).optional(),
  auth: z
    .strictObject({ bearerEnv: envName.optional(), apiKeyEnv: envName.optional(), apiKeyHeader: z.string().min(1).optional() })
    .optional(),
  allowHosts: z.array(z.string().min(1)).min(1).optional(),
  pollInterval: PositiveDurationSchema.optional(),
  retry: RetrySchema.optional(),
  timeouts: TimeoutsSchema.optional(),
});

/** The common fields of a nested team participant; its `team` is checked where the team schema lives. */
export const nestedTeamShape = { name: agentName, kind: z.literal('team'), description, send: z.enum(['conversation', 'last']).optional() };

export const AGENT_KIND_ERROR = 'expected `kind` to be "llm" (the default), "human", "a2a" or "team"';
