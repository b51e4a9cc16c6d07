import { ApplicationFailure, Context } from '@temporalio/activity';
import type { AgentTurnRequest, ModelReply, SelectSpeakerRequest } from '../src/core/activity-contract';
import { ModelClients } from '../src/model/chat-client';
import type { ModelDefaults } from '../src/model/endpoint';
import { ModelCallError } from '../src/model/errors';
import { underBudget } from '../src/model/budget-gate';
import type { OverBudget } from '../src/core/budget';
import { callAgentModel, callSelectorModel, type ModelCallDeps } from '../src/model/model-calls';
import { ToolCardError } from '../src/model/tool-offer';
import { AgentCardCache, fetchAgentCard, RemoteCardError } from '../src/remote/agent-card';
import { allowlistOf, hostAllowlist } from '../src/http/host-allowlist';
import type { ToolRegistry } from '../src/tools/registry';
import type { ConversationStore } from '../src/store/conversation-store';
import { agentViewFor, selectorPromptFor, storeReply } from '../src/store/requests-in-store';
import { withStore } from './store-access';
import { asCancellation } from './cancel-reason';
import { keepHeartbeating } from './heartbeat';
import { startLiveCall } from './live-call';
import { NO_LIVE, type LivePublisher } from '../src/core/live';
import { parseInput } from './parse-input';
import { AgentTurnRequestSchema, SelectSpeakerRequestSchema } from './request-schemas';
import type { AgentMemoryDeps } from '../src/memory/agent-memory';
import { recallForTurn } from './memory';

export interface ModelActivityDeps {
  /** Endpoint defaults for agents whose spec names none. */
  defaults?: ModelDefaults;
  /** Where keys are read from. Default: process.env. */
  env?: Record<string, string | undefined>;
  /** Where the text a model is writing goes while it writes (see src/live). Default: nowhere. */
  live?: LivePublisher;
  /** How often a call in flight beats (see keepHeartbeating). Default: DEFAULT_HEARTBEAT_EVERY_MS. */
  heartbeatEveryMs?: number;
  /** The agents' long-term memory (see src/memory); needed by teams whose agents have `memory`. */
  memory?: AgentMemoryDeps;
}

/**
 * Beats for the whole of a model call's activity, the store's read and write included: its
 * heartbeat timeout is short (MODEL_CALL_HEARTBEAT), so nothing in it may go a few seconds unbeaten.
 */
async function beating<T>(everyMs: number | undefined, body: () => Promise<T>): Promise<T> {
  const stopBeating = keepHeartbeating(everyMs);
  try {
    return await body();
  } finally {
    stopBeating();
  }
}

/**
 * Runs a model call inside an activity: its text goes to watchers as it is written, the HTTP
 * request is aborted on cancellation, and model failures become ApplicationFailures whose
 * retryability and delay Temporal's retry policy obeys.
 */
async function asActivity<R extends ModelReply>(
  call: (deps: ModelCallDeps) => Promise<R>,
  deps: Omit<ModelCallDeps, 'signal' | 'onDelta'>,
  live: { publisher: LivePublisher; runId: string; turn: number; agent: string },
): Promise<R> {
  const preview = startLiveCall(live.publisher, live);
  try {
    return await call({ ...deps, signal: Context.current().cancellationSignal, onDelta: (piece) => preview.onDelta(piece) });
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
    preview.end();
  }
}

export function createModelActivities(
  registry: ToolRegistry,
  store: ConversationStore,
  { defaults = {}, env = process.env, live = NO_LIVE, heartbeatEveryMs, memory }: ModelActivityDeps = {},
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
    async agentTurn(input: AgentTurnRequest): Promise<ModelReply | OverBudget> {
      const request = parseInput(AgentTurnRequestSchema, input, 'agentTurn');
      return beating(heartbeatEveryMs, async () => {
        const messages = await withStore(() => agentViewFor(store, request));
        const who = { publisher: live, runId: request.runId, turn: request.turn, agent: request.agent.name };
        const reply = await underBudget(() =>
          asActivity(
            async (d) => {
              // Memory is read here, in the activity, and what the model was shown is in its result.
              const recalled = await recallForTurn(memory, request, messages, d.signal);
              const shaped = await callAgentModel({ ...request, messages, ...recalled.prompt }, d);
              return { ...shaped, ...recalled.used };
            },
            deps,
            who,
          ),
        );
        if ('overBudget' in reply) return reply;
        if (request.conversation) return withStore(() => storeReply(store, request.runId, reply, `agent "${request.agent.name}"`));
        const { attachments: _none, ...plain } = reply; // a run begun before the store keeps text only
        return plain;
      });
    },
    /** One attempt at choosing the next speaker. */
    async selectSpeaker(input: SelectSpeakerRequest): Promise<ModelReply | OverBudget> {
      const request = parseInput(SelectSpeakerRequestSchema, input, 'selectSpeaker');
      return beating(heartbeatEveryMs, async () => {
        const messages = await withStore(() => selectorPromptFor(store, request));
        const who = { publisher: live, runId: request.runId, turn: request.turn, agent: 'selector' };
        return underBudget(() => asActivity((d) => callSelectorModel({ ...request, messages }, d), deps, who));
      });
    },
  };
}
