import type { NestedTeamAgentSpec, RemoteAgentSpec } from '../spec/agent';
import { isHuman, isNestedTeam, isRemote } from '../spec/plain/agent-kinds';
import type { TeamSpec } from '../spec/team';
import { approvalGateAfterTurn, askPerson } from './ask-person';
import { resumeWait, resumesWait } from './moved-wait';
import { approvalDraft, handoffDraft, humanTurnDraft, needsFinalApproval, remoteQuestionDraft, type InputDraft } from './human-requests';
import type { ChatMessage } from './messages';
import { isNestedRejected } from './nested-outcome';
import type { SpeakerChoice } from './events';
import type { RunRecorder } from './recorder';
import { isRemoteWaiting, type ModelReply } from './activity-contract';
import { nestedTurnRequest, remoteTurnRequest } from './request-builders';
import { conversationRef } from './stored-messages';
import { parseSelection, selectSpeakerRequest } from './selector-prompt';
import { agentNamed, fallbackSpeaker, nextRoundRobinSpeaker, selectorCandidates } from './speaker';
import { isTerminal } from './status';
import { INTERRUPTED, isInterrupted, type Interrupted, type TeamRuntime } from './team-runtime';
import { llmTurn } from './tool-loop';

export { INTERRUPTED, isInterrupted, type Interrupted, type TeamRuntime } from './team-runtime';

export type LoopOutcome = 'finished' | 'suspended';

/**
 * Runs turns until a termination condition holds (the run then completes, after a person's
 * approval if the team wants one), a person rejects it, or the runtime asks to suspend.
 * Failures of agent turns propagate to the caller, which records them.
 */
export async function runTeamLoop(team: TeamSpec, run: RunRecorder, runtime: TeamRuntime): Promise<LoopOutcome> {
  const { state } = run;
  // A run that moved to another build while it waited for a person takes that wait up again first.
  if (resumesWait(state.pendingInput)) await resumeWait(team, run, runtime);
  while (!isTerminal(state.status)) {
    if (state.stop) {
      if (needsFinalApproval(team, state)) await askPerson(run, runtime, approvalDraft(team, state, 'final_approval', state.stop));
      else run.complete();
      continue;
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
    const agent = agentNamed(team, choice.speaker);
    if (isHuman(agent)) {
      if ((await askPerson(run, runtime, humanTurnDraft(agent))) === 'interrupted') {
        run.interruptTurn(agent.name);
        continue;
      }
      // In a swarm, a person handed the word gives it back to the agent that handed it over.
      if (state.swarm?.returnTo) state.swarm = { speaker: state.swarm.returnTo, returnTo: null };
    } else {
      const reply = isRemote(agent)
        ? await remoteTurn(run, runtime, agent)
        : isNestedTeam(agent)
          ? await nestedTurn(run, runtime, agent)
          : await llmTurn(team, run, runtime, agent);
      if (isInterrupted(reply)) {
        run.interruptTurn(choice.speaker);
        continue;
      }
      const message = run.recordReply(choice.speaker, reply);
      if (reply.handoff) followHandoff(team, run, choice.speaker, reply.handoff);
      const handoff = state.stop ? null : (swarmQuestion(team, message) ?? handoffDraft(team, message));
      if (handoff && (await askPerson(run, runtime, handoff)) === 'interrupted') continue;
    }
    const gate = approvalGateAfterTurn(team, run);
    if (gate) await askPerson(run, runtime, gate);
  }
  return 'finished';
}

/**
 * A remote agent's turn. When its remote task asks a question, the run asks a person (the
 * question becomes the prompt), sends the answer to that same task, and goes on following it.
 */
async function remoteTurn(run: RunRecorder, runtime: TeamRuntime, agent: RemoteAgentSpec): Promise<ModelReply | Interrupted> {
  const call = runtime.remoteTurn;
  if (!call) throw new Error(`agent "${agent.name}" is a remote A2A agent, which only a durable run (a worker) can call`);
  const base = remoteTurnRequest(run.state, agent);
  let request = base;
  for (let asked = 1; ; asked += 1) {
    const reply = await call(request);
    if (isInterrupted(reply) || !isRemoteWaiting(reply)) return reply;
    if ((await askPerson(run, runtime, remoteQuestionDraft(agent.name, reply))) === 'interrupted') return INTERRUPTED;
    if (isTerminal(run.state.status)) return INTERRUPTED; // the person rejected the run
    const text = run.state.messages.at(-1)?.content ?? '';
    request = {
      ...base,
      answer: { taskId: reply.taskId, text, questionId: reply.questionId, messageId: `${base.messageId}/answer-${asked}` },
    };
  }
}

/**
 * A swarm's handoff: the target speaks next. A person agent gets the word and then gives it back;
 * "user" is asked at once (see swarmQuestion) and the agent that asked goes on.
 */
function followHandoff(team: TeamSpec, run: RunRecorder, from: string, target: string): void {
  if (team.pattern !== 'swarm') return;
  if (target === 'user') run.state.swarm = { speaker: from, returnTo: null };
  else {
    const to = agentNamed(team, target);
    run.state.swarm = { speaker: target, returnTo: isHuman(to) ? from : null };
  }
}

/** A swarm agent's transfer_to_user: the run asks the user (its message is the question) and goes on. */
function swarmQuestion(team: TeamSpec, message: ChatMessage): InputDraft | null {
  if (team.pattern !== 'swarm' || message.handoff?.target !== 'user') return null;
  return { kind: 'input', reason: 'handoff', from: message.source, to: 'user', prompt: message.content, timeout: team.handoff?.timeout };
}

/**
 * A nested team's turn. Its questions to people are shown on this run while it works (the
 * runtime passes them on); a person's rejection of the inner run rejects this one too.
 */
async function nestedTurn(run: RunRecorder, runtime: TeamRuntime, agent: NestedTeamAgentSpec): Promise<ModelReply | Interrupted> {
  if (!runtime.nestedTurn) throw new Error(`agent "${agent.name}" is a nested team, which this runtime cannot run`);
  const reply = await runtime.nestedTurn(nestedTurnRequest(run.state, agent));
  if (!isNestedRejected(reply)) return reply;
  run.rejectWithNested(agent.name, reply.rejected);
  return INTERRUPTED;
}

function chooseSpeaker(team: TeamSpec, run: RunRecorder, runtime: TeamRuntime): SpeakerChoice | Promise<SpeakerChoice | Interrupted> {
  const { state } = run;
  if (team.pattern === 'swarm') {
    return { speaker: state.swarm?.speaker ?? team.agents[0]!.name, by: 'swarm', attempts: 0 };
  }
  if (team.pattern === 'round_robin') {
    return { speaker: nextRoundRobinSpeaker(team, state.lastSpeaker).name, by: 'round_robin', attempts: 0 };
  }
  if (team.selector?.function || team.selector?.candidateFilter) return selectWithFunctions(team, run, runtime);
  const candidates = selectorCandidates(team, state);
  if (candidates.length === 1) return { speaker: candidates[0]!, by: 'only_candidate', attempts: 0 };
  return selectWithModel(team, run, runtime, candidates);
}

/** The worker's selector function chooses, or its candidate filter narrows the model's choice. */
async function selectWithFunctions(team: TeamSpec, run: RunRecorder, runtime: TeamRuntime): Promise<SpeakerChoice | Interrupted> {
  const { state } = run;
  if (!runtime.customSelection)
    throw new Error(`team "${team.name}" names a selector function or candidate filter, which only a worker can run`);
  const answer = await runtime.customSelection({
    v: 1,
    runId: state.runId,
    turn: state.turn,
    function: team.selector?.function ?? null,
    candidateFilter: team.selector?.candidateFilter ?? null,
    agents: team.agents.map((a) => ({ name: a.name, description: a.description })),
    lastSpeaker: state.lastSpeaker,
    conversation: conversationRef(state),
  });
  if (isInterrupted(answer)) return answer;
  if (answer.speaker) return { speaker: answer.speaker, by: 'function', attempts: 0 };
  const candidates = answer.candidates ?? selectorCandidates(team, state);
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
