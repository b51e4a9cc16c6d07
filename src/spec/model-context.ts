import { z } from 'zod';

/**
 * Which part of a long conversation an agent's model call sees, as AutoGen's model contexts:
 * everything (`unbounded`, the default), the newest `size` messages (`buffered`), the first
 * `head` and newest `tail` (`head_and_tail`), or the newest that fit `maxTokens` (`token_limited`,
 * counted at about four characters a token).
 */
export type ModelContextSpec =
  | { type: 'unbounded' }
  | { type: 'buffered'; size: number }
  | { type: 'head_and_tail'; head: number; tail: number }
  | { type: 'token_limited'; maxTokens: number };

const count = z.number().int().positive();

export const ModelContextSchema: z.ZodType<ModelContextSpec> = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('unbounded') }),
    z.strictObject({ type: z.literal('buffered'), size: count }),
    z.strictObject({ type: z.literal('head_and_tail'), head: count, tail: count }),
    z.strictObject({ type: z.literal('token_limited'), maxTokens: count }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? 'expected `type` to be unbounded, buffered, head_and_tail or token_limited' : undefined,
  },
);
