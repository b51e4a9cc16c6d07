import { TaskState, type Message, type Task } from '@a2a-js/sdk';
import { maxMessages, team } from '../../src/spec';
import type { TeamSpec } from '../../src/spec/team';
import type { TeamClient } from '../../src/client/team-client';
import { sendParams, startA2AEnv, userMessage, type A2AEnv } from '../a2a/a2a-env';
import { nextRequest, untilEvent } from '../helpers/waiting';

/**
 * A nested team whose person is asked while it works: the outer run shows the question as its
 * own (its A2A task goes input-required), and an answer given there reaches the inner run. All
 * real: a worker, the dev server, the scripted model, the A2A front end and the SDK's client.
 */

/** The inner team: a drafter writes, the editor (a person) comments, the drafter revises. */
const writers = (): TeamSpec =>
  team('writers')
    .roundRobin()
    .model({ model: 'scripted' })
    .agent('drafter', { description: 'Drafts the text.' })
    .human('editor', { description: 'Checks the draft.', prompt: 'Editor, check the draft.' })
    .terminateWhen(maxMessages(4))
    .build();

const outer = (name: string): TeamSpec =>
  team(name)
    .roundRobin()
    .model({ model: 'scripted' })
    .agent('planner', { description: 'Plans the work.' })
    .nested('writing', { description: 'The writing team.', team: writers() })
    .terminateWhen(maxMessages(3))
    .build();

const SCRIPT = { agents: { planner: ['the plan'], drafter: ['draft one', 'draft two'] } };

const textOf = (message: Message | undefined): string =>
  (message?.parts ?? []).map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');

describe('questions of a nested team, shown and answered on the outer run', () => {
  let env: A2AEnv;
  let client: TeamClient;
  beforeAll(async () => {
    env = await startA2AEnv([outer('outer-a2a')], SCRIPT);
    client = env.worker.client;
  });
  afterAll(() => env?.stop());

  /** An outer run, followed to the question its nested team asks. */
  async function askingRun(name: string) {
    const runId = await client.start(outer(name), 'Write a note.');
    const innerId = `${runId}/turn-1/writing`;
    const question = await nextRequest(client, runId);
    return { runId, innerId, question };
  }

  it('asks on the outer run; the answer given there reaches the inner person and both runs complete', async () => {
    const { runId, innerId, question } = await askingRun('outer-answer');
    expect(question).toMatchObject({
      kind: 'input',
      reason: 'nested_input',
      from: 'writing',
      to: 'editor',
      prompt: 'writing (nested team): Editor, check the draft.',
      forward: { runId: innerId, requestId: 'req-1' },
    });
    const waiting = await client.getState(runId);
    expect(waiting.status).toBe('input-required');
    expect(waiting.pendingInput?.requestId).toBe(question.requestId);

    await expect(
      client.answer(runId, { requestId: question.requestId, action: 'input', text: 'Shorter, please.', by: 'ana' }),
    ).resolves.toMatchObject({
      delivery: 'accepted',
    });
    // One answer per question: a second one is refused by the outer run.
    await expect(client.answer(runId, { requestId: question.requestId, action: 'input', text: 'Again.' })).rejects.toThrow(
      /already been answered|not waiting/,
    );

    const { snapshot, messages } = await client.result(runId);
    expect(snapshot.status).toBe('completed');
    expect(messages.map((m) => [m.source, m.content])).toEqual([
      ['user', 'Write a note.'],
      ['planner', 'the plan'],
      ['writing', 'draft two'],
    ]);
    const inner = await client.result(innerId);
    expect(inner.messages.map((m) => [m.source, m.content]).slice(1)).toEqual([
      ['drafter', 'draft one'],
      ['editor', 'Shorter, please.'],
      ['drafter', 'draft two'],
    ]);
    // Each run records the answer once; the inner one applied it, with who gave it.
    const innerReceived = (await client.events(innerId)).events.filter((e) => e.type === 'input_received');
    expect(innerReceived).toEqual([expect.objectContaining({ requestId: 'req-1', action: 'input', by: 'ana' })]);
    const outerReceived = (await client.events(runId)).events.filter((e) => e.type === 'input_received');
    expect(outerReceived).toEqual([expect.objectContaining({ requestId: question.requestId, action: 'input', by: 'ana' })]);
  });

  it('a rejection given on the outer run rejects the inner run and the outer one with it', async () => {
    const { runId, innerId, question } = await askingRun('outer-reject');
    await client.answer(runId, { requestId: question.requestId, action: 'reject', text: 'Not this topic.', by: 'ana' });

    const { snapshot } = await client.result(runId);
    expect(snapshot.status).toBe('rejected');
    expect(snapshot.rejection).toEqual({ reason: 'nested team "writing" was rejected: Not this topic.', by: 'ana' });
    const inner = await client.result(innerId);
    expect(inner.snapshot.status).toBe('rejected');
    expect(inner.snapshot.rejection).toEqual({ reason: 'Not this topic.', by: 'ana' });
  });

  it('an answer given to the inner run directly settles the outer question too', async () => {
    const { runId, innerId, question } = await askingRun('outer-direct');
    await client.answer(innerId, { requestId: 'req-1', action: 'input', text: 'Fine as it is.' });

    const withdrawn = await untilEvent(client, runId, (e) => e.type === 'input_withdrawn');
    expect(withdrawn).toMatchObject({ requestId: question.requestId, reason: 'settled in the nested run: answered (input)' });
    const { snapshot, messages } = await client.result(runId);
    expect(snapshot.status).toBe('completed');
    expect(messages.at(-1)).toMatchObject({ source: 'writing', content: 'draft two' });
    // The outer question is gone, so an answer to it now is refused.
    await expect(client.answer(runId, { requestId: question.requestId, action: 'input', text: 'Late.' })).rejects.toThrow(
      /ended|not waiting/,
    );
  });

  it('a stop request to the outer run reaches the inner run waiting on its person', async () => {
    const { runId, innerId } = await askingRun('outer-stop');
    await client.stop(runId, 'enough for today');

    const inner = await client.result(innerId);
    expect(inner.snapshot.status).toBe('completed');
    expect(inner.snapshot.stopReason).toContain('enough for today');
    const { snapshot, messages } = await client.result(runId);
    expect(snapshot.status).toBe('completed');
    expect(snapshot.pendingInput).toBeNull();
    // The inner team's answer so far is the participant's message.
    expect(messages.at(-1)).toMatchObject({ source: 'writing', content: 'draft one' });
  });

  it('through A2A: the outer task goes input-required with the inner question, and a reply to it completes both', async () => {
    const a2a = await env.clientFor('outer-a2a');
    const task = (await a2a.sendMessage(sendParams(userMessage('Write a note.')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(textOf(task.status?.message)).toContain('writing (nested team): Editor, check the draft.');

    const answered = (await a2a.sendMessage(
      sendParams(userMessage('Shorter, please.', { taskId: task.id, contextId: task.contextId })),
    )) as Task;
    expect(answered.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const inner = await client.result(`${task.id}/turn-1/writing`);
    expect(inner.messages.find((m) => m.source === 'editor')?.content).toBe('Shorter, please.');
  });
});
