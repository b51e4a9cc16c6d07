import type { TeamSpec } from '../spec/team';
import { finalAnswerOf, peopleOf } from './final-answer';
import type { ChatMessage } from './messages';
import type { ModelReply } from './activity-contract';
import type { RunSnapshot } from './state';

/** A person rejected the nested run: the outer run is rejected with the same reason. */
export interface NestedRejected {
  v: 1;
  rejected: { reason: string; by: string | null };
}

export function isNestedRejected(reply: unknown): reply is NestedRejected {
  return typeof reply === 'object' && reply !== null && 'rejected' in reply && typeof (reply as NestedRejected).rejected === 'object';
}

type InnerEnd = Pick<RunSnapshot, 'status' | 'usage' | 'error' | 'rejection' | 'stopReason' | 'spend'>;

/**
 * What a finished inner run means for the outer turn: its final answer (the last message from
 * an agent, not a person) as the participant's message, or its rejection passed up. Any other
 * end is a failure, thrown with what the inner run said.
 */
export function nestedOutcome(
  agent: string,
  team: TeamSpec,
  innerRunId: string,
  end: InnerEnd,
  messages: ChatMessage[],
): ModelReply | NestedRejected {
  if (end.status === 'rejected' && end.rejection) return { v: 1, rejected: end.rejection };
  if (end.status !== 'completed') {
    const why = end.error?.message ?? end.rejection?.reason ?? end.stopReason ?? 'no reason given';
    throw new NestedTeamFailure(`nested team "${agent}" (run ${innerRunId}) ended ${end.status}: ${why}`);
  }
  const answer = finalAnswerOf(messages, peopleOf(team));
  // The inner run stored the answer: the outer message refers to it, unless only a part of it is the answer.
  const ref = answer?.ref !== undefined && answer.cut === undefined ? { ref: answer.ref } : {};
  const spend = end.spend ? { spend: { totalTokens: end.spend.totalTokens, costUsd: end.spend.costUsd } } : {};
  return { v: 1, content: answer?.content ?? '', usage: end.usage, model: `team:${team.name}`, ...ref, ...spend };
}

export class NestedTeamFailure extends Error {
  override name = 'NestedTeamFailed';
}
