import { z } from 'zod';
import type { AgentTurnRequest, SelectSpeakerRequest } from '../src/core/requests';
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
