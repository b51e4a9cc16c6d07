import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CarryLimits } from '../src/core/carry-over';
import type { ForkStart } from '../src/core/fork';
import type { HumanAnswer, PendingInput } from '../src/core/human';
import type { ChatMessage } from '../src/core/messages';
import type { SendMode } from '../src/core/activity-contract';
import type { ConversationRef } from '../src/core/stored-messages';
import type { PushConfig, PushConfigChange } from '../src/core/push';
import type { EventPage, TranscriptPage } from '../src/core/paging';
import type { RunSnapshot, RunState } from '../src/core/state';
import type { TeamSpec } from '../src/spec/team';

/**
 * The teamRun workflow's public face: its input, result, queries and signals, defined once and
 * imported by the workflow, the client and the A2A front end alike. Wire names equal identifiers.
 */

export const TEAM_RUN_WORKFLOW = 'teamRun';

export interface TeamRunOptions {
  /** Continue as new after this many turns in one execution, besides when Temporal suggests it. */
  continueAsNewAfterTurns?: number;
  /** What continue-as-new carries; see core/carry-over. */
  carry?: CarryLimits;
}

export interface TeamRunInput {
  v: 1;
  team: TeamSpec;
  /** The task's text: in the first execution's input only (later ones read it from the store). */
  task: string;
  /** Where the path that received the task stored it in the conversation store. */
  taskRef?: string;
  /** A nested run's task: the outer run's conversation, read by the inner run's first activity. */
  taskFrom?: NestedTaskSource;
  contextId?: string | null;
  /**
   * How many earlier parts of its context (earlier tasks, referenced ones) the run reads before
   * its own messages; the parts themselves are the run's `earlier` note in the conversation store,
   * written before it starts (see core/earlier.ts). Absent: the run starts afresh.
   */
  earlier?: number;
  /** The caller's user key, for agents whose memory is per user (plain data, not a secret). */
  user?: string;
  options?: TeamRunOptions;
  /** A2A push-notification configs given with the task (secrets sealed), so the first change is told too. */
  pushConfigs?: PushConfig[];
  /**
   * Set on a fork (see core/fork.ts): the run begins with the kept messages, whose records the
   * client wrote as the fork's own before starting it. Absent in every run before forks.
   */
  fork?: ForkStart;
  /** Set only by continue-as-new: the state the run goes on from. */
  state?: RunState;
  /** Set for a nested team's run: the outer run, told of this run's questions to people. */
  parent?: NestedParent;
  /**
   * Set when the starter gave the run its search attributes (they are registered on the
   * namespace): the run keeps them up to date (see src/visibility/run-attributes.ts). Absent in every
   * run before them, and wherever they are not registered.
   */
  searchAttributes?: true;
}

export interface NestedTaskSource {
  conversation: ConversationRef;
  send: SendMode;
}

/** The outer run of a nested team's run, and the participant the inner team is there. */
export interface NestedParent {
  runId: string;
  agent: string;
}

export interface TeamRunResult {
  v: 1;
  snapshot: RunSnapshot;
  /**
   * Runs begun before the conversation store: the conversation (its newest part, for a very long
   * run). Runs with the store: empty, read from the store (TeamClient.result does).
   */
  messages: ChatMessage[];
  /** Runs with the store: the run's answer as a record (what a nested run answers its outer run). */
  answer?: ChatMessage | null;
  /** 'store': every message of the run is in the conversation store. */
  conversation?: 'store';
}

export interface EventsRequest {
  /** Return events numbered above this; 0 for all. */
  after?: number;
  limit?: number;
}

export interface TranscriptRequest {
  /** First message index wanted. */
  from?: number;
  limit?: number;
}

export interface StopRequest {
  reason?: string;
}

/** The run as it stands: status, turns, stop reason, last message. */
export const runStateQuery = defineQuery<RunSnapshot>('runStateQuery');
export interface RunViewRequest {
  /** Most recent messages wanted; undefined for all the run keeps. */
  historyLength?: number;
}

/** The snapshot and the newest messages at once: what an A2A GetTask needs, in one round trip. */
export const runViewQuery = defineQuery<{ snapshot: RunSnapshot; messages: ChatMessage[] }, [RunViewRequest?]>('runViewQuery');
/** Events after a number, for followers. */
export const runEventsQuery = defineQuery<EventPage, [EventsRequest?]>('runEventsQuery');
/** A page of the conversation. */
export const transcriptQuery = defineQuery<TranscriptPage, [TranscriptRequest?]>('transcriptQuery');
/** Ask the run to stop after the turn in flight (AutoGen's ExternalTermination). */
export const stopRunSignal = defineSignal<[StopRequest?]>('stopRunSignal');

/** What an accepted answer is told. */
export interface AnswerReceipt {
  requestId: string;
  accepted: true;
}

/**
 * A person's answer, acknowledged: the validator refuses an answer to a request that is not
 * pending (wrong or stale id, already answered, run not waiting) with the reason, changing nothing.
 */
export const answerUpdate = defineUpdate<AnswerReceipt, [HumanAnswer]>('answerUpdate');
/** The same answer, fire-and-forget; a refused one is only recorded as an `answer_refused` event. */
export const answerSignal = defineSignal<[HumanAnswer]>('answerSignal');

/**
 * Sent by `durable-teams deploy promote` (and `deploy nudge`) to runs on older builds. It carries
 * nothing: its workflow task is where a run waiting on a person learns that its build is no longer
 * the current one, and moves (see build-move.ts).
 */
export const buildChangedSignal = defineSignal('buildChangedSignal');

/** A nested run asks a person: the outer run shows the question and passes the answer back. */
export interface NestedQuestion {
  runId: string;
  request: PendingInput;
}
/** The nested run's question was settled (answered, withdrawn, timed out): the outer run drops its copy. */
export interface NestedSettled {
  runId: string;
  requestId: string;
  reason: string;
}
export const nestedQuestionSignal = defineSignal<[NestedQuestion]>('nestedQuestionSignal');
export const nestedSettledSignal = defineSignal<[NestedSettled]>('nestedSettledSignal');

/**
 * Adds, replaces or deletes an A2A push-notification config; answers with the configs now held.
 * Refused (changing nothing) for an unknown id, a bad URL, too many configs or an ended run.
 */
export const pushConfigUpdate = defineUpdate<PushConfig[], [PushConfigChange]>('pushConfigUpdate');
/** The run's push-notification configs (secrets sealed). */
export const pushConfigsQuery = defineQuery<PushConfig[]>('pushConfigsQuery');
