import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TaskState, type Message, type StreamResponse, type Task } from '@a2a-js/sdk';
import { ClientFactory, type Client } from '@a2a-js/sdk/client';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { TeamClient } from '../../src/client/team-client';
import { startTestWorker, testTemporalAddress, uniqueTaskQueue, type TestWorker } from '../../src/testing/temporal-env';
import { CliProcess, temporalFlags } from '../cli/cli-helpers';
import { REVIEW_SCRIPT, REVIEW_TURNS, ROOT } from '../helpers/teams';
import { collect, describeEvent, sendParams, userMessage } from './a2a-env';

/**
 * The front end keeps no state: Temporal is the task store. So a front end started after another
 * one died picks up a task's live stream, two front ends side by side serve one task, and a
 * front end takes an answer while no worker runs. Each front end here is the built CLI
 * (`durable-teams serve`, so `npm run build` first) in its own OS process; the worker runs in
 * this process on the same task queue.
 */

const TEAM_FILES = [join(ROOT, 'examples/teams/review.yaml'), join(ROOT, 'examples/teams/review-approval.yaml')];

/** Each turn takes a while, so a run is still going when a new front end has started. */
const TURN_MS = 1_500;

const textOf = (message: Message | undefined): string =>
  (message?.parts ?? []).map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');

/** The conversation messages a stream carried (as `working` status updates), in order. */
const spoken = (events: StreamResponse[]): string[] =>
  events.flatMap((e) =>
    e.payload?.$case === 'statusUpdate' && e.payload.value.status?.message && e.payload.value.status.state === TaskState.TASK_STATE_WORKING
      ? [textOf(e.payload.value.status.message)]
      : [],
  );

describe('A2A front ends as separate processes', () => {
  let model: ScriptedModelServer;
  let worker: TestWorker;
  const taskQueue = uniqueTaskQueue('a2a-procs');
  const live: CliProcess[] = [];

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: { ...REVIEW_SCRIPT, latencyMs: TURN_MS } });
    worker = await startWorker();
  });
  afterAll(async () => {
    await Promise.all(live.map((p) => p.stop('SIGKILL')));
    await worker?.stop();
    await model?.close();
  });

  /** A worker in this process on the front ends' task queue (a fresh one after `worker.stop()`). */
  const startWorker = () => startTestWorker({ taskQueue, model: { baseUrl: model.baseUrl } });

  /** `durable-teams serve` for both example teams on a free port; resolves with each team's SDK client once it listens. */
  async function frontEnd(): Promise<{ process: CliProcess; clients: Record<'review' | 'review-approval', Client> }> {
    const process = new CliProcess(['serve', ...TEAM_FILES, '--port', '0', ...temporalFlags(taskQueue)], { timeoutMs: 120_000 });
    live.push(process);
    const [, review] = await process.waitFor('stdout', /^review (http:\S+)$/m);
    const [, approval] = await process.waitFor('stdout', /^review-approval (http:\S+)$/m);
    const factory = new ClientFactory();
    return {
      process,
      clients: { review: await factory.createFromUrl(review!), 'review-approval': await factory.createFromUrl(approval!) },
    };
  }

  it('a front end started after another died mid-stream resumes the task: its current state, then the live events to the end', async () => {
    const a = await frontEnd();
    // Stream from A until the first turn is in, then kill A outright.
    const seenOnA: StreamResponse[] = [];
    const readFromA = async () => {
      for await (const event of a.clients.review.sendMessageStream(sendParams(userMessage('Write a note.')))) {
        seenOnA.push(event);
        if (spoken([event]).includes('fact one')) await a.process.stop('SIGKILL');
      }
    };
    // The client learns that the stream was cut (it does not look like an end), well before the task's end.
    await expect(readFromA()).rejects.toThrow();
    expect((await a.process.exited).signal).toBe('SIGKILL');
    expect(seenOnA.map(describeEvent)).not.toContain('artifact:final-answer');
    const taskId = (seenOnA[0]!.payload!.value as Task).id;

    // A new process, which never saw the task, subscribes to it.
    const b = await frontEnd();
    const events = await collect(b.clients.review.resubscribeTask({ tenant: '', id: taskId }));
    const first = events[0]!.payload!;
    expect(first.$case).toBe('task');
    const current = first.value as Task;
    expect(current.id).toBe(taskId);
    expect(current.status?.state).toBe(TaskState.TASK_STATE_WORKING);
    // What the task said before B subscribed is in the Task; the rest comes live, each message
    // exactly once: together they are the whole conversation.
    const before = current.history.map(textOf);
    expect(before.slice(0, 2)).toEqual(['Write a note.', 'fact one']);
    const after = spoken(events.slice(1));
    expect(after.length).toBeGreaterThan(0);
    expect([...before, ...after]).toEqual(['Write a note.', ...REVIEW_TURNS.map(([, content]) => content)]);
    expect(events.slice(1).every((e) => e.payload?.$case !== 'task')).toBe(true);
    const seen = events.map(describeEvent);
    expect(seen.at(-2)).toBe('artifact:final-answer');
    // The resumed stream carried APPROVED as a message: its final status does not repeat it.
    expect(seen.at(-1)).toBe(`status:${TaskState.TASK_STATE_COMPLETED}`);

    // The worker ran every turn exactly once, whichever front end was watching.
    expect(model.requests.filter((r) => r.runId === taskId).map((r) => r.agent)).toEqual(REVIEW_TURNS.map(([agent]) => agent));
  });

  it('two front ends at once: asked on one, answered on the other, and the first sees the task complete', async () => {
    const [a, b] = await Promise.all([frontEnd(), frontEnd()]);
    const asked = await collect(a.clients['review-approval'].sendMessageStream(sendParams(userMessage('Write a note.'))));
    const question = asked.at(-1)!.payload!;
    expect(question.$case).toBe('statusUpdate');
    expect((question.value as { status: { state: TaskState } }).status.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const task = asked[0]!.payload!.value as Task;

    // A subscription on A to the waiting task: its state now, and it stays open for what comes.
    const subscription = a.clients['review-approval'].resubscribeTask({ tenant: '', id: task.id });
    const now = await subscription.next();
    expect(((now.value as StreamResponse).payload!.value as Task).status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const rest = collect(subscription);

    // B has never seen the task; it takes the answer all the same.
    const answered = (await b.clients['review-approval'].sendMessage(
      sendParams(userMessage('approve: ship it', { taskId: task.id, contextId: task.contextId })),
    )) as Task;
    expect(answered.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);

    const seen = (await rest).map(describeEvent);
    expect(seen).toContain(`status:${TaskState.TASK_STATE_WORKING}:ship it`);
    expect(seen.at(-2)).toBe('artifact:final-answer');
    expect(seen.at(-1)).toBe(`status:${TaskState.TASK_STATE_COMPLETED}:APPROVED`);

    // And either one reads the ended task the same.
    const fromA = await a.clients['review-approval'].getTask({ tenant: '', id: task.id, historyLength: 0 });
    const fromB = await b.clients['review-approval'].getTask({ tenant: '', id: task.id, historyLength: 0 });
    expect(fromA).toEqual(fromB);
    expect(fromA.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });

  it("an answer given while no worker runs is kept; once one starts, the answer's stream goes on to the end, not back to the question", async () => {
    const a = await frontEnd();
    const client = a.clients['review-approval'];
    const asked = await collect(client.sendMessageStream(sendParams(userMessage('Write a note.'))));
    expect(describeEvent(asked.at(-1)!)).toMatch(new RegExp(`^status:${TaskState.TASK_STATE_INPUT_REQUIRED}:`));
    const task = asked[0]!.payload!.value as Task;

    // No worker: the front end can read only what Temporal keeps (the memo says what is pending).
    await worker.stop();
    const answered = collect(client.sendMessageStream(sendParams(userMessage('approve', { taskId: task.id, contextId: task.contextId }))));
    // The answer is queued as a signal, in the run's history, for whichever worker comes next.
    const temporal = await TeamClient.connect({ address: testTemporalAddress(), namespace: 'default', taskQueue });
    try {
      const signaled = async () =>
        (await temporal.client.workflow.getHandle(task.id).fetchHistory()).events?.some(
          (e) => e.workflowExecutionSignaledEventAttributes,
        ) ?? false;
      while (!(await signaled())) await sleep(200);
    } finally {
      await temporal.client.connection.close();
    }
    worker = await startWorker();

    // The front end could not know where the run's events stood when it took the answer; still,
    // the stream neither replays the conversation the client has seen nor asks the question again.
    const events = await answered;
    const seen = events.map(describeEvent);
    expect(seen[0]).toBe(`task:${TaskState.TASK_STATE_WORKING}`);
    expect(spoken(events)).toEqual([]);
    expect(seen.filter((e) => e.startsWith(`status:${TaskState.TASK_STATE_INPUT_REQUIRED}`))).toEqual([]);
    expect(seen.at(-2)).toBe('artifact:final-answer');
    expect(seen.at(-1)).toBe(`status:${TaskState.TASK_STATE_COMPLETED}:APPROVED`);
  }, 120_000);
});
