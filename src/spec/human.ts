import { z } from 'zod';
import { PositiveDurationSchema, type DurationSpec } from './duration-schema';
import { TerminationSchema, type TerminationSpec } from './termination';

/**
 * What happens when a person does not answer in time. `continue` goes on with `message` as the
 * answer (for an approval: as a request for changes); `approve` and `reject` decide for them.
 */
export interface HumanTimeoutSpec {
  after: DurationSpec;
  action: 'continue' | 'approve' | 'reject';
  message?: string;
}

export const HumanTimeoutSchema: z.ZodType<HumanTimeoutSpec> = z
  .strictObject({
    after: PositiveDurationSchema,
    action: z.enum(['continue', 'approve', 'reject'], { error: 'expected "continue", "approve" or "reject"' }),
    message: z.string().min(1).optional(),
  })
  .refine((t) => t.action !== 'continue' || t.message !== undefined, {
    message: 'with action "continue", give the `message` the run goes on with',
    path: ['message'],
  });

/**
 * A person's decision on the team's work. Asked before the run completes (unless
 * `beforeCompletion: false`) and, with `when`, each time that condition holds mid-run.
 */
export interface ApprovalSpec {
  beforeCompletion?: boolean;
  when?: TerminationSpec;
  /** Shown to the person; default: the stop reason and the last message. */
  prompt?: string;
  timeout?: HumanTimeoutSpec;
}

export const ApprovalSchema: z.ZodType<ApprovalSpec> = z.strictObject({
  beforeCompletion: z.boolean().optional(),
  when: TerminationSchema.optional(),
  prompt: z.string().min(1).optional(),
  timeout: HumanTimeoutSchema.optional(),
});

/** An agent that says `phrase` hands the conversation to a person and the run waits for the reply. */
export interface HandoffSpec {
  phrase: string;
  /** Who answers: a human agent of the team, or "user" (the default). */
  to?: string;
  timeout?: HumanTimeoutSpec;
}

export const HandoffSchema: z.ZodType<HandoffSpec> = z.strictObject({
  phrase: z.string().min(1),
  to: z.string().min(1).optional(),
  timeout: HumanTimeoutSchema.optional(),
});
