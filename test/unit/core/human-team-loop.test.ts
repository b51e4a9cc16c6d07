import { INTERRUPTED, runTeamLoop } from '../../../src/core';
import { anyOf, maxMessages, stopMessage, timeout, type TeamSpec } from '../../../src/spec';
import { FakeRuntime } from './fake-runtime';
import { reply, roundRobinTeam, selectorPromptOf, selectorTeam, startedRun, types, viewOf } from './core-helpers';
import { humanTeam, transcript } from './human-helpers';

async function run(team: TeamSpec, answers: FakeRuntime['humanAnswers'], runtime = new FakeRuntime()) {
  const started = startedRun(team, 'Write a haiku');
  runtime.humanAnswers = answers;
  await expect(runTeamLoop(team, started.recorder, runtime)).resolves.toBe('finished');
  expect(runtime.humanAnswers).toEqual([]); // every scripted answer was asked for
  return { ...started, runtime };
}

describe('runTeamLoop: a person in a round robin', () => {
  it('asks the person on their turn, records the answer as their turn, and goes on in order', async () => {
    const { state, runtime } = await run(humanTeam({ maxTurns: 4 }), [{ action: 'input', text: 'Tighten the intro.' }]);
    expect(transcript(state)).toEqual([
      ['writer', 'writer: turn 0', 0],
      ['editor', 'Tighten the intro.', 1],
      ['critic', 'critic: turn 2', 2],
      ['writer', 'writer: turn 3', 3],
    ]);
    expect(runtime.humanRequests).toEqual([
      expect.objectContaining({ requestId: 'req-1', kind: 'input', reason: 'human_turn', from: 'team', to: 'editor', deadline: null }),
    ]);
    expect(runtime.agentRequests.map((r) => r.agent.name)).toEqual(['writer', 'critic', 'writer']);
    expect(viewOf(runtime.agentRequests[1]!).at(-1)).toEqual({ source: 'editor', content: 'Tighten the intro.' });
    expect(state.status).toBe('completed');
  });

  it('records the wait between turn_started and the message, and is working again after', async () => {
    const { state } = await run(humanTeam({ maxTurns: 2 }), [{ action: 'input', text: 'ok' }]);
    const fromEditor = state.events.findIndex((e) => e.type === 'turn_started' && e.speaker === 'editor');
    expect(types(state.events.slice(fromEditor))).toEqual([
      'turn_started',
      'status_changed',
      'input_requested',
      'input_received',
      'message',
      'status_changed',
      'status_changed',
      'run_finished',
    ]);
    expect(
      state.events
        .slice(fromEditor)
        .filter((e) => e.type === 'status_changed')
        .map((e) => e.status),
    ).toEqual(['input-required', 'working', 'completed']);
  });

  it('runs a team of people only, with no model call', async () => {
    const people = roundRobinTeam({
      agents: [
        { name: 'alice', kind: 'human', description: 'Writes', prompt: 'Alice, write.' },
        { name: 'bob', kind: 'human', description: 'Reviews' },
      ],
      maxTurns: 3,
    });
    const { state, runtime } = await run(people, [
      { action: 'input', text: 'a1' },
      { action: 'input', text: 'b1' },
      { action: 'input', text: 'a2' },
    ]);
    expect(runtime.agentRequests).toEqual([]);
    expect(runtime.humanRequests.map((r) => [r.to, r.prompt])).toEqual([
      ['alice', 'Alice, write.'],
      ['bob', 'bob, it is your turn: reply to the team.'],
      ['alice', 'Alice, write.'],
    ]);
    expect(transcript(state).map(([source]) => source)).toEqual(['alice', 'bob', 'alice']);
  });

  it('a person who rejects on their turn ends the run rejected, with no further turn', async () => {
    const { state, runtime } = await run(humanTeam(), [{ action: 'reject', text: 'wrong topic', by: 'ann' }]);
    expect(state).toMatchObject({ status: 'rejected', rejection: { reason: 'wrong topic', by: 'ann' } });
    expect(runtime.agentRequests).toHaveLength(1);
  });
});

describe('runTeamLoop: the selector chooses a person', () => {
  it('asks the chosen person, then selects among the others with their answer in the history', async () => {
    const team = selectorTeam({
      agents: [
        { name: 'planner', description: 'Plans the work' },
        { name: 'owner', kind: 'human', description: 'The product owner' },
        { name: 'coder', description: 'Writes the code' },
      ],
      maxTurns: 2,
    });
    const { state, runtime } = await run(team, [{ action: 'input', text: 'Use Rust.' }], new FakeRuntime(['owner', 'coder']));
    expect(selectorPromptOf(runtime.selectRequests[0]!)[0]!.content).toContain('owner: The product owner');
    expect(runtime.humanRequests[0]).toMatchObject({ reason: 'human_turn', to: 'owner' });
    expect(selectorPromptOf(runtime.selectRequests[1]!)[0]!.content).toContain('owner: Use Rust.');
    expect(selectorPromptOf(runtime.selectRequests[1]!)[0]!.content).toContain('[planner, coder]');
    expect(transcript(state)).toEqual([
      ['owner', 'Use Rust.', 0],
      ['coder', 'coder: turn 1', 1],
    ]);
  });
});

/** The writer hands off on the first turn; the others answer as usual. */
const writerAsks = () =>
  new FakeRuntime([], (req) => reply(req.turn === 0 ? 'Which tone? ASK_HUMAN' : `${req.agent.name}: turn ${req.turn}`));

describe('runTeamLoop: handoff', () => {
  it('asks "user" with the question, records the reply, and the agent after the one who asked speaks next', async () => {
    const team = roundRobinTeam({ handoff: { phrase: 'ASK_HUMAN' }, maxTurns: 3 });
    const { state, runtime } = await run(team, [{ action: 'input', text: 'Playful.' }], writerAsks());
    expect(runtime.humanRequests).toEqual([
      expect.objectContaining({ requestId: 'req-1', reason: 'handoff', from: 'writer', to: 'user', prompt: 'Which tone?' }),
    ]);
    expect(transcript(state)).toEqual([
      ['writer', 'Which tone? ASK_HUMAN', 0],
      ['user', 'Playful.', null],
      ['critic', 'critic: turn 1', 1],
      ['editor', 'editor: turn 2', 2],
    ]);
    expect(viewOf(runtime.agentRequests[1]!).at(-1)).toEqual({ source: 'user', content: 'Playful.' });
  });

  it('hands over to the human agent named in `to`, whose reply is not their turn', async () => {
    const team = humanTeam({ handoff: { phrase: 'ASK_HUMAN', to: 'editor' }, maxTurns: 2 });
    const runtime = new FakeRuntime([], (req) => reply(req.turn === 0 ? 'Help? ASK_HUMAN' : 'fine'));
    const { state } = await run(
      team,
      [
        { action: 'input', text: 'Here.' },
        { action: 'input', text: 'My turn.' },
      ],
      runtime,
    );
    expect(runtime.humanRequests.map((r) => [r.reason, r.to])).toEqual([
      ['handoff', 'editor'],
      ['human_turn', 'editor'],
    ]);
    expect(transcript(state)).toEqual([
      ['writer', 'Help? ASK_HUMAN', 0],
      ['editor', 'Here.', null],
      ['editor', 'My turn.', 1],
    ]);
  });

  it('does not hand off from a reply that stops the run', async () => {
    const team = roundRobinTeam({ handoff: { phrase: 'ASK_HUMAN' }, termination: stopMessage() });
    const runtime = new FakeRuntime([], (req) => reply(req.agent.name === 'critic' ? 'ASK_HUMAN TERMINATE' : 'draft'));
    const { state } = await run(team, [], runtime);
    expect(runtime.humanRequests).toEqual([]);
    expect(state.stop?.reason).toBe('stop message from critic');
  });
});

describe('runTeamLoop: a person who does not answer in time', () => {
  it("continue on a human turn: the timeout's message is their turn, by the deadline", async () => {
    const team = humanTeam({ maxTurns: 3 }, { timeout: { after: '1h', action: 'continue', message: 'No comments.' } });
    const { state, runtime } = await run(team, ['timeout']);
    const [request] = runtime.humanRequests;
    expect(request!.deadline).toBe(request!.since + 3_600_000);
    expect(transcript(state)[1]).toEqual(['editor', 'No comments.', 1]);
    expect(state.events.find((e) => e.type === 'input_received')).toMatchObject({ action: 'input', by: 'deadline', timedOut: true });
    expect(state.status).toBe('completed');
  });

  it('reject on a handoff: the run ends rejected, saying how long it waited', async () => {
    const team = roundRobinTeam({ handoff: { phrase: 'ASK_HUMAN', timeout: { after: '30m', action: 'reject' } } });
    const { state } = await run(team, ['timeout'], writerAsks());
    expect(state).toMatchObject({ status: 'rejected', rejection: { reason: 'no answer within 30m', by: 'deadline' } });
  });
});

describe('runTeamLoop: the run must stop while a person is asked', () => {
  it('a stop request withdraws the request and completes the run with the stop', async () => {
    const team = humanTeam({ termination: maxMessages(50), approval: {} });
    const started = startedRun(team);
    const runtime = new FakeRuntime();
    runtime.humanAnswers = [
      () => {
        started.recorder.requestStop('enough');
        started.recorder.checkStopRequest();
        return INTERRUPTED;
      },
    ];
    await runTeamLoop(team, started.recorder, runtime);
    const { state } = started;
    expect(state.events.find((e) => e.type === 'input_withdrawn')).toMatchObject({
      requestId: 'req-1',
      reason: 'stopped on request: enough',
    });
    expect(state).toMatchObject({ status: 'completed', pendingInput: null, turn: 1, stop: { conditions: ['external'] } });
    expect(runtime.humanRequests).toHaveLength(1); // a stop a person asked for needs no approval
    expect(types(state.events)).not.toContain('input_received');
  });

  it('a timeout condition that fires during the wait ends the run with its reason', async () => {
    const team = humanTeam({ termination: anyOf(timeout('1h'), maxMessages(50)) });
    const started = startedRun(team);
    const runtime = new FakeRuntime();
    runtime.humanAnswers = [
      () => {
        started.clock.advance(3_600_000);
        expect(started.recorder.tick()).toBe(true);
        return INTERRUPTED;
      },
    ];
    await runTeamLoop(team, started.recorder, runtime);
    expect(started.state.events.find((e) => e.type === 'input_withdrawn')).toMatchObject({ reason: 'timeout of 1h reached' });
    expect(started.state).toMatchObject({ status: 'completed', stop: { reason: 'timeout of 1h reached' } });
    expect(transcript(started.state).map(([source]) => source)).toEqual(['writer']);
  });
});
