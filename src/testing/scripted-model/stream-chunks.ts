import { chatCompletion, type CompletionInput } from './openai-shapes';

/**
 * A scripted reply as OpenAI streams it: `chat.completion.chunk` events, a role first, then the
 * content a word at a time, then each tool call (its id and name, then its arguments in pieces),
 * the finish reason, and the usage in a last chunk without choices when the request asked for it.
 */

/**
 * One server-sent event. `piece`: it carries text, and the per-token delay goes before it;
 * `finish`: the finish reason and the usage, which a cut stream never sends; `frame`: the rest.
 */
export interface StreamChunk {
  data: unknown;
  kind: 'frame' | 'piece' | 'finish';
}

/**
 * Most pieces a reply is sent in: a reply of 20,000 words (the long-conversation tests) goes in
 * pieces of several words each, so a test of size does not spend its time on SSE framing.
 */
export const MAX_PIECES = 256;

/** Words with the whitespace after them (and any before the first), so the pieces join back to the text; a long text's pieces hold several words. */
export function splitWords(text: string): string[] {
  const words = text.match(/^\s+|\S+\s*/g) ?? [];
  if (words.length <= MAX_PIECES) return words;
  const per = Math.ceil(words.length / MAX_PIECES);
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += per) pieces.push(words.slice(i, i + per).join(''));
  return pieces;
}

/** Tool-call arguments have few spaces: they go in pieces of up to `size` characters, never splitting one. */
export function splitArguments(text: string, size = 8): string[] {
  const chars = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''));
  return pieces;
}

export function streamChunks(input: CompletionInput & { includeUsage: boolean }): StreamChunk[] {
  // The whole completion first: the same id, usage and tool-call ids as an unstreamed answer.
  const whole = chatCompletion(input);
  const { message, finish_reason } = whole.choices[0]!;
  const chunk = (delta: object, finish: string | null = null) => ({
    id: whole.id,
    object: 'chat.completion.chunk',
    created: whole.created,
    model: whole.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(input.includeUsage ? { usage: null } : {}),
  });

  const chunks: StreamChunk[] = [{ data: chunk({ role: 'assistant', content: '', refusal: null }), kind: 'frame' }];
  for (const word of splitWords(message.content ?? '')) chunks.push({ data: chunk({ content: word }), kind: 'piece' });
  (message.tool_calls ?? []).forEach((call, index) => {
    const opening = { index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } };
    chunks.push({ data: chunk({ tool_calls: [opening] }), kind: 'frame' });
    for (const part of splitArguments(call.function.arguments)) {
      chunks.push({ data: chunk({ tool_calls: [{ index, function: { arguments: part } }] }), kind: 'piece' });
    }
  });
  chunks.push({ data: chunk({}, finish_reason), kind: 'finish' });
  if (input.includeUsage) {
    const last = { id: whole.id, object: 'chat.completion.chunk', created: whole.created, model: whole.model, choices: [] };
    chunks.push({ data: { ...last, usage: whole.usage }, kind: 'finish' });
  }
  return chunks;
}
