import { z } from 'zod';
import type { AgentTurnRequest, CustomSelectionRequest, RemoteTurnRequest, SelectSpeakerRequest, ToolCallRequest } from '../src/core/requests';
import { ModelSettingsSchema } from '../src/spec/model-settings';

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
]);
const toolRoute = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('function') }),
  z.object({ kind: z.literal('a2a'), entry: z.number().int().min(0), skill: z.string().nullable(), card: z.string().min(1), cardName: z.string() }),
  z.object({ kind: z.literal('handoff'), target: z.string().min(1) }),
  z.object({ kind: z.literal('unknown') }),
]);

export const AgentTurnRequestSchema: z.ZodType<AgentTurnRequest> = z.object({
  v: z.literal(1),
  runId: z.string(),
  turn: z.number().int().min(0),
  agent: z.object({
    name: z.string().min(1),
    description: z.string(),
    systemMessage: z.string().nullable(),
    settings: ModelSettingsSchema,
  }),
  messages: conversation,
  tools: z.array(toolRef).optional(),
  parallelToolCalls: z.boolean().optional(),
});

/** A person's answer to a remote task's question, sent to that task. */
const remoteAnswer = z.object({ taskId: z.string().min(1), text: z.string(), messageId: z.string().min(1), questionId: z.string() });

export const ToolCallRequestSchema: z.ZodType<ToolCallRequest> = z.object({
  v: z.literal(1),
  runId: z.string(),
  turn: z.number().int().min(0),
  agent: z.string().min(1),
  call: toolCall.extend({ route: toolRoute }),
  remote: z.object({ card: z.string().min(1), skill: z.string().nullable(), auth: auth.nullable(), allowHosts: z.array(z.string()).nullable() }).optional(),
  idempotencyKey: z.string().min(1),
  answer: remoteAnswer.optional(),
});

export const CustomSelectionRequestSchema: z.ZodType<CustomSelectionRequest> = z.object({
  v: z.literal(1),
  runId: z.string(),
  turn: z.number().int().min(0),
  function: z.string().nullable(),
  candidateFilter: z.string().nullable(),
  agents: z.array(z.object({ name: z.string(), description: z.string() })),
  lastSpeaker: z.string().nullable(),
  messages: conversation,
});

export const SelectSpeakerRequestSchema: z.ZodType<SelectSpeakerRequest> = z.object({
  v: z.literal(1),
  runId: z.string(),
  turn: z.number().int().min(0),
  attempt: z.number().int().min(0),
  settings: ModelSettingsSchema,
  messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })),
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
  messages: conversation,
  answer: remoteAnswer.optional(),
});
