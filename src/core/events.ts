import type { HumanAction, PendingInput } from './human';
import type { ChatMessage } from './messages';
import type { RunState } from './state';
import type { RunStatus } from './status';
import type { StopNote } from './termination';

/** How a turn's speaker was chosen. */
export interface SpeakerChoice {
  speaker: string;
  by: 'round_robin' | 'selector' | 'only_candidate' | 'fallback' | 'swarm' | 'function';
  /** Selector model calls made for this choice. */
  attempts: number;
}

/**
 * What happened in a run, numbered from 1 in the order it happened. Followers (the CLI's
 * --follow, A2A streams) ask for the events after the last number they saw.
 */
export type RunEventBody =
  | { type: 'run_started'; team: string; task: string }
  | { type: 'status_changed'; status: RunStatus; previous: RunStatus }
  | { type: 'turn_started'; turn: number; speaker: string; choice: SpeakerChoice }
  | { type: 'turn_interrupted'; turn: number; speaker: string | null; reason: string }
  | { type: 'message'; message: ChatMessage }
  | { type: 'input_requested'; request: PendingInput }
  | { type: 'input_received'; requestId: string; action: HumanAction; by: string | null; timedOut: boolean }
  | { type: 'input_withdrawn'; requestId: string; reason: string }
  | { type: 'answer_refused'; requestId: string; reason: string }
  | { type: 'termination_reset'; reason: string }
  | { type: 'run_finished'; status: RunStatus; stop: StopNote | null; error: string | null; rejection: RunState['rejection'] };

export type RunEvent = RunEventBody & {
  seq: number;
  /** Workflow time in epoch milliseconds. */
  at: number;
};

export type RunEventType = RunEvent['type'];
