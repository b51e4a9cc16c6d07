import { z } from 'zod';

/**
 * How the team answers over A2A. Plain data in the team file, read by the front end only: the
 * workflow carries it in its input and ignores it.
 */
export interface A2AOptionsSpec {
  /**
   * What a blocking SendMessage (or SendStreamingMessage) that starts a run answers when the run
   * completes without waiting on anyone: `task` (default), the task with its final answer as an
   * artifact; or `message`, the final answer as a bare Message, which A2A allows for one-shot
   * agents (§3.1.1). A run that waits for input, fails or is rejected is answered with its task
   * either way, and so is a send with `returnImmediately`.
   */
  reply?: A2AReply;
}

export type A2AReply = 'task' | 'message';

export const A2AOptionsSchema: z.ZodType<A2AOptionsSpec> = z.strictObject({
  reply: z.enum(['task', 'message'], { error: 'expected "task" or "message"' }).optional(),
});
