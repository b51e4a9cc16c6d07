import { ApplicationFailure, Context } from '@temporalio/activity';
import type { AgentTurnRequest, ModelReply, SelectSpeakerRequest } from '../src/core/activity-contract';
import { ModelClients } from '../src/model/chat-client';
import type { ModelDefaults } from '../src/model/endpoint';
import { ModelCallError } from '../src/model/errors';
import type { OverBudget } from '../src/core/budget';
import { ToolCardError } from '../src/model/tool-offer';
import { AgentCardCache, fetchAgentCard, RemoteCardError } from '../src/remote/agent-card';
import { allowlistOf, hostAllowlist } from '../src/http/host-allowlist';
import type { ToolRegistry } from '../src/tools/registry';
import type { ConversationStore } from '../src/store/conversation-store';
import { runAgentTurn } from '../src/steps/agent-turn';
import { runSelectorAttempt } from '../src/steps/selector-attempt';
import type { StepDeps, StepHost } from '../src/steps/step-host';
import { withStore } from './store-access';
import { asCancellation } from './cancel-reason';
import { keepHeartbeating } from './heartbeat';
import { startLiveCall } from './live-call';
import { NO_LIVE, type LivePublisher } from '../src/core/live';
import { parseInput } from './parse-input';
import { AgentTurnRequestSchema, SelectSpeakerRequestSchema } from '../src/contract/model-requests';
import type { AgentMemoryDeps } from '../src/memory/agent-memory';
import { asMemoryFailure } from './memory';
import type { McpConnections } from '../src/mcp/mcp-connections';
import { pinnedTools } from '../src/mcp/pinned-tools';
import type { McpServerSpec } from '../src/spec/mcp';

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
  /** Connections to MCP servers; needed by teams whose agents have `mcp`. */
  mcp?: McpConnections;
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
 * Where a model step runs in an activity (see StepHost): the store is waited for while it is down;
 * the model's text goes to watchers as it is written, its HTTP request is aborted on
 * cancellation, and its failures become ApplicationFailures whose retryability and delay
 * Temporal's retry policy obeys.
 */
function inActivity(live: {
  publisher: LivePublisher;
  runId: string;
  turn: number;
  agent: string;
}): Pick<StepHost, 'store' | 'model' | 'attempt'> {
  const { workflowExecution, activityId, attempt } = Context.current().info;
  return {
    // The execution's id with the activity's: activity ids start again after continue-as-new.
    ...(workflowExecution ? { attempt: { step: `${workflowExecution.runId}/${activityId}`, number: attempt } } : {}),
    store: withStore,
    async model(call) {
      const preview = startLiveCall(live.publisher, live);
      try {
        const signal = Context.current().cancellationSignal;
        return await asMemoryFailure(() => call({ signal, onDelta: (piece) => preview.onDelta(piece) }));
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
    },
  };
}

export function createModelActivities(
  registry: ToolRegistry,
  store: ConversationStore,
  { defaults = {}, env = process.env, live = NO_LIVE, heartbeatEveryMs, memory, mcp }: ModelActivityDeps = {},
) {
  const cards = new AgentCardCache();
  const models = {
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
      // An MCP server's tools as the run first listed them (pinned beside its conversation).
      ...(mcp ? { mcpTools: (server: McpServerSpec, runId: string) => pinnedTools(store, runId, server, mcp) } : {}),
    },
  };
  const steps: StepDeps = { store, models, memory, ...(mcp ? { mcp } : {}) };
  return {
    /** One agent's turn: its model answers the conversation so far (see runAgentTurn). */
    async agentTurn(input: AgentTurnRequest): Promise<ModelReply | OverBudget> {
      const request = parseInput(AgentTurnRequestSchema, input, 'agentTurn');
      const host = inActivity({ publisher: live, runId: request.runId, turn: request.turn, agent: request.agent.name });
      return beating(heartbeatEveryMs, () => runAgentTurn(request, steps, host));
    },
    /** One attempt at choosing the next speaker (see runSelectorAttempt). */
    async selectSpeaker(input: SelectSpeakerRequest): Promise<ModelReply | OverBudget> {
      const request = parseInput(SelectSpeakerRequestSchema, input, 'selectSpeaker');
      const host = inActivity({ publisher: live, runId: request.runId, turn: request.turn, agent: 'selector' });
      return beating(heartbeatEveryMs, () => runSelectorAttempt(request, steps, host));
    },
  };
}
