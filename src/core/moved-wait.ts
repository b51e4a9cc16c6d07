import { isHuman } from '../spec/plain/agent-kinds';
import type { HumanTimeoutSpec } from '../spec/human';
import type { TeamSpec } from '../spec/team';
import { approvalGateAfterTurn, askPerson, awaitAnswer } from './ask-person';
import type { InputReason, PendingInput } from './human';
import type { RunRecorder } from './recorder';
import type { TeamRuntime } from './team-runtime';

/**
 * The waits a run may leave for another execution (and so another build) and take up again there:
 * those between turns, whose request and what follows its answer the run's state says in full.
 * A wait inside a step (a tool's approval, a remote or nested run's question, a budget's) holds
 * its build until it is answered; the run moves at the next turn boundary instead.
 */
const MOVABLE: ReadonlySet<InputReason> = new Set<InputReason>(['human_turn', 'handoff', 'approval_gate', 'final_approval']);

export function canMoveDuring(pending: PendingInput | null | undefined): pending is PendingInput {
  return resumesWait(pending) && !pending.answered;
}

/**
 * Does the run begin by taking up a wait? Only an execution a run moved to carries an open request
 * (every other continue-as-new happens between turns, with none): answered already, when the
 * answer came with the run's first step.
 */
export function resumesWait(pending: PendingInput | null | undefined): pending is PendingInput {
  // Undefined in the state a run carried from before people could be asked.
  return pending != null && MOVABLE.has(pending.reason) && !pending.forward;
}

/**
 * A run that moved while it waited takes up that same wait first (same request, same deadline),
 * then does what the team loop does after such an answer, and goes on with the next turn.
 */
export async function resumeWait(team: TeamSpec, run: RunRecorder, runtime: Pick<TeamRuntime, 'waitForHuman'>): Promise<void> {
  const pending = run.state.pendingInput;
  if (!resumesWait(pending)) return;
  const answer = await awaitAnswer(run, runtime, pending, timeoutOf(team, pending));
  if (pending.reason === 'human_turn') {
    if (answer === 'interrupted') {
      run.interruptTurn(pending.to);
      return;
    }
    const { state } = run;
    if (state.swarm?.returnTo) state.swarm = { speaker: state.swarm.returnTo, returnTo: null };
  }
  if (answer === 'interrupted') return;
  const gate = pending.reason === 'human_turn' || pending.reason === 'handoff' ? approvalGateAfterTurn(team, run) : null;
  if (gate) await askPerson(run, runtime, gate);
}

/** The spec the request's deadline came from, as the draft that made it had it. */
function timeoutOf(team: TeamSpec, pending: PendingInput): HumanTimeoutSpec | undefined {
  switch (pending.reason) {
    case 'human_turn': {
      const agent = team.agents.find((a) => a.name === pending.to);
      return agent && isHuman(agent) ? agent.timeout : undefined;
    }
    case 'handoff':
      return team.handoff?.timeout;
    default:
      return team.approval?.timeout;
  }
}
