import type { AgentTurnRequest, ConversationEntry, ModelReply, PromptMessage, SelectSpeakerRequest } from '../core/activity-contract';
import { jsonSchemaOf, shapeReply, type ShapedReply } from './agent-output';
import { agentChatMessages } from './chat-messages';
import type { ModelClients } from './chat-client';
import type { ModelDelta } from './reply-stream';
import { resolveEndpoint, type ModelDefaults } from './endpoint';
import { classifyModelError, ModelCallError } from './errors';
import { offerTools, type ToolOfferDeps } from './tool-offer';
import { budgetRefusal } from './budget-gate';
import { isOverBudget, type OverBudget } from '../core/budget';

/** What a model call needs from where it runs: clients, defaults, the environment with the keys. */
export interface ModelCallDeps {
  clients: ModelClients;
  defaults: ModelDefaults;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Where the agents' tools are described; needed by agents with tools. */
  tools?: ToolOfferDeps;
  /** Each piece of the reply as the model writes it (see `CompleteOptions.onDelta`). Default: none. */
  onDelta?: (piece: ModelDelta) => void;
}

function endpointFor(settings: AgentTurnRequest['agent']['settings'], deps: ModelCallDeps, who: string) {
  try {
    return resolveEndpoint(settings, deps.defaults, deps.env, who);
  } catch (err) {
    throw new ModelCallError(classifyModelError(err, who, settings.baseUrl ?? '', ''));
  }
}

/** An agent turn with the conversation read: what the model is shown. */
export type AgentPrompt = Omit<AgentTurnRequest, 'messages' | 'conversation' | 'context'> & {
  messages: ConversationEntry[];
  /** Entries of the agent's memory, shown as a system message after its own (see src/memory). */
  memoryNote?: string;
};

/** A selector attempt with its prompt whole. */
export type SelectorPrompt = Omit<SelectSpeakerRequest, 'messages' | 'conversation' | 'prompt'> & { messages: PromptMessage[] };

/**
 * One agent turn: the agent's view of the conversation, sent to its model. A call the run's
 * budget cannot pay for is not made: its figures come back instead (an OverBudget).
 */
export async function callAgentModel(request: AgentPrompt, deps: ModelCallDeps): Promise<ShapedReply | OverBudget> {
  const who = `agent "${request.agent.name}"`;
  const reply = await callModelOfAgent(request, deps, who);
  return isOverBudget(reply) ? reply : shapeReply(reply, request.agent.output, who);
}

async function callModelOfAgent(request: AgentPrompt, deps: ModelCallDeps, who: string): Promise<ModelReply | OverBudget> {
  const endpoint = endpointFor(request.agent.settings, deps, who);
  const meta = { who, agent: request.agent.name, runId: request.runId, turn: request.turn };
  const { signal, onDelta } = deps;
  const jsonSchema = jsonSchemaOf(request.agent.output, request.agent.name);
  const chat = agentChatMessages(request);
  if (!request.tools?.length) {
    const refused = budgetRefusal(request.budget, chat, endpoint.model, endpoint.maxTokens);
    if (refused) return refused;
    return textOnly(await deps.clients.complete(endpoint, chat, meta, { signal, onDelta: textDeltas(onDelta), jsonSchema }));
  }
  if (!deps.tools)
    throw new ModelCallError({ message: `${who} has tools, and no tool registry was given`, type: 'ToolConfigError', retryable: false });
  const offer = await offerTools(request.tools, deps.tools, who, request.runId);
  const refused = budgetRefusal(request.budget, chat, endpoint.model, endpoint.maxTokens, offer.definitions);
  if (refused) return refused;
  const reply = await deps.clients.complete(endpoint, chat, meta, {
    signal,
    onDelta,
    tools: { definitions: offer.definitions, parallel: request.parallelToolCalls !== false },
    jsonSchema,
  });
  const { toolCalls, ...rest } = reply;
  if (!toolCalls) return rest;
  // Each call carries where it goes, decided here (where the tools were described) and kept in history.
  return { ...rest, toolCalls: toolCalls.map((call) => ({ ...call, route: offer.routes.get(call.name) ?? { kind: 'unknown' } })) };
}

/** One attempt of the selector: the prompt core built, sent to the selector's model (or refused, as callAgentModel). */
export async function callSelectorModel(request: SelectorPrompt, deps: ModelCallDeps): Promise<ModelReply | OverBudget> {
  const who = `selector (turn ${request.turn}, attempt ${request.attempt + 1})`;
  const endpoint = endpointFor(request.settings, deps, who);
  const meta = { who, agent: 'selector', runId: request.runId, turn: request.turn };
  const refused = budgetRefusal(request.budget, request.messages, endpoint.model, endpoint.maxTokens);
  if (refused) return refused;
  return textOnly(
    await deps.clients.complete(endpoint, request.messages, meta, { signal: deps.signal, onDelta: textDeltas(deps.onDelta) }),
  );
}

/** The pieces of a call that offered no tools: its text, not the arguments of calls `textOnly` drops. */
function textDeltas(onDelta: ModelCallDeps['onDelta']): ModelCallDeps['onDelta'] {
  return onDelta && ((piece) => (piece.tool === undefined ? onDelta(piece) : undefined));
}

/** A call that offered no tools takes only the text: calls the model made up anyway are dropped. */
function textOnly(reply: Omit<ModelReply, 'toolCalls'> & { toolCalls?: unknown }): ModelReply {
  const { toolCalls: _ignored, ...rest } = reply;
  return rest;
}
