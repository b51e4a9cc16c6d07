import { z } from 'zod';
import { modelSettingsShape } from './model-settings';

export { DEFAULT_MEMORY_SCOPE, DEFAULT_MEMORY_TOP } from './plain/memory-settings';

/**
 * Where an agent's memory lives, and so who shares it: `team` (every run of the team), `context`
 * (the runs of one A2A context, the run alone when it has none) or `user` (a key the caller names
 * when it starts the run: one person's memory across the team's runs).
 */
export type MemoryScope = 'context' | 'team' | 'user';

export const MEMORY_SCOPES: readonly MemoryScope[] = ['context', 'team', 'user'];

/** Similarity search through an OpenAI-compatible embeddings endpoint; the key is named, never written. */
export interface MemoryEmbeddingsSpec {
  /** Embedding model, e.g. "text-embedding-3-small". */
  model: string;
  /** Default: the agent's own `baseUrl` (then the team's, then the worker's). */
  baseUrl?: string;
  /** Environment variable holding the key on the worker. Default: the agent's `apiKeyEnv`. */
  apiKeyEnv?: string;
}

/** An agent's long-term memory (AutoGen's `memory`): entries added to its model context before each call. */
export interface MemorySpec {
  /** Default "team". */
  scope?: MemoryScope;
  /** Entries added before each model call. Default 5. */
  top?: number;
  /** Offer the built-in `remember` and `recall` tools. Default true. */
  tools?: boolean;
  /** Similarity search instead of keyword match. Default: keyword match. */
  embeddings?: MemoryEmbeddingsSpec;
}

/** A cap so that memory cannot crowd out the conversation (each entry goes into every call). */
export const MAX_MEMORY_TOP = 50;

/** The built-in tools' names: a tool of the team file by either name would be ambiguous. */
export const MEMORY_TOOL_NAMES = ['remember', 'recall'] as const;

const EmbeddingsSchema = z.strictObject({
  model: z.string().min(1, 'name the embedding model, e.g. "text-embedding-3-small"'),
  baseUrl: modelSettingsShape.baseUrl,
  apiKeyEnv: modelSettingsShape.apiKeyEnv,
});

export const MemorySchema: z.ZodType<MemorySpec> = z.strictObject({
  scope: z.enum(['context', 'team', 'user'], { error: 'expected "context", "team" or "user"' }).optional(),
  top: z
    .number({ error: 'expected a whole number of entries, e.g. 5' })
    .int('expected a whole number of entries, e.g. 5')
    .min(1, 'expected at least 1 entry')
    .max(MAX_MEMORY_TOP, `at most ${MAX_MEMORY_TOP} entries: each one goes into every model call`)
    .optional(),
  tools: z.boolean({ error: 'expected true or false' }).optional(),
  embeddings: EmbeddingsSchema.optional(),
});
