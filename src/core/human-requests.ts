import type { HumanAgentSpec } from '../spec/agent';
import type { HumanTimeoutSpec } from '../spec/human';
import type { TeamSpec } from '../spec/team';
import { durationToMs, formatDuration } from './duration';
import type { HumanAnswer, PendingInput } from './human';
import { isConversational, type ChatMessage } from './messages';
import type { RunState } from './state';
import type { StopNote } from './termination';

/** A request before the run numbers and dates it. */
export type InputDraft = Omit<PendingInput, 'requestId' | 'since' | 'deadline' | 'answered'> & {
  timeout: HumanTimeoutSpec | undefined;
  /** A deadline kept by someone else (a nested run's), instead of one counted from `timeout`. */
  deadline?: number | null;
};

function shorten(text: string, max = 500): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

export function humanTurnDraft(agent: HumanAgentSpec): InputDraft {
  return {
    kind: 'input',
    reason: 'human_turn',
    from: 'team',
    to: agent.name,
    prompt: agent.prompt ?? `${agent.name}, it is your turn: reply to the team.`,
    timeout: agent.timeout,
  };
}

/** The agent's message (without the phrase) is the question; `null` when it does not hand off. */
export function handoffDraft(team: TeamSpec, message: ChatMessage): InputDraft | null {
  const handoff = team.handoff;
  if (!handoff || !message.content.includes(handoff.phrase)) return null;
  const question = message.content.split(handoff.phrase).join(' ').replace(/ {2,}/g, ' ').trim();
  return {
    kind: 'input',
    reason: 'handoff',
    from: message.source,
    to: handoff.to ?? 'user',
    prompt: question || `${message.source} hands the conversation to you: reply to the team.`,
    timeout: handoff.timeout,
  };
}

/**
 * A remote agent's task asks a question: the person's answer is sent to that task. `via` names
 * the remote tool, when the agent that asks is ours and the remote is one of its tools.
 */
export function remoteQuestionDraft(
  agent: string,
  question: { prompt: string; state: 'input-required' | 'auth-required' },
  via?: string,
  /** What kind of tool `via` is: a remote A2A agent's, or an MCP server's (whose call's outcome is in question). */
  tool: 'remote' | 'MCP' = 'remote',
): InputDraft {
  const asks = question.state === 'auth-required' ? 'needs you to authenticate' : 'asks';
  const who = via ? `${agent}'s ${tool} tool ${via}` : `${agent} (remote)`;
  return {
    kind: 'input',
    reason: 'remote_input',
    from: agent,
    to: 'user',
    prompt: `${who} ${asks}: ${question.prompt || '(no question given)'}`,
    timeout: undefined,
  };
}

/**
 * A nested team's run asks a person: the same question, with the same answers allowed and the
 * inner run's deadline, shown on this run; the answer is passed on to the inner run.
 */
export function nestedQuestionDraft(agent: string, innerRunId: string, question: PendingInput): InputDraft {
  return {
    kind: question.kind,
    reason: 'nested_input',
    from: agent,
    to: question.to,
    prompt: `${agent} (nested team): ${question.prompt}`,
    timeout: undefined,
    deadline: question.deadline,
    forward: { runId: innerRunId, requestId: question.requestId },
  };
}

export function approvalDraft(team: TeamSpec, state: RunState, reason: 'approval_gate' | 'final_approval', why: StopNote): InputDraft {
  const last = [...state.messages].reverse().find(isConversational);
  const lead = reason === 'final_approval' ? `The run is about to complete (${why.reason}).` : `Approval needed: ${why.reason}.`;
  const lastLine = last ? ` Last message, from ${last.source}: ${shorten(last.content)}` : '';
  return {
    kind: 'approval',
    reason,
    from: 'approval',
    to: 'user',
    prompt: team.approval?.prompt ?? `${lead}${lastLine}`,
    timeout: team.approval?.timeout,
  };
}

/** Does a final approval stand between this stop and completion? A stop a person asked for needs none. */
export function needsFinalApproval(team: TeamSpec, state: RunState): boolean {
  return Boolean(team.approval && team.approval.beforeCompletion !== false && state.stop && !state.stop.conditions.includes('external'));
}

export function deadlineOf(since: number, timeout: HumanTimeoutSpec | undefined): number | null {
  return timeout ? since + (durationToMs(timeout.after) ?? 0) : null;
}

/** What the deadline answers for a person who did not. */
export function deadlineAnswer(request: PendingInput, timeout: HumanTimeoutSpec | undefined): HumanAnswer {
  const after = timeout ? formatDuration(durationToMs(timeout.after) ?? 0) : 'its deadline';
  const base = { requestId: request.requestId, by: 'deadline' };
  switch (timeout?.action) {
    case 'approve':
      return { ...base, action: 'approve' };
    case 'continue':
      return { ...base, action: request.kind === 'input' ? 'input' : 'request_changes', text: timeout.message };
    default:
      return { ...base, action: 'reject', text: `no answer within ${after}` };
  }
}
