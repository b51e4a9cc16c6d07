import type OpenAI from 'openai';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';

type ChatMessageParam = OpenAI.Chat.Completions.ChatCompletionMessageParam;
/** Anything JSON: the tool definitions as they are sent. */
type FunctionDefinition = unknown;

/**
 * Counts a chat prompt's tokens before it is sent, with js-tiktoken (a pure-JS port of OpenAI's
 * tiktoken, kept by the LangChain team): o200k_base for the GPT-4o/4.1/o-series families and
 * names it does not know, cl100k_base for GPT-4 and GPT-3.5. Each rank file is loaded once,
 * when a model first needs it (o200k is about 2 MB of memory).
 */
export type EncodingName = 'o200k_base' | 'cl100k_base';

const encoders = new Map<EncodingName, Tiktoken>();

export function encodingFor(model: string): EncodingName {
  const name = model.toLowerCase().replace(/^.*\//, ''); // "openai/gpt-4" as routers name it
  return /^(gpt-4(?!o|\.)|gpt-3\.5|text-embedding-3|text-embedding-ada)/.test(name) ? 'cl100k_base' : 'o200k_base';
}

function encoder(encoding: EncodingName): Tiktoken {
  let found = encoders.get(encoding);
  if (!found) {
    // The rank files are package subpaths (an `exports` map), which Node resolves and this
    // project's TypeScript settings (node10 resolution) cannot type: hence require.
    // The CommonJS build exports the ranks themselves.
    const ranks = (
      encoding === 'cl100k_base' ? require('js-tiktoken/ranks/cl100k_base') : require('js-tiktoken/ranks/o200k_base')
    ) as TiktokenBPE;
    found = new Tiktoken(ranks);
    encoders.set(encoding, found);
  }
  return found;
}

/** Tokens of a piece of text. */
export function textTokens(text: string, model: string): number {
  return text ? encoder(encodingFor(model)).encode(text, [], []).length : 0;
}

/**
 * Tokens of a chat prompt, counted as OpenAI's cookbook does ("How to count tokens with tiktoken"):
 * 3 per message for its framing, 1 more for a name, the text of each part, 3 that prime the reply.
 * Tool calls count their name and arguments; tool definitions their JSON (OpenAI turns them into
 * a TypeScript-like text it does not publish, so this is an estimate within some tens of tokens).
 * Images are counted at a flat 85 tokens each (the low-detail price).
 */
export function promptTokens(messages: ChatMessageParam[], model: string, tools: FunctionDefinition[] = []): number {
  let total = 3;
  for (const message of messages) {
    total += 3;
    if ('name' in message && message.name) total += 1 + textTokens(message.name, model);
    total += contentTokens(message.content, model);
    if (message.role === 'assistant' && message.tool_calls) {
      for (const call of message.tool_calls) {
        if (call.type === 'function') total += 3 + textTokens(call.function.name, model) + textTokens(call.function.arguments, model);
      }
    }
  }
  if (tools.length > 0) total += 12 + textTokens(JSON.stringify(tools), model);
  return total;
}

function contentTokens(content: ChatMessageParam['content'], model: string): number {
  if (content === null || content === undefined) return 0;
  if (typeof content === 'string') return textTokens(content, model);
  let total = 0;
  for (const part of content) {
    if (part.type === 'text') total += textTokens(part.text, model);
    else if (part.type === 'image_url') total += 85;
    else if (part.type === 'refusal') total += textTokens(part.refusal, model);
    else total += textTokens(JSON.stringify(part), model);
  }
  return total;
}
