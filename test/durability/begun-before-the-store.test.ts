import { legacyCarryOver } from '../../src/core/carry-over';
import { RunRecorder } from '../../src/core/recorder';
import type { ModelReply } from '../../src/core/activity-contract';
import { createRunState, type RunState } from '../../src/core/state';
import { runTeamLoop } from '../../src/core/team-loop';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { TEAM_RUN_WORKFLOW, type TeamRunInput } from '../../workflows/definitions';
import { reviewTeam } from '../helpers/teams';

/**
 * A run begun before the conversation store finishes after it. Replaying old histories proves
 * the old executions stay deterministic; this proves what the next execution of such a run does
 * with what the old one carried at continue-as-new: messages whole (no refs, no storedCount),
 * the oldest ones dropped to fit. It writes them to the store with its first activity and goes on,
 * and readers see the carried messages, with their text, and the new ones.
 */

const TASK = 'Write a note about otters.';
const OLD_TEXT: Record<string, string[]> = {
  researcher: ['<old fact one>', '<old fact two>'],
  writer: ['<old draft one>'],
  reviewer: ['<old needs work>'],
};

/**
 * What an execution begun before the store carried after four turns: the core's own loop, with
 * replies that (as then) had no store key, and the legacy carry with a budget that drops messages
 * 1 and 2. States of that time had no storedCount.
 */
async function legacyCarriedState(runId: string): Promise<RunState> {
  const team = reviewTeam();
  const state = createRunState({ runId, team, task: TASK, now: Date.UTC(2026, 0, 1) });
  delete state.storedCount;
  const run = new RunRecorder(
    team,
    state,
    () => state.updatedAt + 1_000,
    () => undefined,
  );
  const said: Record<string, number> = {};
  const reply = (agent: string): ModelReply => {
    said[agent] = (said[agent] ?? 0) + 1;
    return { v: 1, content: OLD_TEXT[agent]![said[agent]! - 1]!, usage: { promptTokens: 10, completionTokens: 5 }, model: 'scripted' };
  };
  run.begin(TASK);
  const outcome = await runTeamLoop(team, run, {
    agentTurn: async (request) => reply(request.agent.name),
    selectSpeaker: () => Promise.reject(new Error('a round-robin team selects no speaker')),
    waitForHuman: () => Promise.reject(new Error('nobody to ask')),
    shouldSuspend: () => state.turn >= 4,
  });
  expect(outcome).toBe('suspended');
  const carried = legacyCarryOver(state, {
    maxMessageChars: TASK.length + '<old needs work>'.length + '<old fact two>'.length,
    maxEvents: 200,
  });
  delete carried.storedCount;
  return carried;
}

describe('a run begun before the conversation store, finished after it', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;

  beforeAll(async () => {
    model = await startScriptedModelServer({
      script: { agents: { writer: ['<new draft>'], reviewer: ['<new APPROVED>'], researcher: ['<new fact>'] } },
    });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
  });
  afterAll(async () => {
    await env?.stop();
    await model?.close();
  });

  it('goes on from the legacy carry: the carried messages with their text, then the new ones, read and paged through the store', async () => {
    const runId = `begun-before-the-store-${Date.now()}`;
    const state = await legacyCarriedState(runId);
    // The legacy shape, as it sits in an old execution's continue-as-new input.
    expect(state.messages.map((m) => [m.index, m.content])).toEqual([
      [0, TASK],
      [3, '<old needs work>'],
      [4, '<old fact two>'],
    ]);
    expect(state.messages.some((m) => m.ref !== undefined || m.elided)).toBe(false);
    expect(state).not.toHaveProperty('storedCount');
    expect(state.messageCount).toBe(5);

    const input: TeamRunInput = { v: 1, team: reviewTeam(), task: TASK, state };
    await env.client.client.workflow.start(TEAM_RUN_WORKFLOW, { workflowId: runId, taskQueue: env.taskQueue, args: [input] });

    const result = await env.client.result(runId);
    expect(result.snapshot.status).toBe('completed');
    expect(result.snapshot.continuedAsNew).toBe(1);
    expect(result.conversation).toBe('store');
    // Messages 1 and 2 were dropped by the old carry, before the store: no one has them to give.
    const expected = [
      [0, 'user', TASK],
      [3, 'reviewer', '<old needs work>'],
      [4, 'researcher', '<old fact two>'],
      [5, 'writer', '<new draft>'],
      [6, 'reviewer', '<new APPROVED>'],
    ];
    expect(result.messages.map((m) => [m.index, m.source, m.content])).toEqual(expected);
    expect(result.snapshot.messageCount).toBe(7);
    expect(result.snapshot.lastMessage?.content).toBe('<new APPROVED>');

    // The new execution's first turn read the carried text through the store.
    const writerAsked = JSON.stringify(model.requests.find((r) => r.runId === runId && r.agent === 'writer')?.messages);
    expect(writerAsked).toContain('<old fact two>');
    expect(writerAsked).toContain(TASK);

    const all = await env.client.transcript(runId);
    expect(all.total).toBe(7);
    expect(all.messages.map((m) => [m.index, m.source, m.content])).toEqual(expected);
    const page = await env.client.transcript(runId, 3, 2);
    expect(page.messages.map((m) => [m.index, m.content])).toEqual([
      [3, '<old needs work>'],
      [4, '<old fact two>'],
    ]);
    const last = await env.client.transcript(runId, 5, 10);
    expect(last.messages.map((m) => m.content)).toEqual(['<new draft>', '<new APPROVED>']);
  });
});
