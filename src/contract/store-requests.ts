import { z } from 'zod';
import { conversationRefSchema, messageRecordSchema, sendModeSchema } from './shared-parts';

/** The inputs of the activities that only read or write the conversation store (activities/conversation.ts). */

/** A nested team's task, read from the outer run's conversation by the inner run's first activity. */
export const NestedTaskRequestSchema = z.object({
  v: z.literal(1),
  runId: z.string().min(1),
  conversation: conversationRefSchema,
  send: sendModeSchema,
});

/** The records a run still holds, written when it ends. */
export const StoreRecordsRequestSchema = z.object({ v: z.literal(1), conversation: conversationRefSchema });

/** Messages another run stored (a nested run's answer), read by the run that needs their text. */
export const ReadMessagesRequestSchema = z.object({ v: z.literal(1), runId: z.string().min(1), records: z.array(messageRecordSchema) });
