import { displayUrl } from '../http/display-url';
import type { ModelSettings } from '../spec/model-settings';

/** What the worker falls back to for agents whose spec leaves the endpoint out. */
export interface ModelDefaults {
  /** Default: OPENAI_BASE_URL from the worker's environment, else OpenAI's own endpoint. */
  baseUrl?: string;
  /** Environment variable holding the key. Default: "OPENAI_API_KEY". */
  apiKeyEnv?: string;
  /** Longest one HTTP request may take, in ms. Default 10 minutes (the activity timeout usually ends it first). */
  requestTimeoutMs?: number;
}

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_API_KEY_ENV = 'OPENAI_API_KEY';

/** A model endpoint ready to call. Lives only in worker memory: it holds the key. */
export interface ResolvedEndpoint {
  baseUrl: string;
  apiKey: string;
  model: string;
  temperature?: number;
  maxTokens?: number;
}

/** A model that cannot be called as configured: fixing it needs a person, so it is never retried. */
export class ModelConfigError extends Error {
  override readonly name = 'ModelConfigError';
}

/** Local servers (llama.cpp, Ollama, vLLM, the scripted model) usually want no key. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || host === '::1' || host.startsWith('127.');
  } catch {
    return false;
  }
}

/**
 * Settings from the spec, plus the worker's defaults and environment, give the endpoint to call.
 * `who` names the caller in errors, e.g. `agent "writer"`.
 */
export function resolveEndpoint(
  settings: ModelSettings,
  defaults: ModelDefaults,
  env: Record<string, string | undefined>,
  who: string,
): ResolvedEndpoint {
  const baseUrl = settings.baseUrl ?? defaults.baseUrl ?? env.OPENAI_BASE_URL ?? OPENAI_BASE_URL;
  if (!settings.model) throw new ModelConfigError(`${who}: no model named; set "model" in the team file`);
  const keyEnv = settings.apiKeyEnv ?? defaults.apiKeyEnv ?? DEFAULT_API_KEY_ENV;
  let apiKey = env[keyEnv];
  if (!apiKey) {
    if (!isLoopbackUrl(baseUrl)) {
      throw new ModelConfigError(
        `${who}: environment variable ${keyEnv} is not set on the worker, and ${displayUrl(baseUrl)} needs a key; ` +
          `set ${keyEnv} where the worker runs, or name another variable in "apiKeyEnv"`,
      );
    }
    apiKey = 'unused-local-endpoint';
  }
  return {
    baseUrl,
    apiKey,
    model: settings.model,
    ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
    ...(settings.maxTokens !== undefined ? { maxTokens: settings.maxTokens } : {}),
  };
}
