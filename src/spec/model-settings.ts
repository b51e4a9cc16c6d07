import { z } from 'zod';

/**
 * Which model answers and where. Fields left out fall back to the team's `model` block, then to
 * the worker's defaults (OPENAI_BASE_URL, OPENAI_API_KEY). A key is never written here: the spec
 * names the environment variable that holds it, and the worker reads it when it calls the model.
 */
export interface ModelSettings {
  /** Model name sent to the endpoint, e.g. "gpt-4o-mini". */
  model?: string;
  /** OpenAI-compatible base URL, e.g. "http://127.0.0.1:11434/v1". */
  baseUrl?: string;
  /** Name of the environment variable holding the API key on the worker, e.g. "OPENAI_API_KEY". */
  apiKeyEnv?: string;
  /** Sampling temperature, 0 to 2. */
  temperature?: number;
  /** Cap on the reply's tokens. */
  maxTokens?: number;
  /**
   * How files and data sent with a message reach the model: `parts` (the default: images and
   * files as OpenAI content parts, data as JSON text) or `text` (a line naming each file, for
   * models that read text only).
   */
  files?: 'parts' | 'text';
}

export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const modelSettingsShape = {
  model: z.string().min(1).optional(),
  baseUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as "http://127.0.0.1:11434/v1"' }).optional(),
  apiKeyEnv: z
    .string()
    .regex(ENV_NAME_PATTERN, {
      // Never echo the value: someone may have pasted the key itself here.
      message: 'expected the name of an environment variable (like OPENAI_API_KEY), not the key itself',
    })
    .optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().optional(),
  files: z.enum(['parts', 'text'], { error: 'expected "parts" or "text"' }).optional(),
};

export const ModelSettingsSchema: z.ZodType<ModelSettings> = z.strictObject(modelSettingsShape);
