import type { ConversationStore } from '../store/conversation-store';
import type { AgentMemoryDeps } from '../memory/agent-memory';
import type { ModelCallDeps } from '../model/model-calls';
import type { ToolContext } from '../tools/define-tool';
import type { McpConnections } from '../mcp/mcp-connections';

/** What a model call takes from where it runs: the signal that aborts it, where its text goes as it is written. */
export type CallSite = Pick<ModelCallDeps, 'signal' | 'onDelta'>;

/**
 * What a tool takes from where it runs: which attempt this is, the signal that aborts it, how it
 * says it is alive, and (where someone may watch) where its progress goes.
 */
export type ToolSite = Pick<ToolContext, 'attempt' | 'signal' | 'heartbeat'> & { onProgress?: (line: string) => void };

/**
 * Where a step runs, and so how each of its parts is run. The step owns the order of its parts
 * (read the conversation, call the model, store the reply); its host owns what differs between
 * an activity and runLocal. An activity waits out a store that is down (heartbeating) and runs
 * the model's part with a live preview, under its cancellation, its errors made failures Temporal
 * retries or not; runLocal runs both as they are, under the run's abort signal.
 */
export interface StepHost {
  /** Runs one read or write of the conversation store. */
  store<T>(access: () => Promise<T>): Promise<T>;
  /** Runs the model's part of a step (memory recall and the call itself). */
  model<T>(call: (site: CallSite) => Promise<T>): Promise<T>;
  /** Runs a tool's part of a step: the tool itself, function or memory. */
  tool<T>(call: (site: ToolSite) => Promise<T>): Promise<T>;
  /**
   * Which attempt of which step this is, where a step may be tried again: an activity's (`step`
   * names it the same on every attempt; `number` is Temporal's attempt). Absent in runLocal.
   */
  attempt?: { step: string; number: number };
}

/** A host that runs each part as it is, in this process: runLocal's. */
export function inThisProcess(signal: AbortSignal): StepHost {
  // One attempt only: nothing here retries, and nobody listens for heartbeats.
  return {
    store: (access) => access(),
    model: (call) => call({ signal }),
    tool: (call) => call({ attempt: 1, signal, heartbeat: () => undefined }),
  };
}

/** What the model steps need, whatever runs them: the same for every step of a worker or a local run. */
export interface StepDeps {
  /** Where conversations are read and replies written. */
  store: ConversationStore;
  /** Clients, endpoint defaults, keys and tool descriptions for model calls. */
  models: Omit<ModelCallDeps, 'signal' | 'onDelta'>;
  /** The agents' long-term memory; needed by agents that have `memory`. */
  memory?: AgentMemoryDeps;
  /** Connections to MCP servers; needed by agents that have `mcp`. */
  mcp?: McpConnections;
}
