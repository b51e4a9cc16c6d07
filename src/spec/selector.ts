import { z } from 'zod';
import { modelSettingsShape, type ModelSettings } from './model-settings';
import { RetrySchema, TimeoutsSchema, type RetrySpec, type TimeoutsSpec } from './retry';

/** How the `selector` pattern asks a model to choose the next speaker. */
export interface SelectorSpec extends ModelSettings {
  /**
   * The prompt. Placeholders: {roles} (one "name: description" line per candidate),
   * {participants} (the candidates' names) and {history} (the conversation so far).
   */
  prompt?: string;
  /** May the last speaker be chosen again? Default false. */
  allowRepeatedSpeaker?: boolean;
  /** Model calls before falling back (to the last speaker, else the first candidate). Default 3. */
  maxAttempts?: number;
  /** Candidate filter: who may speak after whom. Speakers not listed here may be followed by anyone. */
  transitions?: Record<string, string[]>;
  /**
   * A selector function registered on the worker under this name: it names the next speaker, or
   * returns null to let the model choose (AutoGen's selector_func). Code cannot travel in a team file.
   */
  function?: string;
  /** A candidate filter registered on the worker: who the model may choose from (AutoGen's candidate_func). */
  candidateFilter?: string;
  retry?: RetrySpec;
  timeouts?: TimeoutsSpec;
}

export const SelectorSchema: z.ZodType<SelectorSpec> = z.strictObject({
  prompt: z.string().min(1).optional(),
  allowRepeatedSpeaker: z.boolean().optional(),
  maxAttempts: z.number().int().min(1).max(10).optional(),
  transitions: z.record(z.string(), z.array(z.string()).min(1, 'list at least one agent')).optional(),
  function: z.string().min(1).optional(),
  candidateFilter: z.string().min(1).optional(),
  retry: RetrySchema.optional(),
  timeouts: TimeoutsSchema.optional(),
  ...modelSettingsShape,
});
