import { TaskState, type Message, type Task } from '@a2a-js/sdk';
import { anyOf, maxMessages, team, textMention } from '../../src/spec';
import type { BudgetSpec } from '../../src/spec/budget';
import type { TeamSpec } from '../../src/spec/team';
import type { TeamClient } from '../../src/client/team-client';
import { a2aError, sendParams, startA2AEnv, userMessage, type A2AEnv } from '../a2a/a2a-env';
import { nextRequest } from '../helpers/waiting';
import { runLocal } from '../../src/local/run-local';

/**
 * Budgets on real parts: a worker, the dev server, the scripted model through the real openai
 * client, the A2A front end. Every scripted reply reports 100 prompt + 50 reply tokens, and every
 * call asks for at most 100 reply tokens, so a budget of 400 lets two calls run (300 spent) and
 * refuses the third (it needs its prompt's ~45 tokens + 100).
 */
const USED = { promptTokens: 100, completionTokens: 50 };
const replies = (...texts: string[]) => texts.map((content) => ({ content, usage: USED }));
const SCRIPT = {
  agents: {
    researcher: replies('fact one', 'fact two'),
    writer: replies('draft one', 'draft two'),
    reviewer: replies('needs work', 'APPROVED'),
    lead: replies('the plan', 'the plan again'),
    drafter: replies('inner draft'),
    checker: replies('inner check'),
    planner: replies('plan'),
    coder: replies('code'),
  },
  // The selector's replies report what the scripted model estimates (no usage given).
  selector: ['planner', 'coder'],
};

function reviewTeam(name: string, budget?: BudgetSpec): TeamSpec {
  const built = team(name)
    .roundRobin()
    .model({ model: 'scripted', maxTokens: 100 })
    .agent('researcher', { description: 'Finds facts.' })
    .agent('writer', { description: 'Writes drafts.' })
    .agent('reviewer', { description: 'Reviews drafts.' })
    .terminateWhen(anyOf(textMention('APPROVED', { sources: ['reviewer'] }), maxMessages(12)))
    .build();
  return budget ? { ...built, budget } : built;
}

/** An A2A message to an existing task: its text, and a data part when given. */
function replyTo(task: Task, text: string, data?: unknown): Message {
  const message = userMessage(text, { taskId: task.id, contextId: task.contextId });
  const part = { content: { $case: 'data' as const, value: data }, metadata: undefined, filename: '', mediaType: 'application/json' };
  return { ...message, parts: data === undefined ? message.parts : [part] };
}

const textOf = (message: Message | undefined): string =>
  (message?.parts ?? []).map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');
const dataOf = (message: Message | undefined): unknown => message?.parts.find((p) => p.content?.$case === 'data')?.content?.value;

const STOPPED_AT_400 = /^budget: maxTotalTokens 400 would be exceeded \(300 spent, next call needs ~1\d\d\)/;

describe('run budgets', () => {
  let env: A2AEnv;
  let client: TeamClient;
  beforeAll(async () => {
    env = await startA2AEnv([reviewTeam('review-a2a')], SCRIPT);
    client = env.worker.client;
  });
  afterAll(() => env?.stop());
  beforeEach(() => env.model.reset());

  it('stop: the call that would go over is never made; the run completes naming the budget (a per-run budget over none)', async () => {
    const runId = await client.start(reviewTeam('review-stop'), 'Write a note.', { budget: { maxTotalTokens: 400 } });
    const { snapshot } = await client.result(runId);
    expect(snapshot.status).toBe('completed');
    expect(snapshot.stopReason).toMatch(STOPPED_AT_400);
    expect(snapshot.stoppedBy).toEqual(['budget']);
    expect(snapshot.turns).toBe(2);
    // A call per turn, none for the third (an attempt retried on a loaded machine is the same call).
    expect(new Set(env.model.requests.filter((r) => r.runId === runId).map((r) => r.turn))).toEqual(new Set([0, 1]));
    expect(snapshot.spend).toEqual({ totalTokens: 300, costUsd: 0, budget: { maxTotalTokens: 400, maxCostUsd: null, onExceed: 'stop' } });
  });

  it('ask: a person raises the limit (a raise below it is refused, naming it) and the run completes', async () => {
    const runId = await client.start(reviewTeam('review-raise', { maxTotalTokens: 400, onExceed: 'ask' }), 'Write a note.');
    const request = await nextRequest(client, runId);
    expect(request).toMatchObject({
      kind: 'budget',
      reason: 'budget',
      budget: { maxTotalTokens: 400, spentTokens: 300, maxCostUsd: null },
    });
    expect(request.prompt).toMatch(STOPPED_AT_400);
    expect(env.model.countRequests()).toBe(2);
    await expect(client.answer(runId, { action: 'raise', raise: { maxTotalTokens: 350 } })).rejects.toThrow(
      'maxTotalTokens: 350 does not raise the limit of 400',
    );
    await expect(client.answer(runId, { action: 'approve' })).rejects.toThrow('waits for a budget decision');
    await client.answer(runId, { action: 'raise', raise: { maxTotalTokens: 2_000 } });
    const { snapshot } = await client.result(runId);
    expect(snapshot).toMatchObject({ status: 'completed', stopReason: '"APPROVED" mentioned by reviewer', turns: 6 });
    expect(snapshot.spend).toMatchObject({ totalTokens: 900, budget: { maxTotalTokens: 2_000, onExceed: 'ask' } });
  });

  it('ask: a person stops the run, which completes with the budget and who stopped it as its reason', async () => {
    const runId = await client.start(reviewTeam('review-halt', { maxTotalTokens: 400, onExceed: 'ask' }), 'Write a note.');
    await nextRequest(client, runId);
    await client.answer(runId, { action: 'stop', by: 'ana' });
    const { snapshot } = await client.result(runId);
    expect(snapshot.status).toBe('completed');
    expect(snapshot.stopReason).toMatch(STOPPED_AT_400);
    expect(snapshot.stopReason).toMatch(/; stopped by ana$/);
    expect(snapshot.turns).toBe(2);
  });

  it('a nested team runs on what is left of the outer budget, and its spend counts against it', async () => {
    const inner = team('inner')
      .roundRobin()
      .model({ model: 'scripted', maxTokens: 100 })
      .agent('drafter', { description: 'Drafts.' })
      .agent('checker', { description: 'Checks.' })
      .terminateWhen(maxMessages(3))
      .build();
    const outer = {
      ...team('outer')
        .roundRobin()
        .model({ model: 'scripted', maxTokens: 100 })
        .agent('lead', { description: 'Leads.' })
        .nested('writing', { description: 'The writing team.', team: inner })
        .terminateWhen(maxMessages(5))
        .build(),
      budget: { maxTotalTokens: 400, onExceed: 'stop' as const },
    };
    const runId = await client.start(outer, 'Write a note.');
    const { snapshot } = await client.result(runId);
    // lead (150), then the inner run on the 250 left: drafter (150), and checker is refused there.
    const innerEnd = (await client.result(`${runId}/turn-1/writing`)).snapshot;
    expect(innerEnd.stopReason).toMatch(/^budget: maxTotalTokens 250 would be exceeded \(150 spent/);
    expect(innerEnd.spend?.totalTokens).toBe(150);
    // Back outside, 300 are spent: lead's next call is refused.
    expect(snapshot.stopReason).toMatch(STOPPED_AT_400);
    expect(snapshot.spend?.totalTokens).toBe(300);
    expect(env.model.countRequests()).toBe(2);
  });

  it('runLocal keeps the same budget, in process', async () => {
    const local = await runLocal(reviewTeam('review-local', { maxTotalTokens: 400, onExceed: 'stop' }), 'Write a note.', {
      model: { baseUrl: env.model.baseUrl },
    });
    expect(local.status).toBe('completed');
    expect(local.stop?.reason).toMatch(STOPPED_AT_400);
    expect(local.budget).toMatchObject({ spentTokens: 300 });
    expect(env.model.countRequests()).toBe(2);
  });

  it('selector calls count against the budget as agent turns do', async () => {
    const selecting = {
      ...team('selecting')
        .selector()
        .model({ model: 'scripted', maxTokens: 100 })
        .agent('planner', { description: 'Plans.' })
        .agent('coder', { description: 'Codes.' })
        .terminateWhen(maxMessages(3))
        .build(),
      budget: { maxTotalTokens: 100_000, onExceed: 'stop' as const },
    };
    const { snapshot } = await client.result(await client.start(selecting, 'Build it.'));
    const tokens = (u: { promptTokens: number; completionTokens: number }) => u.promptTokens + u.completionTokens;
    expect(tokens(snapshot.usage)).toBe(300);
    expect(tokens(snapshot.selectorUsage)).toBeGreaterThan(0);
    expect(snapshot.spend?.totalTokens).toBe(300 + tokens(snapshot.selectorUsage));
  });

  it('A2A: metadata.durableTeams.budget sets the task budget; its spend is in the task metadata; a bad one is -32602 naming the field', async () => {
    const a2a = await env.clientFor('review-a2a');
    const bad = userMessage('Write a note.', { metadata: { durableTeams: { budget: { maxTotalTokens: 'lots' } } } });
    const refused = await a2aError(a2a.sendMessage(sendParams(bad)));
    expect(refused.code).toBe(-32602);
    expect(refused.message).toMatch(/^metadata\.durableTeams\.budget\.maxTotalTokens: /);

    const message = userMessage('Write a note.', { metadata: { durableTeams: { budget: { maxTotalTokens: 400 } } } });
    const taskId = ((await a2a.sendMessage(sendParams(message))) as Task).id;
    const { snapshot } = await client.result(taskId);
    expect(snapshot.stopReason).toMatch(STOPPED_AT_400);
    const task = await a2a.getTask({ tenant: '', id: taskId, historyLength: 0 });
    expect(task.metadata).toMatchObject({
      stopReason: expect.stringMatching(STOPPED_AT_400),
      durableTeams: { spend: { totalTokens: 300 } },
    });
  });

  it('A2A ask: the task is input-required with the budget question; a data part raises the limit and it completes; "stop" in words ends another', async () => {
    const a2a = await env.clientFor('review-a2a');
    const asking = { metadata: { durableTeams: { budget: { maxTotalTokens: 400, onExceed: 'ask' } } } };
    const waiting = (await a2a.sendMessage(sendParams(userMessage('Write a note.', asking)))) as Task;
    expect(waiting.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(textOf(waiting.status?.message)).toMatch(STOPPED_AT_400);
    expect(textOf(waiting.status?.message)).toContain('{"action": "raise", "maxTotalTokens": <new limit>}');
    expect(dataOf(waiting.status?.message)).toMatchObject({
      kind: 'budget',
      accepts: ['raise', 'stop'],
      budget: { maxTotalTokens: 400, spentTokens: 300, maxCostUsd: null },
    });
    const done = (await a2a.sendMessage(sendParams(replyTo(waiting, '', { action: 'raise', maxTotalTokens: 2_000 })))) as Task;
    expect(done.id).toBe(waiting.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(done.artifacts[0]?.parts[0]?.content).toEqual({ $case: 'text', value: 'APPROVED' });
    expect(done.metadata).toMatchObject({ durableTeams: { spend: { totalTokens: 900, budget: { maxTotalTokens: 2_000 } } } });

    const second = (await a2a.sendMessage(sendParams(userMessage('Write a note.', asking)))) as Task;
    expect(second.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const stopped = (await a2a.sendMessage(sendParams(replyTo(second, 'stop')))) as Task;
    expect(stopped.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(stopped.metadata).toMatchObject({ stopReason: expect.stringMatching(STOPPED_AT_400) });
    expect((stopped.metadata as { stopReason: string }).stopReason).toMatch(/; stopped by \S+$/);
  });
});
