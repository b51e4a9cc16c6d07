import { errorBody } from './openai-shapes';

/** Length of the scripted server's vectors: small, and enough that a few words rarely collide. */
export const SCRIPTED_EMBEDDING_DIMENSIONS = 256;

/**
 * A deterministic stand-in for an embedding model: a hashed bag of words (each lowercase word
 * counted at the position its FNV-1a hash picks), normalised to length 1. Texts that share words
 * are close (cosine = their overlap); texts that share none are orthogonal, bar a collision.
 */
export function hashedBagOfWords(text: string, dimensions = SCRIPTED_EMBEDDING_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) vector[fnv1a(word) % dimensions]! += 1;
  const length = Math.hypot(...vector);
  return length === 0 ? vector : vector.map((v) => v / length);
}

function fnv1a(word: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(word, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/** `POST /v1/embeddings` as OpenAI answers it (floats only), or a 400 naming what is wrong with the body. */
export function embeddingsAnswer(body: string): { status: number; body: unknown } {
  let request: { model?: unknown; input?: unknown };
  try {
    request = JSON.parse(body) as typeof request;
  } catch {
    return { status: 400, body: errorBody(400, 'the body is not JSON') };
  }
  const input = typeof request.input === 'string' ? [request.input] : request.input;
  if (!Array.isArray(input) || !input.every((t): t is string => typeof t === 'string') || typeof request.model !== 'string') {
    return { status: 400, body: errorBody(400, 'expected { model: string, input: string | string[] }') };
  }
  const data = input.map((text, index) => ({ object: 'embedding', index, embedding: hashedBagOfWords(text) }));
  const tokens = input.reduce((sum, text) => sum + (text.match(/\S+/g)?.length ?? 0), 0);
  return { status: 200, body: { object: 'list', data, model: request.model, usage: { prompt_tokens: tokens, total_tokens: tokens } } };
}
