import { carryOver, RunRecorder, runTeamLoop, type HumanAnswer, type PendingInput, type RunState } from '../../../src/core';
import { canMoveDuring, resumesWait } from '../../../src/core/moved-wait';
import { textMention, type TeamSpec } from '../../../src/spec';
import { FakeRuntime } from './fake-runtime';
import { startedRun } from './core-helpers';
import { humanTeam, pendingInput, transcript } from './human-helpers';

/** What continue-as-new does to the loop: it leaves in the middle of a wait, and only the state goes on. */
class Moved extends Error {}

/** Runs `team` to its end, moving to a new execution during the `moveAt`-th wait for a person. */
async function runMovingAt(team: TeamSpec, answers: HumanAnswer[], moveAt: number) {
  const first = startedRun(team, 'Write a haiku');
  const before = new FakeRuntime();
  let waits = 0;
  const script = [...answers];
  before.waitForHuman = async (request: PendingInput) => {
    waits += 1;
    if (waits === moveAt) {
      expect(canMoveDuring(request)).toBe(true);
      throw new Moved();
    }
    return { ...script.shift()!, requestId: request.requestId };
  };
  await expect(runTeamLoop(team, first.recorder, before)).rejects.toBeInstanceOf(Moved);
  const asked = first.state.pendingInput!;

  // The next execution begins from what continue-as-new carries, with the same clock.
  const carried: RunState = structuredClone(carryOver(first.state));
  const after = new FakeRuntime();
  after.humanAnswers = script.map((a) => (request: PendingInput) => ({ ...a, requestId: request.requestId }));
  const recorder = new RunRecorder(team, carried, first.clock.read, () => undefined);
  await expect(runTeamLoop(team, recorder, after)).resolves.toBe('finished');
  return { asked, resumed: after.humanRequests[0]!, state: carried, agents: [...before.agentRequests, ...after.agentRequests] };
}

/** The same run with no move, for comparison. */
async function runStaying(team: TeamSpec, answers: HumanAnswer[]) {
  const { state, recorder } = startedRun(team, 'Write a haiku');
  const runtime = new FakeRuntime();
  runtime.humanAnswers = answers.map((a) => (request: PendingInput) => ({ ...a, requestId: request.requestId }));
  await runTeamLoop(team, recorder, runtime);
  return state;
}

describe('a run that moves to another build while a person is asked', () => {
  it("takes up a person's turn where it was: the same request, the answer as that turn, then the next speaker", async () => {
    const team = humanTeam({ maxTurns: 4 });
    const answers: HumanAnswer[] = [{ requestId: '', action: 'input', text: 'Tighten the intro.' }];
    const moved = await runMovingAt(team, answers, 1);
    expect(moved.resumed).toEqual(moved.asked);
    expect(transcript(moved.state)).toEqual(transcript(await runStaying(team, answers)));
    expect(moved.agents.map((r) => r.agent.name)).toEqual(['writer', 'critic', 'writer']);
  });

  it('after a person whose answer trips the approval gate, asks for the approval as an unmoved run does', async () => {
    const team = humanTeam({ maxTurns: 4, approval: { when: textMention('READY'), beforeCompletion: false } });
    const answers: HumanAnswer[] = [
      { requestId: '', action: 'input', text: 'READY to ship.' },
      { requestId: '', action: 'approve' },
    ];
    const moved = await runMovingAt(team, answers, 1);
    const stayed = await runStaying(team, answers);
    expect(transcript(moved.state)).toEqual(transcript(stayed));
    const reasons = (state: RunState) => state.events.flatMap((e) => (e.type === 'input_requested' ? [e.request.reason] : []));
    expect(reasons(moved.state)).toEqual(reasons(stayed));
    expect(reasons(stayed)).toEqual(['human_turn', 'approval_gate']);
  });

  it('takes up the final approval and completes on the answer', async () => {
    const team = humanTeam({ maxTurns: 2, agents: [{ name: 'writer', description: 'Writes' }], approval: {} });
    const moved = await runMovingAt(team, [{ requestId: '', action: 'approve' }], 1);
    expect(moved.asked.reason).toBe('final_approval');
    expect(moved.resumed.requestId).toBe(moved.asked.requestId);
    expect(moved.state.status).toBe('completed');
  });

  it('does not leave during a wait inside a step, nor one passed on from a nested run', () => {
    expect(canMoveDuring(pendingInput({ reason: 'tool_approval' }))).toBe(false);
    expect(canMoveDuring(pendingInput({ reason: 'budget' }))).toBe(false);
    expect(canMoveDuring(pendingInput({ reason: 'remote_input' }))).toBe(false);
    expect(canMoveDuring(pendingInput({ reason: 'handoff', forward: { runId: 'inner', requestId: 'req-1' } }))).toBe(false);
    expect(canMoveDuring(pendingInput({ reason: 'handoff' }))).toBe(true);
    expect(canMoveDuring(null)).toBe(false);
    expect(canMoveDuring(undefined)).toBe(false);
    // Answered already: no move now, but an execution that carries it still takes it up (the answer came with its first step).
    expect(canMoveDuring(pendingInput({ answered: true }))).toBe(false);
    expect(resumesWait(pendingInput({ answered: true }))).toBe(true);
  });
});
