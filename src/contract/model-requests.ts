import { z } from 'zod';
import { AgentOutputSchema } from '../spec/agent-output';
import { McpServerSchema } from '../spec/mcp';
import { ModelContextSchema } from '../spec/model-context';
import { ModelSettingsSchema } from '../spec/model-settings';
import { budgetCheckSchema, carriedConversationSchema, conversationRefSchema, memoryRequestSchema, remoteAuthSchema } from './shared-parts';

/**
 * The inputs of the activities that ask a model or the worker's functions about the conversation:
 * an agent's turn, a selector attempt, the team's selector function. The schemas are what a worker
 * accepts from history; the types the workflow writes are read off them, so the two cannot differ.
 */

/**
 * A tool offered to the model. Function tools are described by the worker's registry (schema and
 * description live there); remote ones by the agent card, which the activity reads.
 */
const agentToolRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('function'), name: z.string().min(1) }),
  z.object({
    kind: z.literal('a2a'),
    /** Position of the spec's tool entry, so the workflow finds its approval and retry policy. */
    entry: z.number().int().min(0),
    card: z.string().min(1),
    skill: z.string().nullable(),
    name: z.string().nullable(),
    description: z.string().nullable(),
    auth: remoteAuthSchema.nullable(),
    allowHosts: z.array(z.string()).nullable(),
  }),
  /** A swarm's transfer_to_<target>: handled by the run itself, no activity. */
  z.object({ kind: z.literal('handoff'), target: z.string().min(1), description: z.string() }),
  /** A built-in memory tool (src/memory/memory-tools.ts): the agent has `memory` with `tools`. */
  z.object({ kind: z.literal('memory'), name: z.enum(['remember', 'recall']) }),
  /** An MCP server: its tools (the list pinned for the run, filtered and prefixed) are offered. */
  z.object({ kind: z.literal('mcp'), server: McpServerSchema }),
]);
export type AgentToolRef = z.infer<typeof agentToolRefSchema>;

/** One agent's turn: answer the conversation so far. */
export const AgentTurnRequestSchema = z.object({
  v: z.literal(1),
  runId: z.string(),
  turn: z.number().int().min(0),
  agent: z.object({
    name: z.string().min(1),
    description: z.string(),
    systemMessage: z.string().nullable(),
    settings: ModelSettingsSchema,
    /** The reply as structured data or a file; absent for plain text. */
    output: AgentOutputSchema.optional(),
  }),
  /**
   * The conversation in the store, which the activity reads and shows the model through the
   * agent's model context. (Requests of runs begun before the store carry `messages` instead.)
   */
  conversation: conversationRefSchema.optional(),
  /** The agent's model context: what part of its view the model sees. */
  context: ModelContextSchema.optional(),
  /** The agent's view, already cut by its model context: only in requests of older runs. */
  messages: carriedConversationSchema.optional(),
  /** Tools the model may call; absent when it has none or must answer now (reflection). */
  tools: z.array(agentToolRefSchema).optional(),
  /** False asks the model for one call at a time. */
  parallelToolCalls: z.boolean().optional(),
  /** The agent's memory: entries from it are added before the call. Absent when it has none. */
  memory: memoryRequestSchema.optional(),
  /** What is left of the run's budget: the activity counts the prompt before it calls. Absent: no budget. */
  budget: budgetCheckSchema.optional(),
});
export type AgentTurnRequest = z.infer<typeof AgentTurnRequestSchema>;

const promptMessageSchema = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() });
export type PromptMessage = z.infer<typeof promptMessageSchema>;

/** The selector's prompt with everything but the conversation filled in; the activity adds the history. */
const selectorPromptPartsSchema = z.object({ template: z.string(), roles: z.string(), participants: z.string() });
export type SelectorPromptParts = z.infer<typeof selectorPromptPartsSchema>;

/** One attempt at choosing the next speaker: a model call with a prompt core built. */
export const SelectSpeakerRequestSchema = z.object({
  v: z.literal(1),
  runId: z.string(),
  turn: z.number().int().min(0),
  attempt: z.number().int().min(0),
  settings: ModelSettingsSchema,
  /**
   * With `prompt` and `conversation`: what follows the prompt (earlier answers and what was
   * wrong with them). Without (older runs): the whole prompt.
   */
  messages: z.array(promptMessageSchema),
  prompt: selectorPromptPartsSchema.optional(),
  conversation: conversationRefSchema.optional(),
  /** What is left of the run's budget (see AgentTurnRequest.budget). */
  budget: budgetCheckSchema.optional(),
});
export type SelectSpeakerRequest = z.infer<typeof SelectSpeakerRequestSchema>;

/** Asks the worker's selector function and candidate filter (named in the spec) about the next speaker. */
export const CustomSelectionRequestSchema = z.object({
  v: z.literal(1),
  runId: z.string(),
  turn: z.number().int().min(0),
  function: z.string().nullable(),
  candidateFilter: z.string().nullable(),
  agents: z.array(z.object({ name: z.string(), description: z.string() })),
  lastSpeaker: z.string().nullable(),
  /** The conversation in the store; the functions see what every agent sees (no tool calls). */
  conversation: conversationRefSchema.optional(),
  /** The conversation itself: only in requests of older runs. */
  messages: carriedConversationSchema.optional(),
});
export type CustomSelectionRequest = z.infer<typeof CustomSelectionRequestSchema>;
