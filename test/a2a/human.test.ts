import { join } from 'node:path';
import { Role, TaskState, type Message, type Part, type StreamResponse, type Task } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import { loadTeamFile } from '../../src/files/team-file';
import { maxMessages, team } from '../../src/spec';
import type { TeamSpec } from '../../src/spec/team';
import { REVIEW_SCRIPT, ROOT } from '../helpers/teams';
import { collect, describeEvent, sendParams, startA2AEnv, userMessage, type A2AEnv, a2aError } from './a2a-env';

/**
 * People in the loop through A2A: the example approval team asks, via input-required, whether to
 * publish once its reviewer says APPROVED (the 2nd reviewer turn under REVIEW_SCRIPT); a message
 * to the task answers. Everything runs for real: worker, scripted model, front end, SDK client.
 */

const approvalTeam = (): TeamSpec => loadTeamFile(join(ROOT, 'examples/teams/review-approval.yaml'));
const APPROVAL = 'review-approval';

/** A team whose one agent takes a minute a turn: its task stays working while a test pokes at it. */
const busyTeam = (): TeamSpec =>
  team('busy')
    .roundRobin()
    .model({ model: 'scripted' })
    .agent('ponderer', { description: 'Thinks slowly.' })
    .terminateWhen(maxMessages(3))
    .build();
const SCRIPT = { agents: { ...REVIEW_SCRIPT.agents, ponderer: { replies: ['hmm'], latencyMs: 60_000 } } };

const textOf = (message: Message | undefined): string =>
  (message?.parts ?? []).map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');
const dataOf = (message: Message | undefined): unknown => message?.parts.find((p) => p.content?.$case === 'data')?.content?.value;

function dataPart(value: unknown): Part {
  return { content: { $case: 'data', value }, metadata: undefined, filename: '', mediaType: 'application/json' };
}

/** A message that answers (or tries to answer) an existing task. */
function reply(task: Pick<Task, 'id' | 'contextId'>, text: string | null, data?: unknown): Message {
  const message = userMessage(text ?? '', { taskId: task.id, contextId: task.contextId });
  return { ...message, parts: [...(text === null ? [] : message.parts), ...(data === undefined ? [] : [dataPart(data)])] };
}

function asTask(result: unknown): Task {
  expect(result).toHaveProperty('status');
  return result as Task;
}

/** The task an event is about. */
function taskIdOf(event: StreamResponse): string {
  const p = event.payload!;
  return p.$case === 'task' ? p.value.id : p.$case === 'message' ? p.value.taskId : p.value.taskId;
}

/** The last status update of a stream (the state it ended in, with its message). */
function lastStatus(events: StreamResponse[]) {
  const last = events.at(-1)!.payload!;
  if (last.$case !== 'statusUpdate') throw new Error(`the stream ended with ${last.$case}, not a status update`);
  return last.value.status!;
}

describe('A2A front end: people in the loop', () => {
  let env: A2AEnv;
  let client: Client;
  beforeAll(async () => {
    env = await startA2AEnv([approvalTeam(), busyTeam()], SCRIPT);
    client = await env.clientFor(APPROVAL);
  });
  afterAll(() => env?.stop());

  /** A new approval task, run (blocking) to its question. */
  async function waitingTask(): Promise<Task> {
    const task = asTask(await client.sendMessage(sendParams(userMessage('Write a note.'))));
    expect(task.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    return task;
  }

  it('streams to input-required with the prompt and the request; a streamed "approve: ..." completes the task', async () => {
    const asked = await collect(client.sendMessageStream(sendParams(userMessage('Write a note.'))));
    const seen = asked.map(describeEvent);
    expect(seen[0]).toBe(`task:${TaskState.TASK_STATE_SUBMITTED}`);
    expect(seen).toContain(`status:${TaskState.TASK_STATE_WORKING}:APPROVED`);
    // The stream stops where the run waits: the question in words, and as data for programs.
    const question = lastStatus(asked);
    expect(question.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(question.message?.role).toBe(Role.ROLE_AGENT);
    expect(textOf(question.message)).toBe('The reviewer approved the draft above. Publish it?');
    expect(dataOf(question.message)).toEqual({
      requestId: expect.any(String),
      kind: 'approval',
      accepts: ['approve', 'reject', 'request_changes'],
      to: 'user',
      deadline: expect.any(String),
    });
    const task = (asked[0]!.payload as { value: Task }).value;

    // The answer opens a new stream: the task at work again, the approver's comment, the end.
    const answered = await collect(client.sendMessageStream(sendParams(reply(task, 'approve: ship it'))));
    const after = answered.map(describeEvent);
    expect(after[0]).toBe(`task:${TaskState.TASK_STATE_WORKING}`);
    expect(after).toContain(`status:${TaskState.TASK_STATE_WORKING}:ship it`);
    expect(after.at(-2)).toBe('artifact:final-answer');
    expect(after.at(-1)).toBe(`status:${TaskState.TASK_STATE_COMPLETED}:APPROVED`);
    expect(new Set(answered.map(taskIdOf))).toEqual(new Set([task.id]));
    const artifact = answered.at(-2)!.payload as { value: { artifact: { parts: Part[] } } };
    expect(artifact.value.artifact.parts[0]?.content).toEqual({ $case: 'text', value: 'APPROVED' });

    const done = await client.getTask({ tenant: '', id: task.id, historyLength: 1 });
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    // The comment is on the record, as the person's (ROLE_USER).
    expect(done.history.map((m) => [m.role, textOf(m)])).toEqual([[Role.ROLE_USER, 'ship it']]);
  });

  it('a decision data part, naming the request it answers, approves as the words do', async () => {
    const task = await waitingTask();
    const { requestId } = dataOf(task.status?.message) as { requestId: string };
    const done = asTask(await client.sendMessage(sendParams(reply(task, null, { action: 'approve', requestId }))));
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(done.artifacts[0]?.parts[0]?.content).toEqual({ $case: 'text', value: 'APPROVED' });
  });

  it('a blocking send returns at input-required; "reject: ..." ends the task rejected, with the reason', async () => {
    const task = await waitingTask();
    expect(textOf(task.status?.message)).toContain('Publish it?');
    const rejected = asTask(await client.sendMessage(sendParams(reply(task, 'reject: not good'))));
    expect(rejected.id).toBe(task.id);
    expect(rejected.status?.state).toBe(TaskState.TASK_STATE_REJECTED);
    expect(textOf(rejected.status?.message)).toContain('not good');
    expect(rejected.artifacts).toEqual([]); // a rejected run has no answer to hand out
  });

  it('plain text to an approval asks for changes: the comment goes to the team as the user, and the team goes on', async () => {
    const task = await waitingTask();
    const comment = 'Make it shorter, please.';
    const events = await collect(client.sendMessageStream(sendParams(reply(task, comment))));
    const updates = events.flatMap((e) => (e.payload?.$case === 'statusUpdate' ? [e.payload.value.status!] : []));
    const said = updates
      .filter((s) => s.message && s.state === TaskState.TASK_STATE_WORKING)
      .map((s) => [s.message!.role, textOf(s.message)]);
    // The comment first, as the user's; then the agents answer it.
    expect(said[0]).toEqual([Role.ROLE_USER, comment]);
    expect(said.length).toBeGreaterThan(1);
    expect(said.slice(1).every(([role]) => role === Role.ROLE_AGENT)).toBe(true);
    // The new round ends at the approval again.
    expect(lastStatus(events).state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);

    const got = await client.getTask({ tenant: '', id: task.id });
    const history = got.history.map((m) => [m.role, textOf(m)]);
    const at = history.findIndex(([, text]) => text === comment);
    expect(history[at]).toEqual([Role.ROLE_USER, comment]);
    expect(history.slice(at + 1).length).toBe(said.length - 1);

    const rejected = asTask(await client.sendMessage(sendParams(reply(task, 'reject'))));
    expect(rejected.status?.state).toBe(TaskState.TASK_STATE_REJECTED);
  });

  describe('messages a task cannot take', () => {
    it('an unknown task id is -32001 (TaskNotFound)', async () => {
      const error = await a2aError(client.sendMessage(sendParams(reply({ id: `${APPROVAL}-no-such-task`, contextId: '' }, 'approve'))));
      expect(error).toMatchObject({ code: -32001, name: 'TaskNotFoundError' });
    });

    it('a wrong contextId or a malformed decision is -32602 naming the field, and the task still waits', async () => {
      const task = await waitingTask();
      const mismatch = await a2aError(client.sendMessage(sendParams(reply({ id: task.id, contextId: 'some-other-context' }, 'approve'))));
      expect(mismatch).toMatchObject({ code: -32602, name: 'RequestMalformedError' });
      expect(mismatch.message).toMatch(/contextId "some-other-context" does not match/);

      const maybe = await a2aError(client.sendMessage(sendParams(reply(task, null, { action: 'maybe' }))));
      expect(maybe.code).toBe(-32602);
      expect(maybe.message).toMatch(/decision data part is malformed at "action"/);

      // Neither refusal touched the run.
      const still = await client.getTask({ tenant: '', id: task.id, historyLength: 0 });
      expect(still.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);

      const done = asTask(await client.sendMessage(sendParams(reply(task, 'approve'))));
      expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      // An ended task takes no more messages, blocking or streaming: -32004 (UnsupportedOperation).
      const late = await a2aError(client.sendMessage(sendParams(reply(task, 'approve'))));
      expect(late).toMatchObject({ code: -32004, name: 'UnsupportedOperationError' });
      expect(late.message).toMatch(/has ended \(completed\)/);
      const lateStream = await a2aError(collect(client.sendMessageStream(sendParams(reply(task, 'approve')))));
      expect(lateStream.code).toBe(-32004);
    });

    it('a task at work (waiting on nobody) is -32004', async () => {
      const busy = await env.clientFor('busy');
      // Read the stream until the run is at work: its one agent then takes a minute.
      let task: Task | null = null;
      for await (const event of busy.sendMessageStream(sendParams(userMessage('Think.')))) {
        if (event.payload?.$case === 'task') task = event.payload.value;
        if (describeEvent(event) === `status:${TaskState.TASK_STATE_WORKING}`) break;
      }
      try {
        const error = await a2aError(busy.sendMessage(sendParams(reply(task!, 'approve'))));
        expect(error).toMatchObject({ code: -32004, name: 'UnsupportedOperationError' });
        expect(error.message).toMatch(/is working; it takes a message only while it waits for input/);
      } finally {
        await env.worker.client.client.workflow.getHandle(task!.id).terminate('test over');
      }
    });
  });
});
