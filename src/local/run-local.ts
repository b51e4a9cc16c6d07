import { randomUUID } from 'node:crypto';
import type { RunEvent } from '../core/events';
import { RunRecorder } from '../core/recorder';
import { createRunState, snapshotOf, type RunState } from '../core/state';
import { INTERRUPTED, runTeamLoop } from '../core/team-loop';
import { withBudget, type BudgetedRuntime } from '../core/budget-runtime';
import { timeoutDeadlines } from '../core/termination';
import { ModelClients } from '../model/chat-client';
import type { ModelDefaults } from '../model/endpoint';
import { ModelCallError } from '../model/errors';
import type { HumanAnswer, PendingInput } from '../core/human';
import type { TeamSpec } from '../spec/team';
import { nestedOutcome } from '../core/nested-outcome';
import type { ToolDefinition } from '../tools/define-tool';
import { ToolRegistry } from '../tools/registry';
import type { SpeakerFunctions } from '../tools/speaker-functions';
import { runCustomSelectionStep } from '../steps/custom-selection';
import { runToolCall } from '../steps/tool-call';
import { McpConnections } from '../mcp/mcp-connections';
import { pinnedTools } from '../mcp/pinned-tools';
import type { McpServerSpec } from '../spec/mcp';
import { conversationAsText, entriesToSend } from '../core/request-builders';
import { noteStored, type ConversationRef } from '../core/stored-messages';
import { ConversationStore } from '../store/conversation-store';
import { RamBackend } from '../store/ram-backend';
import { missingUserKey } from '../core/memory-request';
import { openAiEmbedder } from '../memory/embeddings';
import { InProcessMemory } from '../memory/in-process-memory';
import { MemoryStore } from '../memory/memory-store';
import { runAgentTurn } from '../steps/agent-turn';
import { runSelectorAttempt } from '../steps/selector-attempt';
import { inThisProcess, type StepDeps } from '../steps/step-host';

export interface LocalRunOptions {
  /** Endpoint defaults for agents whose spec names none. */
  model?: ModelDefaults;
  /** Where keys are read from. Default: process.env. */
  env?: Record<string, string | undefined>;
  /** Each event as it happens. */
  onEvent?: (event: RunEvent) => void;
  runId?: string;
  /** Function tools the agents may call (directly, once each: no retries here). */
  tools?: readonly ToolDefinition[];
  /** Selector functions and candidate filters the team names. */
  speakerFunctions?: SpeakerFunctions;
  /** Reuse clients (and their connections) across runs, as a worker does. */
  clients?: ModelClients;
  /** Where the conversation is kept while the run lasts. Default: this process's memory. */
  store?: ConversationStore;
  /**
   * Answers the run's questions to a person (a human agent's turn, a handoff, an approval).
   * Required by teams that ask; `signal` aborts when the run must stop meanwhile.
   */
  onInput?: (request: PendingInput, signal: AbortSignal) => Promise<Omit<HumanAnswer, 'requestId'>>;
  /** The agents' memory (see src/memory). Default: this process's memory, empty at first. */
  memory?: MemoryStore;
  /** The user key, for agents whose memory is per user. */
  user?: string;
  /** Connections to the MCP servers the agents use. Default: the run's own, closed when it ends. */
  mcp?: McpConnections;
}

/**
 * Runs a team in this process, with the same core as the durable workflow but no Temporal: no
 * retries, no durability, nothing survives the process. For quick experiments, and the baseline
 * the overhead benchmark measures the workflow against. Resolves with the final state; a failed
 * model call ends the run `failed` with the error in `state.error`.
 */
export async function runLocal(team: TeamSpec, task: string, options: LocalRunOptions = {}): Promise<RunState> {
  const noUser = missingUserKey(team, options.user);
  if (noUser) throw new Error(`${noUser}; pass user to runLocal`);
  const state = createRunState({ runId: options.runId ?? `local-${randomUUID()}`, team, task, user: options.user, now: Date.now() });
  const run = new RunRecorder(team, state, () => Date.now(), options.onEvent);
  const registry = new ToolRegistry(options.tools);
  const store = options.store ?? new ConversationStore(new RamBackend());
  const memory = { store: options.memory ?? new MemoryStore(new InProcessMemory()), embed: openAiEmbedder(options.model, options.env) };
  /** A step that read the conversation stored the records it carried, as an activity does. */
  const reading = <T>(conversation: ConversationRef, result: T): T => {
    noteStored(state, conversation);
    return result;
  };
  const ownMcp = options.mcp ? null : new McpConnections(options.env ?? process.env);
  const mcp = options.mcp ?? ownMcp!;
  const models = {
    clients: options.clients ?? new ModelClients(options.model?.requestTimeoutMs),
    defaults: options.model ?? {},
    env: options.env ?? process.env,
    tools: { registry, mcpTools: (server: McpServerSpec, runId: string) => pinnedTools(store, runId, server, mcp) },
  };
  const steps: StepDeps = { store, models, memory, mcp };

  // A timeout cuts the model call in flight short, as the workflow's timer does.
  let inFlight: AbortController | null = null;
  const timers = timeoutDeadlines(team.termination).map((ms) =>
    setTimeout(() => {
      if (run.tick()) inFlight?.abort();
    }, ms),
  );
  async function interruptible<T>(call: (signal: AbortSignal) => Promise<T>) {
    if (state.stop) return INTERRUPTED;
    inFlight = new AbortController();
    try {
      return await call(inFlight.signal);
    } catch (err) {
      if (inFlight.signal.aborted && state.stop) return INTERRUPTED;
      throw err;
    } finally {
      inFlight = null;
    }
  }
  const runtime: BudgetedRuntime = {
    // The same steps as the activities', run as they are in this process.
    agentTurn: (request) =>
      interruptible(async (signal) => reading(request.conversation!, await runAgentTurn(request, steps, inThisProcess(signal)))),
    selectSpeaker: (request) =>
      interruptible(async (signal) => reading(request.conversation!, await runSelectorAttempt(request, steps, inThisProcess(signal)))),
    // The inner team runs here too, with the same options and store; its events are its own.
    nestedTurn: async (request) => {
      const task = conversationAsText(entriesToSend(await store.conversation(request.conversation), request.send));
      const inner = await runLocal(request.team, task, { ...options, store, mcp, runId: request.childRunId, onEvent: undefined });
      return reading(
        request.conversation,
        nestedOutcome(request.agent, request.team, request.childRunId, snapshotOf(inner), inner.messages),
      );
    },
    customSelection: async (request) =>
      reading(
        request.conversation!,
        await runCustomSelectionStep(request, { store, functions: options.speakerFunctions ?? {} }, { store: (access) => access() }),
      ),
    toolCall: async (request) => {
      if (request.call.route.kind === 'a2a') throw new Error(`agent "${request.agent}": remote A2A tools need a durable run (a worker)`);
      return interruptible(async (signal) => {
        try {
          return await runToolCall(request, { registry, store, memory, mcp }, inThisProcess(signal));
        } catch (err) {
          if (signal.aborted) throw err;
          // No retries here: the model hears of the failure, as it would once a worker's retries are spent.
          return { v: 1 as const, content: `the tool failed: ${(err as Error).message}`, isError: true };
        }
      });
    },
    waitForHuman: async (request) => {
      const { onInput } = options;
      if (!onInput) throw new Error(`team "${team.name}" asks a person (${request.reason}); pass onInput to runLocal to answer`);
      if (state.stop) return INTERRUPTED;
      inFlight = new AbortController();
      const timeoutMs = request.deadline === null ? null : Math.max(0, request.deadline - Date.now());
      const timer = timeoutMs === null ? null : setTimeout(() => inFlight?.abort('timeout'), timeoutMs);
      try {
        return { ...(await onInput(request, inFlight.signal)), requestId: request.requestId };
      } catch (err) {
        if (inFlight.signal.aborted) return inFlight.signal.reason === 'timeout' ? 'timeout' : INTERRUPTED;
        throw err;
      } finally {
        if (timer) clearTimeout(timer);
        inFlight = null;
      }
    },
  };

  try {
    run.begin(task);
    await runTeamLoop(team, run, withBudget(team, run, runtime));
  } catch (err) {
    const failure = err instanceof ModelCallError ? err.failure : { message: (err as Error).message, type: null };
    run.fail({ message: failure.message, type: failure.type });
  } finally {
    timers.forEach(clearTimeout);
    await ownMcp?.close();
  }
  return state;
}
