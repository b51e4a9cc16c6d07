import { createHash } from 'node:crypto';
import type { ScriptReply } from './script';

/** The bodies the server sends, in the shapes the `openai` client parses. */

export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string | null; param: null };
}

/** OpenAI's error `type` (and a default `code`) for a status, so clients classify errors as usual. */
export function errorBody(status: number, message: string, code?: string): OpenAIErrorBody {
  const [type, defaultCode] = errorKind(status);
  return { error: { message, type, code: code ?? defaultCode, param: null } };
}

function errorKind(status: number): [type: string, code: string | null] {
  if (status === 401) return ['invalid_request_error', 'invalid_api_key'];
  if (status === 403) return ['permission_error', 'permission_denied'];
  if (status === 404) return ['invalid_request_error', 'not_found'];
  if (status === 429) return ['requests', 'rate_limit_exceeded'];
  if (status >= 500) return ['server_error', 'server_error'];
  return ['invalid_request_error', null];
}

/** Rough token count, as the brief for the scripted model fixes it: one token per 4 characters. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

/** Characters of a reply: its content, or the names and arguments of its tool calls. */
export function replyLength(reply: ScriptReply): number {
  const calls = reply.toolCalls ?? [];
  return (reply.content?.length ?? 0) + calls.reduce((n, c) => n + c.name.length + c.arguments.length, 0);
}

export interface CompletionInput {
  /** The raw request body: the id is its hash, so the same request gets the same id. */
  requestBody: string;
  model: string;
  reply: ScriptReply;
  /** Total characters of the request's message contents. */
  promptChars: number;
}

export function chatCompletion(input: CompletionInput) {
  const { reply } = input;
  const toolCalls = reply.toolCalls?.map((call) => ({
    id: call.id ?? '',
    type: 'function' as const,
    function: { name: call.name, arguments: call.arguments },
  }));
  const promptTokens = reply.usage?.promptTokens ?? estimateTokens(input.promptChars);
  const completionTokens = reply.usage?.completionTokens ?? estimateTokens(replyLength(reply));
  return {
    id: `chatcmpl-${createHash('sha256').update(input.requestBody).digest('hex').slice(0, 24)}`,
    object: 'chat.completion' as const,
    created: Math.floor(Date.now() / 1000),
    model: input.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant' as const,
          content: reply.content,
          refusal: null,
          ...(toolCalls ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: toolCalls ? ('tool_calls' as const) : ('stop' as const),
      },
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}
