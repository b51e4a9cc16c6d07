import { z } from 'zod';
import type { BudgetCheck } from '../core/budget';
import type { MemoryRequest } from '../core/memory-request';
import type { ChatMessage } from '../core/messages';
import type { ConversationRef } from '../core/stored-messages';

/**
 * Pieces several activity inputs share. Each schema is what a worker accepts from history, so a
 * change here is a change of the activity contract (see activities/parse-input.ts): what an older
 * workflow wrote must still parse. Pieces whose type is the run's own state (a message's record,
 * the conversation's reference, memory and budget requests) are checked against core's types.
 */

export const toolCallSchema = z.object({ id: z.string(), name: z.string(), arguments: z.string() });
const toolResult = z.object({ callId: z.string(), name: z.string(), content: z.string(), isError: z.boolean() });

/** A conversation carried in a request, as only requests of runs begun before the store do (no attachments). */
export const carriedConversationSchema = z.array(
  z.object({
    source: z.string(),
    content: z.string(),
    kind: z.enum(['tool_call', 'tool_result']).optional(),
    toolCalls: z.array(toolCallSchema).optional(),
    toolResults: z.array(toolResult).optional(),
  }),
);

const usage = z.object({ promptTokens: z.number(), completionTokens: z.number() });

/** A message's record: what it says may be left out (elided), to be read from the store by `ref`. */
export const messageRecordSchema: z.ZodType<ChatMessage> = z.object({
  index: z.number().int().min(0),
  source: z.string(),
  content: z.string(),
  kind: z.enum(['text', 'stop', 'tool_call', 'tool_result']),
  turn: z.number().int().min(0).nullable(),
  usage: usage.optional(),
  model: z.string().optional(),
  toolCalls: z.array(toolCallSchema).optional(),
  toolResults: z.array(toolResult.extend({ ref: z.string().optional() })).optional(),
  handoff: z.object({ target: z.string() }).optional(),
  at: z.number(),
  ref: z.string().optional(),
  cut: z.number().int().min(0).optional(),
  elided: z.literal(true).optional(),
});

/** The store's part of a request: its conversation, and the records it carries to be written. */
export const conversationRefSchema: z.ZodType<ConversationRef> = z.object({
  runId: z.string().min(1),
  count: z.number().int().min(0),
  unstored: z.array(messageRecordSchema),
  earlier: z.number().int().positive().optional(),
});

/** What a remote agent or a nested team is sent: the whole shared conversation, or its last message. */
export const sendModeSchema = z.enum(['conversation', 'last']);
export type SendMode = z.infer<typeof sendModeSchema>;

/** Whose memory a turn or a memory tool reads and writes (see core/memory-request.ts). */
export const memoryRequestSchema: z.ZodType<MemoryRequest> = z.object({
  team: z.string().min(1),
  scope: z.enum(['context', 'team', 'user']),
  key: z.string().min(1).nullable(),
  top: z.number().int().min(1),
  embeddings: z.object({ model: z.string().min(1), baseUrl: z.string().optional(), apiKeyEnv: z.string().optional() }).optional(),
});

/** What is left of the run's budget, checked before the model is called. */
export const budgetCheckSchema: z.ZodType<BudgetCheck> = z.object({
  tokensLeft: z.number().nullable(),
  usdLeft: z.number().nullable(),
  price: z.object({ input: z.number(), output: z.number() }).nullable(),
});

/** How a remote agent or tool authenticates: secrets named by environment variable, never carried. */
export const remoteAuthSchema = z.object({
  bearerEnv: z.string().optional(),
  apiKeyEnv: z.string().optional(),
  apiKeyHeader: z.string().optional(),
});

/** Where a call the model made goes, as the activity that offered the tools worked it out. */
export const toolRouteSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('function') }),
  z.object({
    kind: z.literal('a2a'),
    entry: z.number().int().min(0),
    skill: z.string().nullable(),
    card: z.string().min(1),
    cardName: z.string(),
  }),
  z.object({ kind: z.literal('handoff'), target: z.string().min(1) }),
  z.object({ kind: z.literal('memory') }),
  /** One of an MCP server's tools, by the server's own name for it, with what the server says of its effects. */
  z.object({
    kind: z.literal('mcp'),
    server: z.string().min(1),
    tool: z.string().min(1),
    hints: z
      .object({
        readOnlyHint: z.boolean().optional(),
        destructiveHint: z.boolean().optional(),
        idempotentHint: z.boolean().optional(),
        openWorldHint: z.boolean().optional(),
      })
      .optional(),
  }),
  /** The model named a tool it was not offered: it is told so, nothing runs. */
  z.object({ kind: z.literal('unknown') }),
]);
export type ToolRoute = z.infer<typeof toolRouteSchema>;

/** A call the model asked for, with where it goes. */
export const routedToolCallSchema = toolCallSchema.extend({ route: toolRouteSchema });
export type RoutedToolCall = z.infer<typeof routedToolCallSchema>;

/** A person's answer to a remote task's question (input-required or auth-required), sent to that task. */
export const remoteAnswerSchema = z.object({
  taskId: z.string().min(1),
  text: z.string(),
  /** Stable per question, so a retried send is one message to the remote. */
  messageId: z.string().min(1),
  /** The question it answers, to tell it from the next one the remote may ask. */
  questionId: z.string(),
});
export type RemoteAnswer = z.infer<typeof remoteAnswerSchema>;
