import { z } from 'zod';
import { check } from '../a2a/input/issues';
import { MAX_ANSWER_CHARS } from '../core/human';
import type { AnswerInput } from '../client/answers';
import { ConsoleError } from './api-errors';

const ACTIONS = ['input', 'approve', 'reject', 'request_changes', 'raise', 'stop'] as const;

/**
 * What the page posts to answer a request. A budget request takes `raise` (with the new limits) or
 * `stop`; the others take text. Whether the action fits the request, and whether a raise raises,
 * is the run's to say (core/human.ts refuseAnswer), so the page shows the run's own reason.
 */
const AnswerBody = z
  .strictObject({
    requestId: z.string().max(200).optional(),
    action: z.enum(ACTIONS, { error: `expected one of ${ACTIONS.join(', ')}` }),
    text: z
      .string()
      .max(MAX_ANSWER_CHARS, { error: `longer than ${MAX_ANSWER_CHARS} characters (64 KiB)` })
      .optional(),
    raise: z
      .strictObject({
        maxTotalTokens: z.number().int().positive({ error: 'expected a positive whole number of tokens' }).optional(),
        maxCostUsd: z.number().positive({ error: 'expected a positive amount of US dollars' }).finite().optional(),
      })
      .optional(),
  })
  .superRefine((body, ctx) => {
    const names = body.raise && (body.raise.maxTotalTokens !== undefined || body.raise.maxCostUsd !== undefined);
    if (body.action === 'raise' && !names)
      ctx.addIssue({ code: 'custom', path: ['raise'], message: 'a raise names a new limit: maxTotalTokens and/or maxCostUsd' });
    if (body.action !== 'raise' && body.raise !== undefined)
      ctx.addIssue({ code: 'custom', path: ['raise'], message: `only a raise carries new limits, not ${body.action}` });
  });

/** The answer a posted body gives, for `TeamClient.answer`; a 400 naming the field when the body is not one. */
export function answerOfBody(body: unknown, by: string): AnswerInput {
  const refused = check(AnswerBody, body ?? {}, 'body');
  if (refused) throw new ConsoleError(400, refused);
  const parsed = AnswerBody.parse(body);
  const text = parsed.text?.trim();
  const requestId = parsed.requestId?.trim();
  return {
    action: parsed.action,
    ...(requestId ? { requestId } : {}),
    ...(text ? { text } : {}),
    ...(parsed.raise ? { raise: parsed.raise } : {}),
    by,
  };
}
