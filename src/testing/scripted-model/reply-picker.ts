import type { ExhaustedMode, Latency, Script, ScriptAgent, ScriptReply } from './script';

/**
 * Which reply a request gets. Pure: the answer depends on the script and the request alone,
 * never on what was served before, so a retried call (a worker killed mid-call, say) gets the
 * same reply as the first try and a resumed run the same transcript as an undisturbed one.
 */

/** The agent header value that asks for a speaker-selection reply. */
export const SELECTOR_AGENT = 'selector';

/** What the picker needs from a chat completion request. */
export interface ReplyRequest {
  /** The `x-durable-teams-agent` header, or null. */
  agentHeader: string | null;
  /** The `x-durable-teams-turn` header, or null. */
  turn: number | null;
  model: string;
  messages: readonly { role: string; tool_calls?: unknown }[];
}

/** `agent`: a script agent; `default`: the script's `default`; `selector`: its `selector` list. */
export type Route = 'agent' | 'default' | 'selector';

interface ChoiceInfo {
  /** The agent asked for: the header, else the model when it names a script agent, else null. */
  agent: string | null;
  route: Route | null;
  /** Agents: the reply asked for (before onExhausted applies). Selector: the entry, = the turn. */
  replyIndex: number | null;
  /** Selector only: the attempt within the turn. */
  attempt: number | null;
  latency: Latency;
  /** Between the pieces of a streamed reply: the reply's, the agent's or the script's; unset, the server's. */
  tokenDelayMs: number | undefined;
}

export type ReplyChoice =
  (ChoiceInfo & { kind: 'reply'; reply: ScriptReply }) | (ChoiceInfo & { kind: 'error'; status: number; code: string; message: string });

export function pickReply(script: Script, request: ReplyRequest): ReplyChoice {
  // Our agent-turn activity sends the agent's own earlier messages as `assistant` and everyone
  // else's as `user`, so the assistant count is how many replies this agent has given so far.
  // A tool-call reply is an assistant message as well: an agent that calls a tool and then
  // answers uses two replies, and the script lists them in that order.
  const assistantCount = request.messages.filter((m) => m.role === 'assistant').length;

  if (request.agentHeader === SELECTOR_AGENT && script.selector) {
    return pickSelection(script, script.selector, request.turn ?? 0, assistantCount);
  }

  const named = request.agentHeader ?? (request.model in script.agents ? request.model : null);
  const agent: ScriptAgent | undefined = named !== null ? script.agents[named] : undefined;
  const scripted = agent ?? script.default;
  const info = { agent: named, attempt: null };
  if (!scripted) {
    return {
      ...info,
      kind: 'error',
      route: null,
      replyIndex: null,
      latency: script.latencyMs,
      tokenDelayMs: script.tokenDelayMs,
      status: 404,
      code: 'model_not_found',
      message:
        named === null
          ? `no agent named in the x-durable-teams-agent header or the model ("${request.model}"), and the script has no default: add one`
          : `the script has no agent "${named}" and no default: add it under agents or give a default`,
    };
  }

  const route: Route = agent ? 'agent' : 'default';
  const tokenDelayMs = scripted.tokenDelayMs ?? script.tokenDelayMs;
  const choice = { ...info, route, replyIndex: assistantCount, latency: scripted.latencyMs ?? script.latencyMs, tokenDelayMs };
  const index = resolveIndex(assistantCount, scripted.replies.length, script.onExhausted);
  if (index === null) {
    const who = agent ? `agent "${named}"` : `the default replies (agent "${named ?? request.model}")`;
    return {
      ...choice,
      kind: 'error',
      status: 500,
      code: 'script_exhausted',
      message: `${who} has no reply at index ${assistantCount} (the script has ${scripted.replies.length}) and onExhausted is "error"`,
    };
  }
  const reply = scripted.replies[index]!;
  return {
    ...choice,
    tokenDelayMs: reply.tokenDelayMs ?? tokenDelayMs,
    kind: 'reply',
    reply: withToolCallIds(reply, request.messages),
  };
}

function pickSelection(script: Script, selector: NonNullable<Script['selector']>, turn: number, attempt: number): ReplyChoice {
  const info = {
    agent: SELECTOR_AGENT,
    route: 'selector' as const,
    replyIndex: turn,
    attempt,
    latency: script.latencyMs,
    tokenDelayMs: script.tokenDelayMs,
  };
  const index = resolveIndex(turn, selector.length, script.onExhausted);
  if (index === null) {
    return {
      ...info,
      kind: 'error',
      status: 500,
      code: 'script_exhausted',
      message: `the selector has no entry for turn ${turn} (the script has ${selector.length}) and onExhausted is "error"`,
    };
  }
  const entry = selector[index]!;
  const name = typeof entry === 'string' ? entry : entry[Math.min(attempt, entry.length - 1)]!;
  return { ...info, kind: 'reply', reply: { content: name } };
}

/** The list position that answers `index`, or null when the script has run out. */
export function resolveIndex(index: number, length: number, mode: ExhaustedMode): number | null {
  if (index < length) return index;
  if (mode === 'cycle') return index % length;
  if (mode === 'repeat-last') return length - 1;
  return null;
}

/**
 * Numbers unnamed tool calls `call_<n>`, n counting on from the tool calls already in the
 * request's assistant messages: unique within the conversation and the same on every retry.
 */
function withToolCallIds(reply: ScriptReply, messages: ReplyRequest['messages']): ScriptReply {
  if (!reply.toolCalls) return reply;
  const earlier = messages
    .filter((m) => m.role === 'assistant' && Array.isArray(m.tool_calls))
    .reduce((sum, m) => sum + (m.tool_calls as unknown[]).length, 0);
  const toolCalls = reply.toolCalls.map((call, i) => ({ ...call, id: call.id ?? `call_${earlier + i + 1}` }));
  return { ...reply, toolCalls };
}
