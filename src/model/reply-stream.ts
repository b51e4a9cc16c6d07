import type OpenAI from 'openai';
import type { ModelReply } from '../core/activity-contract';
import type { ToolCall } from '../core/messages';

type Chunk = OpenAI.Chat.Completions.ChatCompletionChunk;
type ToolCallDelta = OpenAI.Chat.Completions.ChatCompletionChunk.Choice.Delta.ToolCall;
type Completion = OpenAI.Chat.Completions.ChatCompletion;

/** A reply as the model client returns it: tool calls as the model made them, not yet routed. */
export type ClientReply = Omit<ModelReply, 'toolCalls'> & { toolCalls?: ToolCall[] };

/** A piece of a reply as it arrives: text of the content, or of the arguments of a call to `tool`. */
export interface ModelDelta {
  text: string;
  /** The function being called, when the text is its arguments; absent for the reply's content. */
  tool?: string;
}

/** What is wrong with what the endpoint sent, when the reply cannot be taken as whole. */
export type ReplyProblem = 'no-choice' | 'unfinished';

/**
 * A reply put together from a stream's chunks as OpenAI sends them: content in pieces, each tool
 * call opened by its index with its id and name, its arguments following in pieces, the usage
 * (when asked for) in a last chunk without choices. Lenient where gateways differ: a name or id
 * sent again is not appended, and a call without an index continues the last one unless its id is new.
 */
export class ReplyStream {
  private content = '';
  private readonly calls = new Map<number, ToolCall>();
  private model: string | undefined;
  private usage: Completion['usage'];
  private choices = 0;
  private finished = false;

  /** Takes one chunk and says what text it added, in order. */
  add(chunk: Chunk): ModelDelta[] {
    if (typeof chunk.model === 'string' && chunk.model) this.model = chunk.model;
    if (chunk.usage) this.usage = chunk.usage;
    const choice = Array.isArray(chunk.choices) ? chunk.choices.find((c) => (c.index ?? 0) === 0) : undefined;
    if (!choice) return [];
    this.choices++;
    const pieces: ModelDelta[] = [];
    const delta = choice.delta ?? {};
    if (typeof delta.content === 'string' && delta.content) {
      this.content += delta.content;
      pieces.push({ text: delta.content });
    }
    for (const part of delta.tool_calls ?? []) {
      const call = this.callFor(part);
      if (part.id && !call.id) call.id = part.id;
      if (part.function?.name && !call.name) call.name = part.function.name;
      const args = part.function?.arguments;
      if (args) {
        call.arguments += args;
        pieces.push({ text: args, tool: call.name });
      }
    }
    if (choice.finish_reason) this.finished = true;
    return pieces;
  }

  private callFor(part: ToolCallDelta): ToolCall {
    let index = part.index as number | undefined;
    if (typeof index !== 'number') {
      const last = Math.max(-1, ...this.calls.keys());
      index = last < 0 || (part.id && this.calls.get(last)!.id && this.calls.get(last)!.id !== part.id) ? last + 1 : last;
    }
    let call = this.calls.get(index);
    if (!call) this.calls.set(index, (call = { id: '', name: '', arguments: '' }));
    return call;
  }

  /** What is missing for the reply to be whole, or null: a stream that ends without a finish reason was cut short. */
  problem(): ReplyProblem | null {
    if (this.choices === 0) return 'no-choice';
    return this.finished ? null : 'unfinished';
  }

  reply(requestedModel: string): ClientReply {
    const toolCalls = [...this.calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
    return assembled(this.content, toolCalls, this.usage, this.model ?? requestedModel);
  }
}

/** The reply of an endpoint that answered whole (no stream), or null when it has no choice. */
export function replyOfCompletion(completion: Completion, requestedModel: string): ClientReply | null {
  const choice = Array.isArray(completion?.choices) ? completion.choices[0] : undefined;
  if (!choice?.message) return null;
  const toolCalls = (choice.message.tool_calls ?? []).flatMap((call): ToolCall[] =>
    call.type === 'function' ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments ?? '' }] : [],
  );
  const model = typeof completion.model === 'string' ? completion.model : requestedModel;
  return assembled(choice.message.content ?? '', toolCalls, completion.usage, model);
}

/** The pieces a whole reply would have streamed: its content, then each call's arguments. */
export function deltasOf(reply: ClientReply): ModelDelta[] {
  const calls = (reply.toolCalls ?? []).filter((c) => c.arguments).map((c) => ({ text: c.arguments, tool: c.name }));
  return [...(reply.content ? [{ text: reply.content }] : []), ...calls];
}

function assembled(content: string, toolCalls: ToolCall[], usage: Completion['usage'], model: string): ClientReply {
  return {
    v: 1,
    content,
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
    usage: usage ? { promptTokens: usage.prompt_tokens ?? 0, completionTokens: usage.completion_tokens ?? 0 } : null,
    model,
  };
}
