import { AgentOutputSchema } from '../src/spec/agent-output';
import { z } from 'zod';
import type {
  AgentTurnRequest,
  CustomSelectionRequest,
  RemoteTurnRequest,
  SelectSpeakerRequest,
  ToolCallRequest,
} from '../src/core/activity-contract';
import { ModelSettingsSchema } from '../src/spec/model-settings';
import { ModelContextSchema } from '../src/spec/model-context';
import type { ChatMessage } from '../src/core/messages';
import type { ConversationRef } from '../src/core/stored-messages';
import type { MemoryRequest } from '../src/core/memory-request';

/**
 * Activity inputs come out of history, written by whatever workflow version scheduled them.
 * Checking them here turns a mismatch into a clear, non-retryable failure instead of a model call
 * with half its fields missing.
 */
const toolCall = z.object({ id: z.string(), name: z.string(), arguments: z.string() });
const toolResult = z.object({ callId: z.string(), name: z.string(), content: z.string(), isError: z.boolean() });
const conversation = z.array(
  z.object({
    source: z.string(),
    content: z.string(),
    kind: z.enum(['tool_call', 'tool_result']).optional(),
    toolCalls: z.array(toolCall).optional(),
    toolResults: z.array(toolResult).optional(),
  }),
);
const usage = z.object({ promptTokens: z.number(), completionTokens: z.number() });
/** A message's record: what it says may be left out (elided), to be read from the store by `ref`. */
const messageRecord: z.ZodType<ChatMessage> = z.object({
  index: z.number().int().min(0),
  source: z.string(),
  content: z.string(),
  kind: z.enum(['text', 'stop', 'tool_call', 'tool_result']),
  turn: z.number().int().min(0).nullable(),
  usage: usage.optional(),
  model: z.string().optional(),
  toolCalls: z.array(toolCall).optional(),
  toolResults: z.array(toolResult.extend({ ref: z.string().optional() })).optional(),
  handoff: z.object({ target: z.string() }).optional(),
  at: z.number(),
  ref: z.string().optional(),
  cut: z.number().int().min(0).optional(),
  elided: z.literal(true).optional(),
});
const conversationRef: z.ZodType<ConversationRef> = z.object({
  runId: z.string().min(1),
  count: z.number().int().min(0),
  unstored: z.array(messageRecord),
  earlier: z.number().int().positive().optional(),
});
const sendMode = z.enum(['conversation', 'last']);
/** Whose memory a turn or a memory tool reads and writes (see core/memory-request.ts). */
const memoryRequest: z.ZodType<MemoryRequest> = z.object({
  team: z.string().min(1),
  scope: z.enum(['context', 'team', 'user']),
  key: z.string().min(1).nullable(),
  top: z.number().int().min(1),
  embeddings: z.object({ model: z.string().min(1), baseUrl: z.string().optional(), apiKeyEnv: z.string().optional() }).optional(),
});

/** The store's part of a request: its conversation, and the records it carries to be written. */
export const ConversationRefSchema = conversationRef;

const auth = z.object({ bearerEnv: z.string().optional(), apiKeyEnv: z.string().optional(), apiKeyHeader: z.string().optional() });
const toolRef = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('function'), name: z.string().min(1) }),
  z.object({
    kind: z.literal('a2a'),
    entry: z.number().int().min(0),
    card: z.string().min(1),
    skill: z.string().nullable(),
    name: z.string().nullable(),
    description: z.string().nullable(),
    auth: auth.nullable(),
    allowHosts: z.array(z.string()).nullable(),
  }),
  z.object({ kind: z.literal('handoff'), target: z.string().min(1), description: z.string() }),
  z.object({ kind: z.literal('memory'), name: z.enum(['remember', 'recall']) }),
]);
const toolRoute = z.discriminatedUnion('kind', [
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
  z.object({ kind: z.literal('unknown') }),
]);

/** What is left of the run's budget, checked before the model is called. */
const budgetCheck = z.object({
  tokensLeft: z.number().nullable(),
  usdLeft: z.number().nullable(),
  price: z.object({ input: z.number(), output: z.number() }).nullable(),
});

export const AgentTurnRequestSchema: z.ZodType<AgentTurnRequest> = z.object({
  v: z.literal(1),
  runId: z.string(),
  turn: z.number().int().min(0),
  agent: z.object({
    name: z.string().min(1),
    description: z.string(),
    systemMessage: z.string().nullable(),
    settings: ModelSettingsSchema,
    output: AgentOutputSchema.optional(),
  }),
  conversation: conversationRef.optional(),
  context: ModelContextSchema.optional(),
  messages: conversation.optional(),
  tools: z.array(toolRef).optional(),
  parallelToolCalls: z.boolean().optional(),
  memory: memoryRequest.optional(),
  budget: budgetCheck.optional(),
});

/** A person's answer to a remote task's question, sent to that task. */
const remoteAnswer = z.object({ taskId: z.string().min(1), text: z.string(), messageId: z.string().min(1), questionId: z.string() });

export const ToolCallRequestSchema: z.ZodType<ToolCallRequest> = z.object({
  v: z.literal(1),
  runId: z.string(),
  turn: z.number().int().min(0),
  agent: z.string().min(1),
  call: toolCall.extend({ route: toolRoute }),
  remote: z
    .object({ card: z.string().min(1), skill: z.string().nullable(), auth: auth.nullable(), allowHosts: z.array(z.string()).nullable() })
    .optional(),
  idempotencyKey: z.string().min(1),
  answer: remoteAnswer.optional(),
  memory: memoryRequest.optional(),
});

export const CustomSelectionRequestSchema: z.ZodType<CustomSelectionRequest> = z.object({
  v: z.literal(1),
  runId: z.string(),
  turn: z.number().int().min(0),
  function: z.string().nullable(),
  candidateFilter: z.string().nullable(),
  agents: z.array(z.object({ name: z.string(), description: z.string() })),
  lastSpeaker: z.string().nullable(),
  conversation: conversationRef.optional(),
  messages: conversation.optional(),
});

export const SelectSpeakerRequestSchema: z.ZodType<SelectSpeakerRequest> = z.object({
  v: z.literal(1),
  runId: z.string(),
  turn: z.number().int().min(0),
  attempt: z.number().int().min(0),
  settings: ModelSettingsSchema,
  messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })),
  prompt: z.object({ template: z.string(), roles: z.string(), participants: z.string() }).optional(),
  conversation: conversationRef.optional(),
  budget: budgetCheck.optional(),
});

export const RemoteTurnRequestSchema: z.ZodType<RemoteTurnRequest> = z.object({
  v: z.literal(1),
  runId: z.string(),
  turn: z.number().int().min(0),
  messageId: z.string().min(1),
  contextId: z.string().min(1),
  agent: z.object({
    name: z.string().min(1),
    card: z.string().min(1),
    inlineCard: z.record(z.string(), z.unknown()).optional(),
    skill: z.string().nullable(),
    auth: auth.nullable(),
    allowHosts: z.array(z.string()).nullable(),
    pollIntervalMs: z.number().positive(),
  }),
  conversation: conversationRef.optional(),
  send: sendMode.optional(),
  messages: conversation.optional(),
  answer: remoteAnswer.optional(),
});

/** A nested team's task, read from the outer run's conversation by the inner run's first activity. */
export const NestedTaskRequestSchema = z.object({
  v: z.literal(1),
  runId: z.string().min(1),
  conversation: conversationRef,
  send: sendMode,
});

/** The records a run still holds, written when it ends. */
export const StoreRecordsRequestSchema = z.object({ v: z.literal(1), conversation: conversationRef });

/** Messages another run stored (a nested run's answer), read by the run that needs their text. */
export const ReadMessagesRequestSchema = z.object({ v: z.literal(1), runId: z.string().min(1), records: z.array(messageRecord) });
