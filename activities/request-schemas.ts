import { z } from 'zod';
import type { AgentTurnRequest, RemoteTurnRequest, SelectSpeakerRequest } from '../src/core/requests';
import { ModelSettingsSchema } from '../src/spec/model-settings';

/**
 * Activity inputs come out of history, written by whatever workflow version scheduled them.
 * Checking them here turns a mismatch into a clear, non-retryable failure instead of a model call
 * with half its fields missing.
 */
const conversation = z.array(z.object({ source: z.string(), content: z.string() }));

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
    skill: z.string().nullable(),
    auth: z.object({ bearerEnv: z.string().optional(), apiKeyEnv: z.string().optional(), apiKeyHeader: z.string().optional() }).nullable(),
    allowHosts: z.array(z.string()).nullable(),
    pollIntervalMs: z.number().positive(),
  }),
  messages: conversation,
  answer: z.object({ taskId: z.string().min(1), text: z.string(), messageId: z.string().min(1), questionId: z.string() }).optional(),
});
