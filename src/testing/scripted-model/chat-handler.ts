import type { IncomingMessage } from 'node:http';
import { AGENT_HEADER, RUN_HEADER, contentLength, header, parseChatRequest, readRoutingHeaders } from './chat-request';
import type { FailureInjector } from './failures';
import { chatCompletion, errorBody } from './openai-shapes';
import { pickReply } from './reply-picker';
import type { RequestLog, ServedRequest } from './request-log';
import type { Latency, Script } from './script';

/** What the server sends back: a JSON body, or nothing at all (the socket is destroyed). */
export type Answer = { status: number; body: unknown; headers?: Record<string, string> } | { drop: true };

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
    if (request.stream) {
      const message = 'stream: true is not supported by the scripted model server: send the request without streaming';
      return refuse(400, message, 'stream_not_supported');
    }

    const { agent, turn, runId } = routing.value;
    const choice = pickReply(script, { agentHeader: agent, turn, model: request.model, messages: request.messages });
    const failure = failures.next(choice.agent);
    let answer: Answer;
    if (failure?.rule.dropConnection) {
      answer = { drop: true };
    } else if (failure) {
      const status = failure.rule.status!;
      const retryAfter = failure.rule.retryAfterSeconds;
      const headers = retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : undefined;
      answer = { status, body: errorBody(status, failure.message), ...(headers ? { headers } : {}) };
    } else if (choice.kind === 'error') {
      answer = { status: choice.status, body: errorBody(choice.status, choice.message, choice.code) };
    } else {
      const promptChars = request.messages.reduce((n, m) => n + contentLength(m), 0);
      const completion = chatCompletion({ requestBody: body, model: request.model, reply: choice.reply, promptChars });
      answer = { status: 200, body: completion };
    }

    const latencyMs = sampleLatency(choice.latency);
    const entry = log.add({
      ...base,
      agent: choice.agent,
      turn,
      runId,
      model: request.model,
      status: 'drop' in answer ? null : answer.status,
      route: choice.route,
      replyIndex: choice.replyIndex,
      attempt: choice.attempt,
      failure: failure?.ruleIndex ?? null,
      messages: request.messages,
      tools: Array.isArray(request.tools) ? request.tools : null,
      latencyMs,
    });
    return { answer, latencyMs, entry };
  };
}

/** `latencyMs: {min, max}` draws uniformly per request: it varies the timing, never the reply. */
function sampleLatency(latency: Latency): number {
  if (typeof latency === 'number') return latency;
  return Math.round(latency.min + Math.random() * (latency.max - latency.min));
}
