import { Role, TaskState } from '@a2a-js/sdk';
import { REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';
import { collect, describeEvent, sendParams, startA2AEnv, userMessage, type A2AEnv } from './a2a-env';

describe('A2A front end: send and stream with the SDK client', () => {
  let env: A2AEnv;
  beforeAll(async () => {
    env = await startA2AEnv([reviewTeam()], REVIEW_SCRIPT);
  });
  afterAll(() => env?.stop());

  it('serves the card, streams every turn, and ends with the final answer as an artifact', async () => {
    const card = (await (
      await fetch(`${env.server.teamUrls.review}.well-known/agent-card.json`, { headers: { 'A2A-Version': '1.0' } })
    ).json()) as { name: string; capabilities: unknown };
    expect(card.name).toBe('review');
    expect(card.capabilities).toMatchObject({ streaming: true, pushNotifications: true });

    const client = await env.clientFor('review');
    const events = await collect(client.sendMessageStream(sendParams(userMessage('Write a note.'))));
    const seen = events.map(describeEvent);
    expect(seen[0]).toBe(`task:${TaskState.TASK_STATE_SUBMITTED}`);
    expect(seen).toContain(`status:${TaskState.TASK_STATE_WORKING}:fact one`);
    expect(seen).toContain(`status:${TaskState.TASK_STATE_WORKING}:APPROVED`);
    expect(seen.at(-2)).toBe('artifact:final-answer');
    // The answer came on the stream as a message already: the final status does not repeat it.
    expect(seen.at(-1)).toBe(`status:${TaskState.TASK_STATE_COMPLETED}`);
    const ids = events.flatMap((e) =>
      e.payload?.$case === 'statusUpdate' && e.payload.value.status?.message ? [e.payload.value.status.message.messageId] : [],
    );
    expect(new Set(ids).size).toBe(ids.length);

    const taskId = (events[0]!.payload as { value: { id: string } }).value.id;
    const task = await client.getTask({ tenant: '', id: taskId, historyLength: 3 });
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(task.history.map((m) => m.role)).toEqual([Role.ROLE_AGENT, Role.ROLE_AGENT, Role.ROLE_AGENT]);
    expect(task.artifacts[0]?.parts[0]?.content).toEqual({ $case: 'text', value: 'APPROVED' });
  });
});

describe('A2A front end: GetTask with little history', () => {
  let env: A2AEnv;
  beforeAll(async () => {
    env = await startA2AEnv([reviewTeam()], REVIEW_SCRIPT);
  });
  afterAll(() => env?.stop());

  it('still gives the final answer as artifact and status message with historyLength 0', async () => {
    const client = await env.clientFor('review');
    const sent = await client.sendMessage(sendParams(userMessage('Write a note.')));
    const id = (sent as { id: string }).id;
    const task = await client.getTask({ tenant: '', id, historyLength: 0 });
    expect(task.history).toEqual([]);
    expect(task.artifacts[0]?.parts[0]?.content).toEqual({ $case: 'text', value: 'APPROVED' });
    expect(task.status?.message?.parts[0]?.content).toEqual({ $case: 'text', value: 'APPROVED' });
  });
});
