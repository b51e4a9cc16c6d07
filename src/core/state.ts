import type { TeamPattern, TeamSpec } from '../spec/team';
import type { RunEvent } from './events';
import type { PendingInput } from './human';
import type { ForkOrigin } from './fork';
import type { PushConfig } from './push';
import { spendOf, type BudgetState, type Spend } from './budget';
import { NO_USAGE, TASK_SOURCE, type ChatMessage, type TokenUsage } from './messages';
import type { RunStatus } from './status';
import { initialTerminationState, type StopNote, type TerminationState } from './termination';

/** Why a run failed, as the person reading `status` needs it. */
export interface RunError {
  message: string;
  /** The failure type, e.g. "ModelInvocationError.Unauthorized". */
  type: string | null;
}

/**
 * Everything a run knows. Plain JSON with a version field: it is what queries read and what
 * continue-as-new carries, so it holds no Map, Date, class instance or function.
 */
export interface RunState {
  v: 1;
  runId: string;
  team: string;
  pattern: TeamPattern;
  contextId: string | null;
  status: RunStatus;
  /** Workflow time (epoch ms) when the run began; `timeout` conditions count from here. */
  startedAt: number;
  updatedAt: number;
  /**
   * The messages this execution holds: those it added (with what they say) and the records it
   * carried over (see carryOver). The whole conversation is in the conversation store; runs begun
   * before the store carried the newest part of it here.
   */
  messages: ChatMessage[];
  /** Messages in the whole conversation: the next message's index. */
  messageCount: number;
  /**
   * Messages below this index are on record in the conversation store (an activity wrote them).
   * Absent in states of runs begun before the store, which kept their messages here.
   */
  storedCount?: number;
  /** Agent turns completed; also the number of the next turn. */
  turn: number;
  lastSpeaker: string | null;
  /** Tokens used by agent turns. */
  usage: TokenUsage;
  /** Tokens used choosing speakers. */
  selectorUsage: TokenUsage;
  termination: TerminationState | null;
  /** Messages before this index have been shown to the termination conditions. */
  checkedMessages: number;
  externalStop: { reason: string; at: number } | null;
  /** Set when the run must stop; the run completes with it as its stop reason. */
  stop: StopNote | null;
  error: RunError | null;
  events: RunEvent[];
  nextEventSeq: number;
  /** How many times the run continued as new. */
  continuedAsNew: number;
  /** What the run asks a person right now, while it waits (status input-required). */
  pendingInput: PendingInput | null;
  /** Requests made so far: numbers the next one. */
  requestsMade: number;
  /** Memory of `approval.when`, and the first message it has not seen. */
  approvalGate: TerminationState | null;
  approvalChecked: number;
  /** Why a person rejected the run, when they did. */
  rejection: { reason: string; by: string | null } | null;
  /**
   * When the termination conditions last started afresh, and the turn count then: the run's
   * start, or the last time a person sent the team back to work from the final approval.
   * `timeout` counts from here and `maxTurns` from this turn. (Absent in states carried by older runs.)
   */
  roundStartedAt?: number;
  roundFirstTurn?: number;
  /**
   * Swarm teams: who speaks next (the last handoff's target) and, while a person agent has the
   * word, whom it goes back to. Absent until the first handoff: the first agent speaks.
   */
  swarm?: { speaker: string; returnTo: string | null };
  /** Where A2A clients asked to be told of state changes (secrets sealed). Absent until one asks. */
  pushConfigs?: PushConfig[];
  /** How many earlier parts of its context the run reads before its own messages (see earlier.ts). Absent: none. */
  earlier?: number;
  /** The caller's user key, for agents whose memory is per user. Absent when none was given. */
  user?: string;
  /** Set on a fork (see fork.ts): the run it began from and the turn it was forked at. */
  forkedFrom?: ForkOrigin;
  /** The run's budget and its spend so far (see budget.ts). Absent for teams without a budget. */
  budget?: BudgetState;
}

export interface NewRun {
  runId: string;
  team: TeamSpec;
  task: string;
  /** Where the task's text is in the conversation store, when the path that received it wrote it there. */
  taskRef?: string;
  contextId?: string | null;
  /** How many earlier parts the run's store note lists (see earlier.ts). */
  earlier?: number;
  /** The caller's user key (see RunState.user). */
  user?: string;
  now: number;
}

export function createRunState({ runId, team, task, taskRef, contextId, earlier, user, now }: NewRun): RunState {
  const taskMessage: ChatMessage = {
    index: 0,
    source: TASK_SOURCE,
    content: task,
    kind: 'text',
    turn: null,
    at: now,
    ...(taskRef ? { ref: taskRef } : {}),
  };
  return {
    v: 1,
    runId,
    team: team.name,
    pattern: team.pattern,
    contextId: contextId ?? null,
    status: 'submitted',
    startedAt: now,
    updatedAt: now,
    messages: [taskMessage],
    messageCount: 1,
    storedCount: 0,
    turn: 0,
    lastSpeaker: null,
    usage: NO_USAGE,
    selectorUsage: NO_USAGE,
    termination: team.termination ? initialTerminationState(team.termination) : null,
    checkedMessages: 0,
    externalStop: null,
    stop: null,
    error: null,
    events: [],
    nextEventSeq: 1,
    continuedAsNew: 0,
    pendingInput: null,
    requestsMade: 0,
    approvalGate: team.approval?.when ? initialTerminationState(team.approval.when) : null,
    // The task is the question, not an answer: gates look at what the team says.
    approvalChecked: 1,
    rejection: null,
    roundStartedAt: now,
    roundFirstTurn: 0,
    ...(earlier ? { earlier } : {}),
    ...(user ? { user } : {}),
  };
}

/** What a run looks like from outside, without its messages and events (those are paged). */
export type RunSnapshot = Pick<
  RunState,
  | 'runId'
  | 'team'
  | 'pattern'
  | 'contextId'
  | 'status'
  | 'startedAt'
  | 'updatedAt'
  | 'messageCount'
  | 'lastSpeaker'
  | 'usage'
  | 'selectorUsage'
  | 'error'
  | 'continuedAsNew'
  | 'pendingInput'
  | 'rejection'
> & {
  turns: number;
  lastMessage: ChatMessage | null;
  stopReason: string | null;
  stoppedBy: StopNote['conditions'];
  /** Number of the newest event; follow from here. */
  lastEventSeq: number;
  /** Set on a fork: the run it began from and the turn. */
  forkedFrom?: ForkOrigin;
  /** Tokens and dollars spent against the run's budget; absent when it has none. */
  spend?: Spend;
};

export function snapshotOf(state: RunState): RunSnapshot {
  return {
    runId: state.runId,
    team: state.team,
    pattern: state.pattern,
    contextId: state.contextId,
    status: state.status,
    startedAt: state.startedAt,
    updatedAt: state.updatedAt,
    turns: state.turn,
    messageCount: state.messageCount,
    lastSpeaker: state.lastSpeaker,
    lastMessage: state.messages.at(-1) ?? null,
    usage: state.usage,
    selectorUsage: state.selectorUsage,
    stopReason: state.rejection ? `rejected: ${state.rejection.reason}` : (state.stop?.reason ?? null),
    stoppedBy: state.stop?.conditions ?? [],
    error: state.error,
    lastEventSeq: state.nextEventSeq - 1,
    continuedAsNew: state.continuedAsNew,
    pendingInput: state.pendingInput,
    rejection: state.rejection,
    ...(state.forkedFrom ? { forkedFrom: state.forkedFrom } : {}),
    ...(state.budget ? { spend: spendOf(state.budget) } : {}),
  };
}
