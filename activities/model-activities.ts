import { ApplicationFailure, Context } from '@temporalio/activity';
import type { AgentTurnRequest, ModelReply, SelectSpeakerRequest } from '../src/core/activity-contract';
import { ModelClients } from '../src/model/chat-client';
import type { ModelDefaults } from '../src/model/endpoint';
import { ModelCallError } from '../src/model/errors';
import { callAgentModel, callSelectorModel, type ModelCallDeps } from '../src/model/model-calls';
import { ToolCardError } from '../src/model/tool-offer';
import { AgentCardCache, fetchAgentCard, RemoteCardError } from '../src/remote/agent-card';
import { allowlistOf, hostAllowlist } from '../src/remote/host-allowlist';
import type { ToolRegistry } from '../src/tools/registry';
import type { ConversationStore } from '../src/store/conversation-store';
import { agentViewFor, selectorPromptFor, storeReply } from '../src/store/requests-in-store';
import { withStore } from './store-access';
import { asCancellation } from './cancel-reason';
import { keepHeartbeating } from './heartbeat';
import { parseInput } from './parse-input';
import { AgentTurnRequestSchema, SelectSpeakerRequestSchema } from './request-schemas';

export interface ModelActivityDeps {
  /** Endpoint defaults for agents whose spec names none. */
  defaults?: ModelDefaults;
  /** Where keys are read from. Default: process.env. */
  env?: Record<string, string | undefined>;
  /** How often a call in flight beats (see keepHeartbeating). Default: DEFAULT_HEARTBEAT_EVERY_MS. */
  heartbeatEveryMs?: number;
}

/**
 * Runs a model call inside an activity: heartbeats often (so a dead worker is noticed and a
 * cancellation is delivered within a beat), aborts the HTTP request on cancellation, and turns
 * model failures into ApplicationFailures whose retryability and delay Temporal's retry policy obeys.
 */
async function asActivity(call: (deps: ModelCallDeps) => Promise<ModelReply>, deps: Omit<ModelCallDeps, 'signal'>, beatEveryMs?: number) {
  const stopBeating = keepHeartbeating(beatEveryMs);
  try {
    return await call({ ...deps, signal: Context.current().cancellationSignal });
  } catch (err) {
    if (Context.current().cancellationSignal.aborted) throw asCancellation(Context.current(), err);
    if (!(err instanceof ModelCallError)) throw err;
    const { message, type, retryable, retryAfterMs } = err.failure;
    throw ApplicationFailure.create({
      message,
      type,
      nonRetryable: !retryable,
      ...(retryAfterMs !== undefined ? { nextRetryDelay: retryAfterMs } : {}),
    });
  } finally {
    stopBeating();
  }
}

export function createModelActivities(
  registry: ToolRegistry,
  store: ConversationStore,
  { defaults = {}, env = process.env, heartbeatEveryMs }: ModelActivityDeps = {},
) {
  const cards = new AgentCardCache();
  const deps = {
    clients: new ModelClients(defaults.requestTimeoutMs),
    defaults,
    env,
    tools: {
      registry,
      // Remote tools are described by their cards, read (with the ETag cache) within the tool's allowlist.
      remoteCard: async (ref: { card: string; allowHosts: string[] | null }) => {
        try {
          return await fetchAgentCard(ref.card, {
            allow: ref.allowHosts ? hostAllowlist(ref.allowHosts) : allowlistOf([ref.card]),
            cache: cards,
          });
        } catch (err) {
          // The model side knows its own error for a card it cannot have, not the remote side's.
          if (err instanceof RemoteCardError) throw new ToolCardError(err.message, err.retryable);
          throw err;
        }
      },
    },
  };
  return {
    /** One agent's turn: its model answers the conversation so far. */
    async agentTurn(input: AgentTurnRequest): Promise<ModelReply> {
      const request = parseInput(AgentTurnRequestSchema, input, 'agentTurn');
      const messages = await withStore(() => agentViewFor(store, request));
      const reply = await asActivity((d) => callAgentModel({ ...request, messages }, d), deps, heartbeatEveryMs);
      return request.conversation ? withStore(() => storeReply(store, request.runId, reply, `agent "${request.agent.name}"`)) : reply;
    },
    /** One attempt at choosing the next speaker. */
    async selectSpeaker(input: SelectSpeakerRequest): Promise<ModelReply> {
      const request = parseInput(SelectSpeakerRequestSchema, input, 'selectSpeaker');
      const messages = await withStore(() => selectorPromptFor(store, request));
      return asActivity((d) => callSelectorModel({ ...request, messages }, d), deps, heartbeatEveryMs);
    },
  };
}
