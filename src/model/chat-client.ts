import OpenAI from 'openai';
import type { ToolCall } from '../core/messages';
import type { ModelReply } from '../core/activity-contract';
import type { FunctionDefinition } from '../tools/registry';
import type { ResolvedEndpoint } from './endpoint';
import { classifyModelError, ModelCallError } from './errors';
import { inSpan, serverAttributes, SpanKind, traceContent } from '../telemetry/spans';

type ChatMessageParam = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/** Who is calling, sent as headers so a gateway (or the scripted model server) can tell calls apart. */
export interface CallMeta {
  /** Names the caller in errors, e.g. `agent "writer"`. */
  who: string;
  agent: string;
  runId: string;
  turn: number;
}

/**
 * OpenAI clients, one per endpoint and key, reused so calls share keep-alive connections.
 * The clients' own retries are off: Temporal's retry policy decides, and sees every attempt.
 */
export class ModelClients {
  private readonly clients = new Map<string, OpenAI>();

  constructor(private readonly requestTimeoutMs = 10 * 60_000) {}

  private clientFor(endpoint: ResolvedEndpoint): OpenAI {
    const key = `${endpoint.baseUrl}\n${endpoint.apiKey}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new OpenAI({ baseURL: endpoint.baseUrl, apiKey: endpoint.apiKey, maxRetries: 0, timeout: this.requestTimeoutMs });
      this.clients.set(key, client);
    }
    return client;
  }

  /** One chat completion. Throws ModelCallError, classified retryable or not. */
  async complete(
    endpoint: ResolvedEndpoint,
    messages: ChatMessageParam[],
    meta: CallMeta,
    signal?: AbortSignal,
    tools?: { definitions: FunctionDefinition[]; parallel: boolean },
  ): Promise<Omit<ModelReply, 'toolCalls'> & { toolCalls?: ToolCall[] }> {
    // One span per call, named and attributed as the OpenTelemetry GenAI conventions say: the
    // model, the tokens, the latency (its duration); what was said only when asked for.
    const attributes = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': endpoint.model,
      ...serverAttributes(endpoint.baseUrl),
      ...(endpoint.temperature !== undefined ? { 'gen_ai.request.temperature': endpoint.temperature } : {}),
      ...(endpoint.maxTokens !== undefined ? { 'gen_ai.request.max_tokens': endpoint.maxTokens } : {}),
      'durable_teams.agent': meta.agent,
      'durable_teams.run_id': meta.runId,
      'durable_teams.turn': meta.turn,
      ...(tools?.definitions.length ? { 'durable_teams.tools_offered': tools.definitions.length } : {}),
    };
    return inSpan(`chat ${endpoint.model}`, SpanKind.CLIENT, attributes, async (span) => {
      if (traceContent()) span.setAttribute('gen_ai.prompt', JSON.stringify(messages));
      const reply = await this.completeOnce(endpoint, messages, meta, signal, tools);
      span.setAttributes({
        'gen_ai.response.model': reply.model,
        ...(reply.usage
          ? { 'gen_ai.usage.input_tokens': reply.usage.promptTokens, 'gen_ai.usage.output_tokens': reply.usage.completionTokens }
          : {}),
        'durable_teams.tool_calls': reply.toolCalls?.length ?? 0,
      });
      if (traceContent())
        span.setAttribute('gen_ai.completion', JSON.stringify({ content: reply.content, toolCalls: reply.toolCalls ?? [] }));
      return reply;
    });
  }

  /** The call itself, without its span: the same arguments as `complete`. */
  private async completeOnce(
    ...[endpoint, messages, meta, signal, tools]: Parameters<ModelClients['complete']>
  ): ReturnType<ModelClients['complete']> {
    const headers = {
      'x-durable-teams-agent': meta.agent,
      'x-durable-teams-run': meta.runId,
      'x-durable-teams-turn': String(meta.turn),
    };
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await this.clientFor(endpoint).chat.completions.create(
        {
          model: endpoint.model,
          messages,
          ...(endpoint.temperature !== undefined ? { temperature: endpoint.temperature } : {}),
          ...(endpoint.maxTokens !== undefined ? { max_tokens: endpoint.maxTokens } : {}),
          ...(tools?.definitions.length ? { tools: tools.definitions, ...(tools.parallel ? {} : { parallel_tool_calls: false }) } : {}),
        },
        { headers, ...(signal ? { signal } : {}) },
      );
    } catch (err) {
      if (signal?.aborted) throw err; // cancellation is not a model failure
      throw new ModelCallError(classifyModelError(err, meta.who, endpoint.baseUrl, endpoint.apiKey));
    }
    const choice = Array.isArray(completion?.choices) ? completion.choices[0] : undefined;
    if (!choice?.message) {
      throw new ModelCallError({
        type: 'ModelInvocationError.InvalidResponse',
        retryable: true,
        message: `${meta.who}: the model endpoint answered without a chat completion choice`,
      });
    }
    const usage = completion.usage;
    const toolCalls = (choice.message.tool_calls ?? []).flatMap((call): ToolCall[] =>
      call.type === 'function' ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments ?? '' }] : [],
    );
    return {
      v: 1,
      content: choice.message.content ?? '',
      ...(toolCalls.length > 0 ? { toolCalls } : {}),
      usage: usage ? { promptTokens: usage.prompt_tokens ?? 0, completionTokens: usage.completion_tokens ?? 0 } : null,
      model: typeof completion.model === 'string' ? completion.model : endpoint.model,
    };
  }
}
