/**
 * A person in the loop: what the run asks them, and what they may answer. Plain data shared by
 * the workflow (which waits for the answer), the client and the CLI (which send it).
 */

import { refuseRaise, type BudgetRaise } from './budget';

/**
 * `input`: the run wants text; `approval`: the run wants a decision on the team's work;
 * `budget`: the next model call would go over the run's budget: raise it, or stop the run.
 */
export type InputKind = 'input' | 'approval' | 'budget';

/** Why the run asks. */
export type InputReason =
  'human_turn' | 'handoff' | 'approval_gate' | 'final_approval' | 'remote_input' | 'tool_approval' | 'nested_input' | 'budget';

/** The question a waiting run has for a person. `deadline` is epoch ms in workflow time, or null. */
export interface PendingInput {
  requestId: string;
  kind: InputKind;
  reason: InputReason;
  /** Who asks: the agent that handed off, "team" for a human's turn, "approval" for a gate. */
  from: string;
  /** Who is expected to answer: a human agent's name, or "user". */
  to: string;
  prompt: string;
  since: number;
  deadline: number | null;
  /** Set the moment an answer is taken, so that a second one is refused. */
  answered: boolean;
  /**
   * A nested team's question shown on this run: the inner run and its request, where the answer
   * is sent. This run only passes it on; the inner run applies it.
   */
  forward?: { runId: string; requestId: string };
  /** A `budget` request's figures: the limits, what is spent, and what the next call needs. */
  budget?: BudgetFigures;
}

export interface BudgetFigures {
  maxTotalTokens: number | null;
  maxCostUsd: number | null;
  spentTokens: number;
  spentUsd: number;
  needsTokens: number;
  needsUsd: number;
}

export type HumanAction = 'input' | 'approve' | 'reject' | 'request_changes' | 'raise' | 'stop';

/** A person's answer. `text` is the input, the requested changes, an approval comment or a rejection reason. */
export interface HumanAnswer {
  requestId: string;
  action: HumanAction;
  text?: string;
  /** Who answered, for the record (a user name); never checked. */
  by?: string;
  /** Where the path that received the answer stored its text in the conversation store. */
  ref?: string;
  /** A `raise` answer's new limits (a budget request). */
  raise?: BudgetRaise;
}

/** The largest answer taken, in characters. */
export const MAX_ANSWER_CHARS = 64 * 1024;

const ACCEPTED: Record<InputKind, HumanAction[]> = {
  input: ['input', 'reject'],
  approval: ['approve', 'reject', 'request_changes'],
  budget: ['raise', 'stop'],
};

const ASKS: Record<InputKind, string> = { input: 'input', approval: 'a decision', budget: 'a budget decision' };

/**
 * Why an answer cannot be taken, or null when it can. The workflow's update validator and signal
 * handler both use it, so a refused answer changes nothing, whichever way it came.
 */
export function refuseAnswer(pending: PendingInput | null, answer: HumanAnswer, status: string): string | null {
  if (!pending) return `the run is not waiting for input (status: ${status})`;
  if (answer.requestId !== pending.requestId) {
    return `request "${answer.requestId}" is not pending; the run is waiting on request "${pending.requestId}"`;
  }
  if (pending.answered) return `request "${pending.requestId}" has already been answered`;
  if (!ACCEPTED[pending.kind].includes(answer.action)) {
    return `request "${pending.requestId}" asks for ${ASKS[pending.kind]}; it takes ${ACCEPTED[pending.kind].join(', ')}, not ${answer.action}`;
  }
  if (answer.action === 'raise') {
    const refused = refuseRaise(pending.budget ?? { maxTotalTokens: null, maxCostUsd: null }, answer.raise);
    if (refused) return refused;
  }
  const text = answer.text ?? '';
  if ((answer.action === 'input' || answer.action === 'request_changes') && !text.trim()) {
    return answer.action === 'input' ? 'the answer is empty' : 'say what should change';
  }
  if (text.length > MAX_ANSWER_CHARS) {
    return `the answer has ${text.length} characters; the limit is ${MAX_ANSWER_CHARS} (64 KiB)`;
  }
  return null;
}
