import { INTERRUPTED, runTeamLoop } from '../../../src/core';
import { allOf, anyOf, maxMessages, textMention, type ApprovalSpec, type TeamSpec } from '../../../src/spec';
import { FakeRuntime } from './fake-runtime';
import { reply, roundRobinTeam, startedRun, types, viewOf } from './core-helpers';
import { transcript } from './human-helpers';

/** writer, critic, editor; the critic says APPROVED, which stops the run; a person approves. */
function approvedTeam(approval: ApprovalSpec = {}, overrides: Partial<TeamSpec> = {}): TeamSpec {
  return roundRobinTeam({ termination: textMention('APPROVED', { sources: ['critic'] }), approval, ...overrides });
}

/** Agents answer "<name>: turn <n>", the critic "APPROVED"; people answer from `answers`. */
async function run(team: TeamSpec, answers: FakeRuntime['humanAnswers'], agentReply?: (name: string, turn: number) => string) {
  const started = startedRun(team, 'Write a haiku');
  const runtime = new FakeRuntime([], (req) =>
    reply(agentReply?.(req.agent.name, req.turn) ?? (req.agent.name === 'critic' ? 'APPROVED' : `${req.agent.name}: turn ${req.turn}`)),
  );
  runtime.humanAnswers = answers;
  await expect(runTeamLoop(team, started.recorder, runtime)).resolves.toBe('finished');
  expect(runtime.humanAnswers).toEqual([]);
  return { ...started, runtime };
}

describe('runTeamLoop: approval before completion', () => {
  it('asks once the run stops; approve completes it with the stop reason', async () => {
    const { state, runtime } = await run(approvedTeam(), [{ action: 'approve', text: 'ship it' }]);
    expect(runtime.humanRequests).toEqual([
      expect.objectContaining({
        requestId: 'req-1',
        kind: 'approval',
        reason: 'final_approval',
        prompt: 'The run is about to complete ("APPROVED" mentioned by critic). Last message, from critic: APPROVED',
      }),
    ]);
    expect(state).toMatchObject({ status: 'completed', turn: 2, stop: { reason: '"APPROVED" mentioned by critic' } });
    expect(transcript(state).at(-1)).toEqual(['user', 'ship it', null]);
    expect(state.events.at(-1)).toMatchObject({
      type: 'run_finished',
      status: 'completed',
      stop: { reason: '"APPROVED" mentioned by critic' },
    });
  });

  it('reject ends the run rejected', async () => {
    const { state } = await run(approvedTeam(), [{ action: 'reject', text: 'off brand', by: 'bob' }]);
    expect(state).toMatchObject({ status: 'rejected', rejection: { reason: 'off brand', by: 'bob' }, pendingInput: null });
    expect(state.events.at(-1)).toMatchObject({ type: 'run_finished', status: 'rejected', rejection: { reason: 'off brand', by: 'bob' } });
  });

  it('request_changes sends the team another round, then approve completes', async () => {
    const { state, runtime } = await run(approvedTeam(), [{ action: 'request_changes', text: 'Add a title.' }, { action: 'approve' }]);
    expect(transcript(state)).toEqual([
      ['writer', 'writer: turn 0', 0],
      ['critic', 'APPROVED', 1],
      ['user', 'Add a title.', null],
      ['editor', 'editor: turn 2', 2],
      ['writer', 'writer: turn 3', 3],
      ['critic', 'APPROVED', 4],
    ]);
    expect(runtime.humanRequests.map((r) => [r.requestId, r.reason])).toEqual([
      ['req-1', 'final_approval'],
      ['req-2', 'final_approval'],
    ]);
    expect(viewOf(runtime.agentRequests[2]!).at(-1)).toEqual({ source: 'user', content: 'Add a title.' });
    expect(state.status).toBe('completed');
  });

  it('asks when maxTurns stops the run too', async () => {
    const { runtime, state } = await run(roundRobinTeam({ maxTurns: 2, approval: {} }), [{ action: 'approve' }]);
    expect(runtime.humanRequests[0]!.prompt).toContain('(maximum of 2 turns reached)');
    expect(state.status).toBe('completed');
  });

  it('does not ask for a stop a person requested', async () => {
    const team = approvedTeam({}, { termination: maxMessages(50) });
    const started = startedRun(team);
    const runtime = new FakeRuntime([], (req) => {
      if (req.turn === 1) started.recorder.requestStop('enough');
      return reply('draft');
    });
    await runTeamLoop(team, started.recorder, runtime);
    expect(runtime.humanRequests).toEqual([]);
    expect(started.state).toMatchObject({ status: 'completed', turn: 2, stop: { conditions: ['external'] } });
  });

  it('does not ask with beforeCompletion: false', async () => {
    const { runtime, state } = await run(approvedTeam({ beforeCompletion: false, when: textMention('NEVER SAID') }), []);
    expect(runtime.humanRequests).toEqual([]);
    expect(state.status).toBe('completed');
  });

  it('a stop request during the final approval ends the wait; the run completes, stopped on request', async () => {
    const team = approvedTeam();
    const started = startedRun(team);
    const runtime = new FakeRuntime([], (req) => reply(req.agent.name === 'critic' ? 'APPROVED' : 'draft'));
    runtime.humanAnswers = [
      () => {
        started.recorder.requestStop('ship as is');
        started.recorder.checkStopRequest();
        expect(started.recorder.mustStopWaiting()).toBe(true);
        return INTERRUPTED;
      },
    ];
    await runTeamLoop(team, started.recorder, runtime);
    expect(types(started.state.events).slice(-4)).toEqual(['input_requested', 'input_withdrawn', 'status_changed', 'run_finished']);
    expect(started.state).toMatchObject({ status: 'completed', pendingInput: null, stop: { reason: 'stopped on request: ship as is' } });
  });
});

describe('runTeamLoop: approval deadlines', () => {
  it('approve: the deadline approves and the run completes', async () => {
    const { state, runtime } = await run(approvedTeam({ timeout: { after: '2d', action: 'approve' } }), ['timeout']);
    expect(runtime.humanRequests[0]!.deadline).toBe(runtime.humanRequests[0]!.since + 2 * 86_400_000);
    expect(state.events.find((e) => e.type === 'input_received')).toMatchObject({ action: 'approve', by: 'deadline', timedOut: true });
    expect(state.status).toBe('completed');
  });

  it('reject: the run ends rejected, saying how long it waited', async () => {
    const { state } = await run(approvedTeam({ timeout: { after: '2d', action: 'reject' } }), ['timeout']);
    expect(state).toMatchObject({ status: 'rejected', rejection: { reason: 'no answer within 2d', by: 'deadline' } });
  });

  it('continue: the message goes to the team as requested changes, and the team goes on', async () => {
    const team = approvedTeam({ timeout: { after: '1h', action: 'continue', message: 'Keep going.' } });
    const { state, runtime } = await run(team, ['timeout', { action: 'approve' }]);
    expect(state.events.find((e) => e.type === 'input_received')).toMatchObject({ action: 'request_changes', by: 'deadline' });
    expect(transcript(state)[2]).toEqual(['user', 'Keep going.', null]);
    expect(runtime.humanRequests).toHaveLength(2);
    expect(state.status).toBe('completed');
  });
});

describe('runTeamLoop: an approval gate (`when`) mid-run', () => {
  const plan = (name: string, turn: number) => (name === 'writer' && turn === 0 ? 'PLAN READY: outline' : `${name}: turn ${turn}`);
  const gated = (when = textMention('PLAN READY', { sources: ['writer'] })) =>
    roundRobinTeam({ maxTurns: 4, approval: { beforeCompletion: false, when } });

  it('asks right after the turn that meets it; approve lets the team go on', async () => {
    const { state, runtime } = await run(gated(), [{ action: 'approve' }], plan);
    expect(runtime.humanRequests).toEqual([
      expect.objectContaining({
        kind: 'approval',
        reason: 'approval_gate',
        prompt: 'Approval needed: "PLAN READY" mentioned by writer. Last message, from writer: PLAN READY: outline',
      }),
    ]);
    const asked = state.events.findIndex((e) => e.type === 'input_requested');
    expect(state.events[asked - 2]).toMatchObject({ type: 'message', message: { source: 'writer' } });
    expect(state.events[asked + 3]).toMatchObject({ type: 'turn_started', speaker: 'critic' });
    expect(state).toMatchObject({ status: 'completed', turn: 4 });
  });

  it('request_changes adds the comment and the team goes on from the next speaker', async () => {
    const { state } = await run(gated(), [{ action: 'request_changes', text: 'Shorter plan.' }], plan);
    expect(transcript(state).slice(0, 3)).toEqual([
      ['writer', 'PLAN READY: outline', 0],
      ['user', 'Shorter plan.', null],
      ['critic', 'critic: turn 1', 1],
    ]);
    expect(state.status).toBe('completed');
  });

  it('reject ends the run at the gate, with no further turn', async () => {
    const { state, runtime } = await run(gated(), [{ action: 'reject', text: 'bad plan' }], plan);
    expect(runtime.agentRequests).toHaveLength(1);
    expect(state).toMatchObject({ status: 'rejected', rejection: { reason: 'bad plan', by: null } });
  });

  it('an all gate asks once both parts have held, and not after every later turn', async () => {
    const team = gated(allOf(textMention('PLAN READY', { sources: ['writer'] }), anyOf(textMention('TESTS'), maxMessages(50))));
    const says = (name: string, turn: number) => (turn === 0 ? 'PLAN READY' : turn === 1 ? 'TESTS written' : `${name}: turn ${turn}`);
    const { runtime, state } = await run(team, [{ action: 'approve' }], says);
    expect(runtime.humanRequests).toHaveLength(1);
    expect(runtime.humanRequests[0]!.prompt).toContain('"PLAN READY" mentioned by writer; "TESTS" mentioned by critic');
    expect(state.turn).toBe(4);
  });

  it('and the final approval both, when the team wants them', async () => {
    const team = approvedTeam({ when: textMention('PLAN READY') });
    const { runtime } = await run(team, [{ action: 'approve' }, { action: 'approve' }], (name, turn) =>
      name === 'critic' ? 'APPROVED' : plan(name, turn),
    );
    expect(runtime.humanRequests.map((r) => r.reason)).toEqual(['approval_gate', 'final_approval']);
  });
});
