import type { IncomingMessage } from 'node:http';
import { AGENT_HEADER, RUN_HEADER, contentLength, header, parseChatRequest, readRoutingHeaders } from './chat-request';
import type { FailureInjector } from './failures';
import { chatCompletion, errorBody } from './openai-shapes';
import { pickReply } from './reply-picker';
import type { RequestLog, ServedRequest } from './request-log';
import type { Latency, Script, ScriptReply } from './script';
import { streamChunks, type StreamChunk } from './stream-chunks';

/**
 * What the server sends back: a JSON body; nothing at all (the socket is destroyed); or a 200 with
 * server-sent events, a delay before each piece of text, broken off after `cutAfter` pieces when set.
 */
export type Answer = { status: number; body: unknown; headers?: Record<string, string> } | { drop: true } | StreamAnswer;

export interface StreamAnswer {
  stream: StreamChunk[];
  tokenDelayMs: number;
  cutAfter: number | null;
  /** Called when the stream has ended, whole or cut (the server sets it). */
  onEnd?: () => void;
  /** Called as the first piece of text is written (the server sets it). */
  onFirstPiece?: () => void;
}

export interface ChatDecision {
  answer: Answer;
  /** How long to wait before sending the answer. */
  latencyMs: number;
  /** The log entry, to mark if the client goes away before the answer. */
  entry: ServedRequest;
}

export interface ChatHandlerDeps {
  script: Script;
  log: RequestLog;
  failures: FailureInjector;
  isAuthorized: (req: IncomingMessage) => boolean;
  /** Between the pieces of streamed replies whose script says nothing. */
  tokenDelayMs: number;
}

export const UNAUTHORIZED_MESSAGE = 'missing or wrong API key: send "Authorization: Bearer <apiKey>"';

/**
 * Decides the answer to `POST /v1/chat/completions` the moment the request arrives, and logs
 * it: every check, the reply, the failure rule that fires. Only the latency waits for later.
 */
export function createChatHandler(deps: ChatHandlerDeps): (req: IncomingMessage, body: string) => ChatDecision {
  const { script, log, failures } = deps;

  return (req, body) => {
    const base = {
      at: Date.now(),
      agent: header(req.headers, AGENT_HEADER),
      runId: header(req.headers, RUN_HEADER),
      turn: null,
      model: null,
      route: null,
      replyIndex: null,
      attempt: null,
      failure: null,
      messages: [],
      tools: null,
      latencyMs: 0,
      stream: false,
      tokenDelayMs: null,
    };
    // Refused before reaching the script: logged, no latency, no failure counted.
    const refuse = (status: number, message: string, code: string): ChatDecision => {
      const entry = log.add({ ...base, status });
      return { answer: { status, body: errorBody(status, message, code) }, latencyMs: 0, entry };
    };
    if (!deps.isAuthorized(req)) return refuse(401, UNAUTHORIZED_MESSAGE, 'invalid_api_key');
    const routing = readRoutingHeaders(req.headers);
    if (!routing.ok) return refuse(400, routing.message, 'invalid_header');
    const parsed = parseChatRequest(body);
    if (!parsed.ok) return refuse(400, parsed.message, 'invalid_body');
    const request = parsed.value;
    const stream = request.stream === true;

    const { agent, turn, runId } = routing.value;
    const choice = pickReply(script, { agentHeader: agent, turn, model: request.model, messages: request.messages });
    const failure = failures.next(choice.agent);
    const promptChars = request.messages.reduce((n, m) => n + contentLength(m), 0);
    const completionInput = (reply: ScriptReply) => ({ requestBody: body, model: request.model, reply, promptChars });
    const tokenDelayMs = choice.tokenDelayMs ?? deps.tokenDelayMs;
    const includeUsage = request.stream_options?.include_usage === true;
    // A cut needs a stream to cut: any other answer is dropped whole instead.
    const cutAfter = failure?.rule.cutStreamAfter;
    let answer: Answer;
    if (failure?.rule.dropConnection || (cutAfter !== undefined && !(stream && choice.kind === 'reply'))) {
      answer = { drop: true };
    } else if (failure?.rule.status !== undefined) {
      const status = failure.rule.status;
      const retryAfter = failure.rule.retryAfterSeconds;
      const headers = retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : undefined;
      answer = { status, body: errorBody(status, failure.message), ...(headers ? { headers } : {}) };
    } else if (choice.kind === 'error') {
      answer = { status: choice.status, body: errorBody(choice.status, choice.message, choice.code) };
    } else if (stream) {
      answer = { stream: streamChunks({ ...completionInput(choice.reply), includeUsage }), tokenDelayMs, cutAfter: cutAfter ?? null };
    } else {
      answer = { status: 200, body: chatCompletion(completionInput(choice.reply)) };
    }

    const latencyMs = sampleLatency(choice.latency);
    const entry = log.add({
      ...base,
      agent: choice.agent,
      turn,
      runId,
      model: request.model,
      status: 'drop' in answer ? null : 'stream' in answer ? 200 : answer.status,
      route: choice.route,
      replyIndex: choice.replyIndex,
      attempt: choice.attempt,
      failure: failure?.ruleIndex ?? null,
      messages: request.messages,
      tools: Array.isArray(request.tools) ? request.tools : null,
      responseFormat: (request as { response_format?: unknown }).response_format ?? null,
      latencyMs,
      stream,
      tokenDelayMs: 'stream' in answer ? tokenDelayMs : null,
    });
    return { answer, latencyMs, entry };
  };
}

/** `latencyMs: {min, max}` draws uniformly per request: it varies the timing, never the reply. */
function sampleLatency(latency: Latency): number {
  if (typeof latency === 'number') return latency;
  return Math.round(latency.min + Math.random() * (latency.max - latency.min));
}
