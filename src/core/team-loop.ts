import type { TeamSpec } from '../spec/team';
import type { SpeakerChoice } from './events';
import type { RunRecorder } from './recorder';
import { agentTurnRequest, type AgentTurnRequest, type ModelReply, type SelectSpeakerRequest } from './requests';
import { parseSelection, selectSpeakerRequest } from './selector-prompt';
import { agentNamed, fallbackSpeaker, nextRoundRobinSpeaker, selectorCandidates } from './speaker';
import { isTerminal } from './status';

/** A step the runtime cut short because the run must stop (see RunRecorder.tick). */
export const INTERRUPTED = Object.freeze({ interrupted: true as const });
export type Interrupted = typeof INTERRUPTED;

export function isInterrupted(value: object): value is Interrupted {
  return 'interrupted' in value && value.interrupted === true;
}

/**
 * Everything the team loop needs from the outside world. The durable workflow implements it
 * with activities and workflow time; runLocal with direct calls and the system clock.
 */
export interface TeamRuntime {
  agentTurn(request: AgentTurnRequest): Promise<ModelReply | Interrupted>;
  selectSpeaker(request: SelectSpeakerRequest): Promise<ModelReply | Interrupted>;
  /** Asked between turns; true leaves the loop so the caller can continue the run elsewhere. */
  shouldSuspend?(): boolean;
}

export type LoopOutcome = 'finished' | 'suspended';

/**
 * Runs turns until a termination condition holds (the run then completes) or the runtime asks to
 * suspend. Failures of agent turns propagate to the caller, which records them.
 */
export async function runTeamLoop(team: TeamSpec, run: RunRecorder, runtime: TeamRuntime): Promise<LoopOutcome> {
  const { state } = run;
  while (!isTerminal(state.status)) {
    if (state.stop) {
      run.complete();
      break;
    }
    if (runtime.shouldSuspend?.()) return 'suspended';
    run.markWorking();

    // Round robin chooses synchronously: no promise, no await (each costs a workflow activation time).
    const chosen = chooseSpeaker(team, run, runtime);
    const choice = 'then' in chosen ? await chosen : chosen;
    if (isInterrupted(choice)) {
      run.interruptTurn(null);
      continue;
    }
    run.startTurn(choice);
    const reply = await runtime.agentTurn(agentTurnRequest(team, state, agentNamed(team, choice.speaker)));
    if (isInterrupted(reply)) {
      run.interruptTurn(choice.speaker);
      continue;
    }
    run.recordReply(choice.speaker, reply);
  }
  return 'finished';
}

function chooseSpeaker(team: TeamSpec, run: RunRecorder, runtime: TeamRuntime): SpeakerChoice | Promise<SpeakerChoice | Interrupted> {
  const { state } = run;
  if (team.pattern === 'round_robin') {
    return { speaker: nextRoundRobinSpeaker(team, state.lastSpeaker).name, by: 'round_robin', attempts: 0 };
  }
  const candidates = selectorCandidates(team, state);
  if (candidates.length === 1) return { speaker: candidates[0]!, by: 'only_candidate', attempts: 0 };
  return selectWithModel(team, run, runtime, candidates);
}

async function selectWithModel(
  team: TeamSpec,
  run: RunRecorder,
  runtime: TeamRuntime,
  candidates: string[],
): Promise<SpeakerChoice | Interrupted> {
  const { state } = run;

  const allNames = team.agents.map((a) => a.name);
  const request = selectSpeakerRequest(team, state, candidates);
  const maxAttempts = team.selector?.maxAttempts ?? 3;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const reply = await runtime.selectSpeaker({ ...request, attempt, messages: [...request.messages] });
    if (isInterrupted(reply)) return INTERRUPTED;
    run.recordSelectorUsage(reply.usage);
    const parsed = parseSelection(reply.content, candidates, allNames);
    if ('speaker' in parsed) return { speaker: parsed.speaker, by: 'selector', attempts: attempt + 1 };
    // The next attempt sees its earlier answer and what was wrong with it.
    request.messages.push({ role: 'assistant', content: reply.content }, { role: 'user', content: parsed.feedback });
  }
  return { speaker: fallbackSpeaker(state, candidates), by: 'fallback', attempts: maxAttempts };
}
