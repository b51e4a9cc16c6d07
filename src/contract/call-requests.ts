import { z } from 'zod';
import { McpServerSchema } from '../spec/mcp';
import {
  carriedConversationSchema,
  conversationRefSchema,
  memoryRequestSchema,
  remoteAnswerSchema,
  remoteAuthSchema,
  routedToolCallSchema,
  sendModeSchema,
} from './shared-parts';

/**
 * The inputs of the activities that call out: a tool (function, remote or memory) and a remote
 * A2A agent's turn. As in model-requests.ts, the schemas are what a worker accepts from history
 * and the types are read off them.
 */

/** One tool call, run as an activity of its own. */
export const ToolCallRequestSchema = z.object({
  v: z.literal(1),
  runId: z.string(),
  turn: z.number().int().min(0),
  agent: z.string().min(1),
  call: routedToolCallSchema,
  /** For a remote A2A tool: where the call goes and how it authenticates (from the team file). */
  remote: z
    .object({
      card: z.string().min(1),
      skill: z.string().nullable(),
      auth: remoteAuthSchema.nullable(),
      allowHosts: z.array(z.string()).nullable(),
    })
    .optional(),
  /**
   * `<run>/turn-<n>/<agent>/<round>/<call id>`: the same on every retry and after a worker restart
   * (the call id is on record in history), so a tool with side effects can deduplicate.
   */
  idempotencyKey: z.string().min(1),
  /** A remote tool whose task asked a question: the person's answer, for that same task. */
  answer: remoteAnswerSchema.optional(),
  /** For a built-in memory tool: whose memory it reads or writes. */
  memory: memoryRequestSchema.optional(),
  /** For an MCP tool: its server, as the team file has it (secrets only as variable names). */
  mcp: McpServerSchema.optional(),
});
export type ToolCallRequest = z.infer<typeof ToolCallRequestSchema>;

/** A remote A2A agent's turn: send the conversation (or its last message) and take the reply. */
export const RemoteTurnRequestSchema = z.object({
  v: z.literal(1),
  runId: z.string(),
  turn: z.number().int().min(0),
  /** Stable across retries and workers, so the remote agent can tell a repeat. */
  messageId: z.string().min(1),
  /** One remote conversation per run and agent. */
  contextId: z.string().min(1),
  agent: z.object({
    name: z.string().min(1),
    /** The card's URL; for a card written inline, the first URL it says to call (for messages). */
    card: z.string().min(1),
    /** The card itself, when the team file has it inline: nothing is fetched. */
    inlineCard: z.record(z.string(), z.unknown()).optional(),
    skill: z.string().nullable(),
    auth: remoteAuthSchema.nullable(),
    allowHosts: z.array(z.string()).nullable(),
    pollIntervalMs: z.number().positive(),
  }),
  /** The conversation in the store, of which `send` says what goes to the remote agent. */
  conversation: conversationRefSchema.optional(),
  send: sendModeSchema.optional(),
  /** What to send, as it is: a remote tool's message, or the request of an older run. */
  messages: carriedConversationSchema.optional(),
  /** Set when the remote task asked a question: the person's answer goes to that task. */
  answer: remoteAnswerSchema.optional(),
});
export type RemoteTurnRequest = z.infer<typeof RemoteTurnRequestSchema>;
