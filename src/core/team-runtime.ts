import type { HumanAnswer, PendingInput } from './human';
import type { NestedRejected } from './nested-outcome';
import type {
  AgentTurnRequest,
  CustomSelection,
  CustomSelectionRequest,
  ModelReply,
  NestedTurnRequest,
  RemoteTurnRequest,
  RemoteWaiting,
  SelectSpeakerRequest,
  ToolCallRequest,
  ToolOutcome,
} from './activity-contract';

/** A step the runtime cut short because the run must stop (see RunRecorder.tick). */
export const INTERRUPTED = Object.freeze({ interrupted: true as const });
export type Interrupted = typeof INTERRUPTED;

export function isInterrupted(value: unknown): value is Interrupted {
  return typeof value === 'object' && value !== null && 'interrupted' in value && value.interrupted === true;
}

/**
 * Everything the team loop needs from the outside world. The durable workflow implements it
 * with activities, signals and workflow time; runLocal with direct calls and the system clock.
 */
export interface TeamRuntime {
  agentTurn(request: AgentTurnRequest): Promise<ModelReply | Interrupted>;
  /** A remote A2A agent's turn; absent where remote agents cannot be called (then such a team fails). */
  remoteTurn?(request: RemoteTurnRequest): Promise<ModelReply | RemoteWaiting | Interrupted>;
  /**
   * One tool call. A call that fails for good comes back as an error outcome (the model is told),
   * not as a thrown failure; absent where tools cannot run (then a team using them fails).
   */
  toolCall?(request: ToolCallRequest): Promise<ToolOutcome | Interrupted>;
  /**
   * A nested team's turn: its answer, or its rejection by a person (passed up). Absent where
   * teams cannot be nested (then such a team fails).
   */
  nestedTurn?(request: NestedTurnRequest): Promise<ModelReply | NestedRejected | Interrupted>;
  /** The worker's selector function and candidate filter, for teams that name them. */
  customSelection?(request: CustomSelectionRequest): Promise<CustomSelection | Interrupted>;
  selectSpeaker(request: SelectSpeakerRequest): Promise<ModelReply | Interrupted>;
  /**
   * Waits for a person's answer to `request`: the answer, `'timeout'` at its deadline, or
   * INTERRUPTED when the run must stop meanwhile (a timeout condition, a stop request).
   */
  waitForHuman(request: PendingInput): Promise<HumanAnswer | 'timeout' | Interrupted>;
  /** Asked between turns; true leaves the loop so the caller can continue the run elsewhere. */
  shouldSuspend?(): boolean;
}
