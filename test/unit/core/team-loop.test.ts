import { carryOver, INTERRUPTED, RunRecorder, runTeamLoop, type RunEvent } from '../../../src/core';
import { anyOf, maxMessages, stopMessage, timeout } from '../../../src/spec';
import { FakeRuntime } from './fake-runtime';
import { reply, roundRobinTeam, startedRun, types, viewOf } from './core-helpers';

const speakers = (state: { messages: { source: string }[] }) => state.messages.slice(1).map((m) => m.source);

describe('runTeamLoop, round robin', () => {
  it('lets agents speak in the listed order until maxTurns, then completes', async () => {
    const run = startedRun(roundRobinTeam({ maxTurns: 5 }), 'Write a haiku');
    const runtime = new FakeRuntime();
    await expect(runTeamLoop(roundRobinTeam({ maxTurns: 5 }), run.recorder, runtime)).resolves.toBe('finished');
    expect(speakers(run.state)).toEqual(['writer', 'critic', 'editor', 'writer', 'critic']);
    expect(run.state.status).toBe('completed');
    expect(run.state.events.at(-1)).toMatchObject({
      type: 'run_finished',
      status: 'completed',
      stop: { reason: 'maximum of 5 turns reached', conditions: ['max_turns'] },
    });
    const started = run.state.events.filter((e) => e.type === 'turn_started');
    expect(started.map((e) => e.choice)).toEqual(
      ['writer', 'critic', 'editor', 'writer', 'critic'].map((speaker) => ({ speaker, by: 'round_robin', attempts: 0 })),
    );
  });

  it("hands each agent the conversation so far and its settings over the team's", async () => {
    const team = roundRobinTeam({ maxTurns: 3 });
    const run = startedRun(team, 'Write a haiku');
    const runtime = new FakeRuntime();
    await runTeamLoop(team, run.recorder, runtime);
    const [first, second, third] = runtime.agentRequests;
    expect(first).toEqual({
      v: 1,
      runId: 'run-1',
      turn: 0,
      agent: {
        name: 'writer',
        description: 'Writes the draft',
        systemMessage: null,
        settings: { model: 'gpt-4o-mini', temperature: 0.9 },
      },
      // The conversation is read from the store; the fake runtime stores nothing, so all of it rides along.
      conversation: { runId: 'run-1', count: 1, unstored: [run.state.messages[0]] },
    });
    expect(viewOf(first!)).toEqual([{ source: 'user', content: 'Write a haiku' }]);
    expect(second!.conversation).toMatchObject({ count: 2 });
    expect(viewOf(second!)).toEqual([
      { source: 'user', content: 'Write a haiku' },
      { source: 'writer', content: 'writer: turn 0' },
    ]);
    expect(third!.agent.settings).toEqual({ model: 'gpt-4o', temperature: 0.2 });
  });

  it('ends on a stop message before maxTurns', async () => {
    const team = roundRobinTeam({ termination: stopMessage() });
    const run = startedRun(team, 'task');
    const runtime = new FakeRuntime([], (req) => reply(req.agent.name === 'critic' ? 'Fine. TERMINATE' : 'draft'));
    await runTeamLoop(team, run.recorder, runtime);
    expect(speakers(run.state)).toEqual(['writer', 'critic']);
    expect(run.state.stop?.reason).toBe('stop message from critic');
  });

  it('runs no turn when the task alone ends the run', async () => {
    const team = roundRobinTeam({ termination: maxMessages(1) });
    const run = startedRun(team, 'task');
    const runtime = new FakeRuntime();
    await runTeamLoop(team, run.recorder, runtime);
    expect(runtime.agentRequests).toHaveLength(0);
    expect(types(run.state.events)).toEqual(['run_started', 'status_changed', 'run_finished']);
    expect(run.state.status).toBe('completed');
  });
});

describe('runTeamLoop: interruption', () => {
  it('an agent turn cut short by a timeout ends the run completed, with turn_interrupted', async () => {
    const team = roundRobinTeam({ termination: anyOf(timeout('1m'), maxMessages(50)) });
    const run = startedRun(team, 'task');
    const runtime = new FakeRuntime([], (req) => {
      if (req.turn < 1) return reply('draft');
      run.clock.advance(60_000); // the timer fires while the turn is in flight
      expect(run.recorder.tick()).toBe(true);
      return INTERRUPTED;
    });
    await expect(runTeamLoop(team, run.recorder, runtime)).resolves.toBe('finished');
    expect(speakers(run.state)).toEqual(['writer']);
    expect(run.state.status).toBe('completed');
    expect(types(run.state.events).slice(-4)).toEqual(['turn_started', 'turn_interrupted', 'status_changed', 'run_finished']);
    expect(run.state.events.find((e) => e.type === 'turn_interrupted')).toMatchObject({
      turn: 1,
      speaker: 'critic',
      reason: 'timeout of 1m reached',
    });
    expect(run.state.events.at(-1)).toMatchObject({ stop: { reason: 'timeout of 1m reached', conditions: ['timeout'] } });
  });
});

describe('runTeamLoop: suspending and resuming', () => {
  const team = roundRobinTeam({ maxTurns: 5 });

  async function uninterrupted() {
    const run = startedRun(team, 'Write a haiku');
    await runTeamLoop(team, run.recorder, new FakeRuntime());
    return run.state;
  }

  it('returns suspended when asked between turns, and a second call continues to the same end', async () => {
    const run = startedRun(team, 'Write a haiku');
    const runtime = new FakeRuntime();
    runtime.shouldSuspend = () => run.state.turn === 2;
    await expect(runTeamLoop(team, run.recorder, runtime)).resolves.toBe('suspended');
    expect(run.state.status).toBe('working');
    expect(speakers(run.state)).toEqual(['writer', 'critic']);

    const again = new RunRecorder(team, run.state, run.clock.read);
    await expect(runTeamLoop(team, again, new FakeRuntime())).resolves.toBe('finished');
    const expected = await uninterrupted();
    expect(run.state.messages).toEqual(expected.messages);
    expect(run.state.events).toEqual(expected.events);
    expect(run.state.status).toBe('completed');
  });

  it('continues from a carried-over state that went through JSON, as continue-as-new does', async () => {
    const run = startedRun(team, 'Write a haiku');
    const runtime = new FakeRuntime();
    runtime.shouldSuspend = () => run.state.turn === 3;
    await runTeamLoop(team, run.recorder, runtime);

    const carried = JSON.parse(JSON.stringify(carryOver(run.state)));
    const events: RunEvent[] = [];
    await runTeamLoop(team, new RunRecorder(team, carried, run.clock.read, (e) => events.push(e)), new FakeRuntime());
    const expected = await uninterrupted();
    expect(carried.messages).toEqual(expected.messages);
    expect(carried.continuedAsNew).toBe(1);
    expect(events[0]!.seq).toBe(run.state.nextEventSeq);
  });
});

describe('runTeamLoop: failures', () => {
  it('lets an exception from agentTurn propagate, leaving the run for the caller to fail', async () => {
    const team = roundRobinTeam();
    const run = startedRun(team, 'task');
    const runtime = new FakeRuntime([], (req) => {
      if (req.turn === 1) throw new Error('model exploded');
      return reply('draft');
    });
    await expect(runTeamLoop(team, run.recorder, runtime)).rejects.toThrow('model exploded');
    expect(run.state.status).toBe('working');
    expect(speakers(run.state)).toEqual(['writer']);
    expect(types(run.state.events)).not.toContain('run_finished');
  });
});
