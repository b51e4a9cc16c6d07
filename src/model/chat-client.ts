import OpenAI, { APIUserAbortError } from 'openai';
import type { FunctionDefinition } from '../tools/registry';
import type { ResolvedEndpoint } from './endpoint';
import { classifyModelError, classifyStreamError, deadlineFailure, ModelCallError, type ModelFailure } from './errors';
import { deltasOf, ReplyStream, replyOfCompletion, type ClientReply, type ModelDelta } from './reply-stream';
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

/** How one call is made, beside what it sends. */
export interface CompleteOptions {
  /** Aborts the call, its stream included; it then throws the client's abort error, not a ModelCallError. */
  signal?: AbortSignal;
  /** Functions the model may call, and whether it may call several at once. Default: none. */
  tools?: { definitions: FunctionDefinition[]; parallel: boolean };
  /**
   * Each piece of the reply as it arrives, in order: its content, and the arguments of its tool calls
   * (with the tool's name). An endpoint that answers whole gives the whole text as one piece. Pieces
   * of an attempt that then fails are void. Called synchronously, never awaited; what it throws is
   * dropped, since a preview must never fail the call. Default: none.
   */
  onDelta?: (piece: ModelDelta) => void;
  /**
   * The reply should be JSON matching this schema (OpenAI's structured outputs, not strict: any
   * schema is taken, and the caller checks the reply itself). Default: free text.
   */
  jsonSchema?: { name: string; schema: Record<string, unknown> };
}

/**
 * OpenAI clients, one per endpoint and key, reused so calls share keep-alive connections.
 * The clients' own retries are off: Temporal's retry policy decides, and sees every attempt.
 * Every call streams, so that what the model writes can be watched while it writes.
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

  /** One chat completion, streamed. Throws ModelCallError, classified retryable or not. */
  async complete(
    endpoint: ResolvedEndpoint,
    messages: ChatMessageParam[],
    meta: CallMeta,
    options: CompleteOptions = {},
  ): Promise<ClientReply> {
    // One span per call, named and attributed as the OpenTelemetry GenAI conventions say: the
    // model, the tokens, the latency (its duration); what was said only when asked for.
    const { tools } = options;
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
      const reply = await this.completeOnce(endpoint, messages, meta, options);
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
    ...[endpoint, messages, meta, { signal, tools, onDelta, jsonSchema } = {}]: Parameters<ModelClients['complete']>
  ): Promise<ClientReply> {
    const headers = {
      'x-durable-teams-agent': meta.agent,
      'x-durable-teams-run': meta.runId,
      'x-durable-teams-turn': String(meta.turn),
    };
    // The client's own timeout ends when the headers arrive; the body of a stream can take far
    // longer, so the whole call gets the same deadline.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.requestTimeoutMs);
    const stop = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
    const failed = (err: unknown, classify: (...args: Parameters<typeof classifyModelError>) => ModelFailure): never => {
      if (signal?.aborted) throw err; // cancellation is not a model failure
      if (deadline.signal.aborted) throw new ModelCallError(deadlineFailure(meta.who, endpoint.baseUrl, this.requestTimeoutMs));
      throw new ModelCallError(classify(err, meta.who, endpoint.baseUrl, endpoint.apiKey));
    };
    const tell = (piece: ModelDelta) => {
      try {
        onDelta?.(piece);
      } catch {
        // A watcher's trouble is not the call's.
      }
    };
    try {
      let answer;
      try {
        answer = await this.clientFor(endpoint)
          .chat.completions.create(
            {
              model: endpoint.model,
              messages,
              stream: true,
              stream_options: { include_usage: true },
              ...(endpoint.temperature !== undefined ? { temperature: endpoint.temperature } : {}),
              ...(endpoint.maxTokens !== undefined ? { max_tokens: endpoint.maxTokens } : {}),
              ...(tools?.definitions.length ? { tools: tools.definitions, ...(tools.parallel ? {} : { parallel_tool_calls: false }) } : {}),
              ...(jsonSchema ? { response_format: { type: 'json_schema', json_schema: { ...jsonSchema, strict: false } } } : {}),
            },
            { headers, signal: stop },
          )
          .withResponse();
      } catch (err) {
        return failed(err, classifyModelError);
      }

      // Some gateways answer a streaming request whole, as JSON: taken as it is, one piece.
      if (/\bjson\b/i.test(answer.response.headers.get('content-type') ?? '')) {
        let completion: OpenAI.Chat.Completions.ChatCompletion;
        try {
          completion = (await answer.response.json()) as OpenAI.Chat.Completions.ChatCompletion;
        } catch (err) {
          return failed(err, classifyStreamError);
        }
        const reply = replyOfCompletion(completion, endpoint.model);
        if (!reply) throw new ModelCallError(noChoice(meta.who));
        deltasOf(reply).forEach(tell);
        return reply;
      }

      const stream = new ReplyStream();
      try {
        for await (const chunk of answer.data) stream.add(chunk).forEach(tell);
      } catch (err) {
        return failed(err, classifyStreamError);
      }
      // The library ends a stream quietly when it is aborted: an abort is not the end of the reply.
      if (stop.aborted) return failed(new APIUserAbortError(), classifyStreamError);
      const problem = stream.problem();
      if (problem === 'no-choice') throw new ModelCallError(noChoice(meta.who));
      if (problem === 'unfinished') {
        throw new ModelCallError({
          type: 'ModelInvocationError.InvalidResponse',
          retryable: true,
          message: `${meta.who}: the model endpoint's reply stream ended before the reply did (no finish_reason)`,
        });
      }
      return stream.reply(endpoint.model);
    } finally {
      clearTimeout(timer);
    }
  }
}

function noChoice(who: string): ModelFailure {
  return {
    type: 'ModelInvocationError.InvalidResponse',
    retryable: true,
    message: `${who}: the model endpoint answered without a chat completion choice`,
  };
}
