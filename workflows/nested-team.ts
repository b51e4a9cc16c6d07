import { ApplicationFailure, executeChild } from '@temporalio/workflow';
import { isConversational } from '../src/core/messages';
import type { ModelReply, NestedTurnRequest } from '../src/core/requests';
import { isHuman } from '../src/spec/agent';
import { TEAM_RUN_WORKFLOW, type TeamRunInput, type TeamRunResult } from './definitions';

/**
 * A nested team's turn: the inner team runs as a child workflow (its id fixed by the turn, so a
 * replay or a retried workflow task finds the same child), and its final answer is the message.
 * Cancelling the outer run cancels the inner one; a failed inner run fails the outer turn.
 */
export async function runNestedTeam(request: NestedTurnRequest): Promise<ModelReply> {
  const input: TeamRunInput = { v: 1, team: request.team, task: request.task, contextId: `${request.runId}/${request.agent}` };
  const result = (await executeChild(TEAM_RUN_WORKFLOW, {
    workflowId: request.childRunId,
    args: [input],
    memo: { team: request.team.name, status: 'submitted', waiting: null, contextId: input.contextId },
  })) as TeamRunResult;
  const { snapshot, messages } = result;
  if (snapshot.status !== 'completed') {
    const why = snapshot.error?.message ?? snapshot.rejection?.reason ?? snapshot.stopReason ?? 'no reason given';
    throw ApplicationFailure.nonRetryable(`nested team "${request.agent}" (run ${request.childRunId}) ended ${snapshot.status}: ${why}`, 'NestedTeamFailed');
  }
  const people = new Set(request.team.agents.filter(isHuman).map((a) => a.name));
  const answer = [...messages].reverse().find((m) => isConversational(m) && m.source !== 'user' && !people.has(m.source));
  return { v: 1, content: answer?.content ?? '', usage: snapshot.usage, model: `team:${request.team.name}` };
}
