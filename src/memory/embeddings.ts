import OpenAI from 'openai';
import { resolveEndpoint, type ModelDefaults } from '../model/endpoint';
import { classifyModelError, ModelCallError } from '../model/errors';
import type { MemoryRequest } from '../core/memory-request';

/** Turns texts into vectors, one per text, in order. */
export type Embedder = (settings: NonNullable<MemoryRequest['embeddings']>, texts: string[], signal?: AbortSignal) => Promise<number[][]>;

/**
 * Embeddings through the `embeddings.create` of an OpenAI-compatible endpoint, resolved as an
 * agent's model is (the key read from the environment variable the spec names, never from the
 * spec). The client's own retries are off: the activity's retry policy owns retrying, and
 * failures are classified as model calls' are (429 and 5xx retryable, 4xx not).
 */
export function openAiEmbedder(defaults: ModelDefaults = {}, env: Record<string, string | undefined> = process.env): Embedder {
  const clients = new Map<string, OpenAI>();
  return async (settings, texts, signal) => {
    const who = `memory embeddings (${settings.model})`;
    let endpoint;
    try {
      endpoint = resolveEndpoint(settings, defaults, env, who);
    } catch (err) {
      throw new ModelCallError(classifyModelError(err, who, settings.baseUrl ?? '', ''));
    }
    const id = `${endpoint.baseUrl}\n${endpoint.apiKey}`;
    let client = clients.get(id);
    if (!client) clients.set(id, (client = new OpenAI({ baseURL: endpoint.baseUrl, apiKey: endpoint.apiKey, maxRetries: 0 })));
    try {
      const response = await client.embeddings.create({ model: endpoint.model, input: texts, encoding_format: 'float' }, { signal });
      return [...response.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
    } catch (err) {
      throw new ModelCallError(classifyModelError(err, who, endpoint.baseUrl, endpoint.apiKey));
    }
  };
}
