import { join } from 'node:path';
import { TaskState, type StreamResponse, type Task } from '@a2a-js/sdk';
import { loadTeamFile } from '../../src/files/team-file';
import { maxMessages, team } from '../../src/spec';
import type { TeamSpec } from '../../src/spec/team';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, uniqueTaskQueue, type TestWorker } from '../../src/testing/temporal-env';
import { LIST_ALL, TO_APPROVAL_SCRIPT } from '../a2a/callers';
import { SECRETS_KEY, sendParams, userMessage } from '../a2a/a2a-env';
import { ROOT } from '../helpers/teams';
import { until } from '../helpers/waiting';
import { startFrontEnd, type FrontEnd } from './front-end';
import { RUNNING_STATES, clientOver, stateOf, taskOf, within } from './read-clients';

/**
 * Issue 31: GetTask answers from what Temporal has written of a run, never by asking the workflow.
 * So 200 callers at once, while the run starts and while a turn is under way, all get the task
 * as it stands; a run no worker has touched reads as submitted; and a run waiting on a person
 * reads as input-required, its question included, with its worker gone.
 */

const READERS = 200;
const TERMINAL: readonly TaskState[] = [
  TaskState.TASK_STATE_COMPLETED,
  TaskState.TASK_STATE_FAILED,
  TaskState.TASK_STATE_CANCELED,
  TaskState.TASK_STATE_REJECTED,
];

/** Fifteen turns of a second each: the run is well under way still when each wave of readers has its answers. */
const steadyTeam = (): TeamSpec =>
  team('steady')
    .roundRobin()
    .model({ model: 'scripted' })
    .agent('plodder', { description: 'Takes its time.' })
    .terminateWhen(maxMessages(16))
    .build();
const SCRIPT = { agents: { ...TO_APPROVAL_SCRIPT.agents, plodder: { replies: ['step'], latencyMs: 1_000 } } };

/** review-approval.yaml: under TO_APPROVAL_SCRIPT its task waits on a person at once. */
const approvalTeam = (): TeamSpec => loadTeamFile(join(ROOT, 'examples/teams/review-approval.yaml'));

const workerEnv = { ...process.env, DURABLE_TEAMS_SECRETS_KEY: SECRETS_KEY };

function asTask(result: unknown): Task {
  expect(result).toHaveProperty('status');
  return result as Task;
}

describe('GetTask never waits on the workflow (issue 31)', () => {
  let model: ScriptedModelServer;
  const workers: TestWorker[] = [];
  const fronts: FrontEnd[] = [];
  /** Runs left waiting (no worker, or a stopped one), ended at the end. */
  const leftWaiting: { front: FrontEnd; id: string }[] = [];

  /** A worker on its own task queue, and a front end of its own for that queue. */
  async function workerAndFrontEnd(teams: TeamSpec[]): Promise<{ worker: TestWorker; front: FrontEnd }> {
    const worker = await startTestWorker({ model: { baseUrl: model.baseUrl }, env: workerEnv });
    workers.push(worker);
    const front = await startFrontEnd(teams, worker.taskQueue);
    fronts.push(front);
    return { worker, front };
  }

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: SCRIPT });
  });
  afterAll(async () => {
    for (const { front, id } of leftWaiting) await front.client.client.workflow.getHandle(id).terminate('the test is over');
    for (const front of fronts) await front.close();
    for (const worker of workers) await worker.stop();
    await model?.close();
  });

  test(`${READERS} GetTasks at once, as the run starts and during a turn: every one answers, none says the task ended`, async () => {
    const { front } = await workerAndFrontEnd([steadyTeam()]);
    const client = await clientOver('JSONRPC', front.server.teamUrls.steady!);
    const streamed: StreamResponse[] = [];
    let done = false;
    let wake!: () => void;
    let next = new Promise<void>((resolve) => (wake = resolve));
    const heard = () => {
      wake();
      next = new Promise<void>((resolve) => (wake = resolve));
    };
    const streaming = (async () => {
      for await (const event of client.sendMessageStream(sendParams(userMessage('Walk the whole way.')))) {
        streamed.push(event);
        heard();
      }
    })().finally(() => {
      done = true;
      heard();
    });
    streaming.catch(() => undefined); // awaited below; a failure before then is reported there
    /** Waits, event by event, until what the stream carried so far makes `holds` true. */
    const untilStreamed = async (what: string, holds: () => boolean) => {
      while (!holds()) {
        if (done) {
          await streaming; // its failure, if it failed
          throw new Error(`the stream ended before ${what}`);
        }
        await within(30_000, what, next);
      }
    };
    const ended = () => streamed.some((e) => TERMINAL.includes(stateOf(e)!));

    const wave = async (id: string) => {
      const answers = await Promise.allSettled(
        Array.from({ length: READERS }, () => client.getTask({ tenant: '', id, historyLength: undefined })),
      );
      const failures = answers.flatMap((a) => (a.status === 'rejected' ? [String((a.reason as Error)?.message ?? a.reason)] : []));
      expect(failures).toEqual([]);
      const states = answers.map((a) => (a as PromiseFulfilledResult<Task>).value.status?.state);
      // Every answer came while the run was under way (it still is: see below), so none may say it ended.
      expect(states.filter((s) => !RUNNING_STATES.includes(s!))).toEqual([]);
      expect(ended()).toBe(false);
      expect(await front.client.executionStatus(id)).toBe('RUNNING');
      return states;
    };

    // As the run starts: the stream has just said the task exists.
    await untilStreamed('the first event', () => streamed.length > 0);
    const id = taskOf(streamed[0]!).id;
    await wave(id);

    // During a turn: a reply has just come (after the first wave), the next one is being written.
    const replies = () => streamed.filter((e) => e.payload?.$case === 'statusUpdate' && !!e.payload.value.status?.message).length;
    const before = replies();
    await untilStreamed('a reply after the first wave', () => replies() > before);
    const duringTurn = await wave(id);
    expect(duringTurn.every((s) => s === TaskState.TASK_STATE_WORKING)).toBe(true);

    // And the run goes on to its end.
    await within(60_000, 'the run to its end', streaming);
    expect(stateOf(streamed.at(-1)!)).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(front.queriesOf(id)).toEqual([]);
    // Its steps have bounds of their own (the run's end: a minute); Jest's whole-test minute was
    // the first to run out when the machine was busy, with every answer still right.
  }, 180_000);

  test('with no worker on the task queue, GetTask answers the task as submitted', async () => {
    const front = await startFrontEnd([steadyTeam()], uniqueTaskQueue('no-worker'));
    fronts.push(front);
    const client = await clientOver('JSONRPC', front.server.teamUrls.steady!);
    const started = asTask(await client.sendMessage(sendParams(userMessage('Anyone there?'), { returnImmediately: true })));
    leftWaiting.push({ front, id: started.id });
    expect(started.status?.state).toBe(TaskState.TASK_STATE_SUBMITTED);

    const task = await within(20_000, 'GetTask', client.getTask({ tenant: '', id: started.id, historyLength: undefined }));
    expect(task.id).toBe(started.id);
    expect(task.contextId).toBe(started.contextId);
    expect(task.status?.state).toBe(TaskState.TASK_STATE_SUBMITTED);
    expect(front.queriesOf(started.id)).toEqual([]);
  });

  test('a run waiting on a person, its worker stopped: GetTask and ListTasks say input-required, with the question', async () => {
    const { worker, front } = await workerAndFrontEnd([approvalTeam()]);
    const client = await clientOver('JSONRPC', front.server.teamUrls['review-approval']!);
    const asked = asTask(await client.sendMessage(sendParams(userMessage('Write a note.'))));
    expect(asked.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const request = asked.status?.message?.parts.find((p) => p.content?.$case === 'data')?.content?.value as { requestId: string };
    expect(request.requestId).toEqual(expect.any(String));
    leftWaiting.push({ front, id: asked.id });
    await worker.stop();
    const queriesBefore = front.queriesOf(asked.id).length;

    const task = await within(20_000, 'GetTask', client.getTask({ tenant: '', id: asked.id, historyLength: undefined }));
    expect(task.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const parts = task.status?.message?.parts ?? [];
    const text = parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');
    expect(text).toBe('The reviewer approved the draft above. Publish it?');
    expect(parts.find((p) => p.content?.$case === 'data')?.content?.value).toEqual(
      expect.objectContaining({ requestId: request.requestId, kind: 'approval', accepts: ['approve', 'reject', 'request_changes'] }),
    );

    // Listing reads Temporal's visibility store, which catches up with a new run shortly after it starts.
    let listed: Task | undefined;
    await until(async () => {
      listed = (await client.listTasks(LIST_ALL)).tasks.find((t) => t.id === asked.id);
      return listed !== undefined;
    }, 'the task in ListTasks');
    expect(listed!.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(front.queriesOf(asked.id).slice(queriesBefore)).toEqual([]);
  });
});
