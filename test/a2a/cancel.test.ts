import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TaskState, type ListTasksRequest, type StreamResponse, type Task } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import { maxMessages, team } from '../../src/spec';
import { eventually } from '../cli/cli-helpers';
import { collect, sendParams, startA2AEnv, userMessage, type A2AEnv, a2aError } from './a2a-env';

/**
 * CancelTask cancels the workflow for real (the model call in flight is aborted, no turn follows),
 * and ListTasks reads the team's tasks from Temporal's visibility store, newest first, in pages.
 */

const suffix = randomBytes(3).toString('hex');

/** alice answers at once; bob takes a minute, so a test can cancel while his turn is in flight. */
const SLOW = `slow-${suffix}`;
const slowTeam = team(SLOW)
  .roundRobin()
  .model({ model: 'scripted' })
  .agent('alice', { description: 'Speaks first.' })
  // A short heartbeat: the activity hears of a cancellation at its next heartbeat, at the latest.
  .agent('bob', { description: 'Speaks second, slowly.', timeouts: { heartbeat: '1s' } })
  .terminateWhen(maxMessages(10))
  .build();

/** A one-turn team of its own name, so the runs of other tests never show in its listings. */
const LISTED = `listed-${suffix}`;
const listedTeam = team(LISTED)
  .roundRobin()
  .model({ model: 'scripted' })
  .agent('scribe', { description: 'Writes it down.' })
  .terminateWhen(maxMessages(2))
  .build();

const SCRIPT = { agents: { alice: ['a1'], bob: { replies: ['b1'], latencyMs: 60_000 }, scribe: ['noted'] } };

const listParams = (params: Partial<ListTasksRequest>): ListTasksRequest => ({
  tenant: '',
  contextId: '',
  status: TaskState.TASK_STATE_UNSPECIFIED,
  pageSize: 50,
  pageToken: '',
  historyLength: 0,
  statusTimestampAfter: undefined,
  includeArtifacts: false,
  ...params,
});

describe('A2A front end: CancelTask and ListTasks', () => {
  let env: A2AEnv;
  beforeAll(async () => {
    env = await startA2AEnv([slowTeam, listedTeam], SCRIPT);
  });
  afterAll(() => env?.stop());

  it('cancels a task while a turn is in flight: canceled, the workflow cancelled, the model call aborted, no turn after', async () => {
    const client = await env.clientFor(SLOW);
    // A stream stays open on the task throughout; it should end with the cancellation.
    const stream = client.sendMessageStream(sendParams(userMessage('Talk.')));
    const first = await stream.next();
    const task = (first.value as StreamResponse).payload!.value as Task;
    const rest = collect(stream);

    // bob's model call has arrived and hangs there.
    const bobCall = () => env.model.requests.find((r) => r.runId === task.id && r.agent === 'bob');
    while (!bobCall()) await sleep(50);

    const canceled = await client.cancelTask({ tenant: '', id: task.id, metadata: undefined });
    expect(canceled.id).toBe(task.id);
    expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    expect(await env.worker.client.executionStatus(task.id)).toBe('CANCELLED');

    const events = await rest;
    const last = events.at(-1)!.payload!;
    expect(last.$case).toBe('statusUpdate');
    expect((last.value as { status: { state: TaskState } }).status.state).toBe(TaskState.TASK_STATE_CANCELED);

    // The run waited for its activity to acknowledge the cancellation (Temporal's default), which
    // it does by aborting the HTTP call: the model server sees bob's client hang up.
    while (!bobCall()!.abandoned) await sleep(50);
    // No turn was scheduled once the cancellation was asked for, and the workflow is closed, so
    // none ever will be: the model saw alice's call and bob's aborted one, no retry, no next turn.
    const history = await env.worker.client.client.workflow.getHandle(task.id).fetchHistory();
    const kinds = (history.events ?? []).map((e) => Object.keys(e).find((k) => k.endsWith('EventAttributes')));
    const cancelAsked = kinds.indexOf('workflowExecutionCancelRequestedEventAttributes');
    expect(cancelAsked).toBeGreaterThan(0);
    // Only the conversation's last records were written to the store (so the transcript stays whole).
    const scheduledAfter = (history.events ?? [])
      .slice(cancelAsked)
      .flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : []));
    expect(scheduledAfter.filter((name) => name !== 'storeRecords')).toEqual([]);
    expect(kinds.at(-1)).toBe('workflowExecutionCanceledEventAttributes');

    // A second cancel finds nothing to cancel: -32002.
    const again = await a2aError(client.cancelTask({ tenant: '', id: task.id, metadata: undefined }));
    expect(again).toMatchObject({ code: -32002, name: 'TaskNotCancelableError' });
    expect(again.message).toMatch(/has already ended \(canceled\)/);
    expect(env.model.requests.filter((r) => r.runId === task.id).map((r) => r.agent)).toEqual(['alice', 'bob']);

    const got = await client.getTask({ tenant: '', id: task.id });
    expect(got.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    expect(got.history.map((m) => m.parts[0]?.content)).toEqual([
      { $case: 'text', value: 'Talk.' },
      { $case: 'text', value: 'a1' },
    ]);
  });

  it('cancelling an unknown task is -32001', async () => {
    const client = await env.clientFor(SLOW);
    expect(await a2aError(client.cancelTask({ tenant: '', id: `${SLOW}-no-such-task`, metadata: undefined }))).toMatchObject({
      code: -32001,
    });
  });

  describe('ListTasks', () => {
    let client: Client;
    const ids: string[] = [];
    const contextA = `ctx-a-${suffix}`;
    const contextB = `ctx-b-${suffix}`;

    beforeAll(async () => {
      client = await env.clientFor(LISTED);
      // One after another, each to its end, so their start times are in this order.
      for (const contextId of [contextA, contextB, contextA]) {
        const task = (await client.sendMessage(sendParams(userMessage('Note it.', { contextId })))) as Task;
        expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
        ids.push(task.id);
      }
      // Temporal's visibility store catches up a moment after a run starts.
      await eventually(async () => expect((await client.listTasks(listParams({}))).totalSize).toBe(3));
    });

    it('pages newest first, one task a page, with nextPageToken', async () => {
      const seen: string[] = [];
      let pageToken = '';
      for (let page = 1; page <= 3; page++) {
        const listed = await client.listTasks(listParams({ pageSize: 1, pageToken }));
        expect(listed.tasks).toHaveLength(1);
        expect(listed).toMatchObject({ pageSize: 1, totalSize: 3 });
        expect(listed.tasks[0]!.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
        seen.push(listed.tasks[0]!.id);
        pageToken = listed.nextPageToken;
        // The last page says there is no more.
        expect(pageToken === '').toBe(page === 3);
      }
      expect(seen).toEqual([...ids].reverse());
    });

    it('filters by contextId', async () => {
      const a = await client.listTasks(listParams({ contextId: contextA }));
      expect(a.tasks.map((t) => t.id)).toEqual([ids[2], ids[0]]);
      expect(a.tasks.every((t) => t.contextId === contextA)).toBe(true);
      expect(a.nextPageToken).toBe('');

      const b = await client.listTasks(listParams({ contextId: contextB }));
      expect(b.tasks.map((t) => t.id)).toEqual([ids[1]]);

      // Paging within a filter: the token carries on where the filtered page ended.
      const firstOfA = await client.listTasks(listParams({ contextId: contextA, pageSize: 1 }));
      expect(firstOfA.tasks.map((t) => t.id)).toEqual([ids[2]]);
      const secondOfA = await client.listTasks(listParams({ contextId: contextA, pageSize: 1, pageToken: firstOfA.nextPageToken }));
      expect(secondOfA.tasks.map((t) => t.id)).toEqual([ids[0]]);
      expect(secondOfA.nextPageToken).toBe('');

      expect((await client.listTasks(listParams({ contextId: `ctx-none-${suffix}` }))).tasks).toEqual([]);
    });
  });
});
