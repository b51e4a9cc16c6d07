import { randomUUID } from 'node:crypto';
import { TaskState, type ListTasksRequest } from '@a2a-js/sdk';
import { listTeamTasks } from '../../src/a2a/task-listing';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { TeamClient } from '../../src/client/team-client';
import { RUN_SEARCH_ATTRIBUTES } from '../../src/visibility/run-attributes';
import { REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';
import { nextRequest, until } from '../helpers/waiting';

/** The review team, with a person's approval before it completes. */
const approvalTeam = () => ({ ...reviewTeam(), approval: { prompt: 'Publish the draft?' } });

const request = (params: Partial<ListTasksRequest>): ListTasksRequest =>
  ({
    tenant: '',
    contextId: '',
    status: TaskState.TASK_STATE_UNSPECIFIED,
    pageToken: '',
    statusTimestampAfter: undefined,
    ...params,
  }) as ListTasksRequest;

/**
 * The run search attributes (issue 19, part 3) on the real dev server, which registers them as it
 * starts: runs carry them and keep them current, listings filter and page through them, and runs
 * begun without them (by a client that does not use them, as every client before them) still list.
 */
describe('runs found through their search attributes', () => {
  let model: ScriptedModelServer;
  let env: TestWorker;
  let legacy: TeamClient;

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: REVIEW_SCRIPT });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl } });
    legacy = await TeamClient.connect({ address: env.address, namespace: 'default', taskQueue: env.taskQueue, searchAttributes: false });
  });
  afterAll(async () => {
    await legacy?.close();
    await env?.stop();
    await model?.close();
  });

  it('a run starts with its attributes and keeps its state and waiting flag current', async () => {
    expect(await env.client.searchAttributes.registered()).toBe(true);
    const contextId = `ctx-${randomUUID()}`;
    const runId = await env.client.start(approvalTeam(), 'Write a note.', { contextId, startedBy: { token: 'alice' } });
    await nextRequest(env.client, runId);
    const attributes = async () => (await env.client.client.workflow.getHandle(runId).describe()).typedSearchAttributes;
    await until(async () => (await attributes()).get(RUN_SEARCH_ATTRIBUTES.waiting) === true, 'the waiting flag');
    const waiting = await attributes();
    expect(waiting.get(RUN_SEARCH_ATTRIBUTES.team)).toBe('review');
    expect(waiting.get(RUN_SEARCH_ATTRIBUTES.contextId)).toBe(contextId);
    expect(waiting.get(RUN_SEARCH_ATTRIBUTES.state)).toBe('input-required');
    expect(waiting.get(RUN_SEARCH_ATTRIBUTES.startedBy)).toBe('token:alice');

    await env.client.answer(runId, { action: 'approve', by: 'ana' });
    await env.client.result(runId);
    const done = await attributes();
    expect(done.get(RUN_SEARCH_ATTRIBUTES.state)).toBe('completed');
    expect(done.get(RUN_SEARCH_ATTRIBUTES.waiting)).toBe(false);
  });

  it('a run that continues as new keeps its attributes in each execution', async () => {
    const contextId = `ctx-${randomUUID()}`;
    const runId = await env.client.start(reviewTeam(), 'Write a note.', { contextId, options: { continueAsNewAfterTurns: 2 } });
    await env.client.result(runId);
    const handle = env.client.client.workflow.getHandle(runId);
    const described = await handle.describe();
    expect(described.runId).not.toBe(described.raw.workflowExecutionInfo?.firstRunId); // it did continue as new
    expect(described.typedSearchAttributes.get(RUN_SEARCH_ATTRIBUTES.team)).toBe('review');
    expect(described.typedSearchAttributes.get(RUN_SEARCH_ATTRIBUTES.contextId)).toBe(contextId);
    expect(described.typedSearchAttributes.get(RUN_SEARCH_ATTRIBUTES.state)).toBe('completed');
  });

  it('ListTasks filters by context, state and owner and pages through visibility; old runs without attributes still list', async () => {
    const contextId = `ctx-${randomUUID()}`;
    const start = (client: TeamClient, token: string) => client.start(approvalTeam(), 'Write a note.', { contextId, startedBy: { token } });
    const indexed = [await start(env.client, 'alice'), await start(env.client, 'alice'), await start(env.client, 'bob')];
    const old = await start(legacy, 'alice'); // as a client before the attributes would start it
    for (const runId of [...indexed, old]) await nextRequest(env.client, runId);
    const all = [...indexed, old];
    expect((await legacy.client.workflow.getHandle(old).describe()).typedSearchAttributes.get(RUN_SEARCH_ATTRIBUTES.team)).toBeUndefined();
    expect(await env.client.searchAttributes.queryMode()).toBe('indexed+memo');

    // By context: all four, the old one found by its memo; visibility may lag a moment behind.
    const byContext = () => listTeamTasks(env.client, 'review', request({ contextId }), new Set());
    await until(async () => (await byContext()).totalSize === 4, 'visibility to list the four runs');
    expect((await byContext()).tasks.map((t) => t.id).sort()).toEqual([...all].sort());

    // By state: waiting, all four; completed, none yet.
    const waiting = await listTeamTasks(
      env.client,
      'review',
      request({ contextId, status: TaskState.TASK_STATE_INPUT_REQUIRED }),
      new Set(),
    );
    expect(waiting.totalSize).toBe(4);
    const completed = await listTeamTasks(env.client, 'review', request({ contextId, status: TaskState.TASK_STATE_COMPLETED }), new Set());
    expect(completed).toMatchObject({ totalSize: 0, tasks: [], nextPageToken: '' });

    // Owner: alice sees her three (one old), bob his one.
    const alices = await listTeamTasks(env.client, 'review', request({ contextId }), new Set(), 'alice');
    expect(alices.tasks.map((t) => t.id).sort()).toEqual([indexed[0], indexed[1], old].sort());
    expect(alices.totalSize).toBe(3);
    const bobs = await listTeamTasks(env.client, 'review', request({ contextId }), new Set(), 'bob');
    expect(bobs.tasks.map((t) => t.id)).toEqual([indexed[2]]);

    // Pages of one: each run once, then no token.
    const seen: string[] = [];
    let pageToken = '';
    do {
      const page = await listTeamTasks(env.client, 'review', request({ contextId, pageSize: 1, pageToken }), new Set());
      expect(page.tasks.length).toBeLessThanOrEqual(1);
      seen.push(...page.tasks.map((t) => t.id));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen.sort()).toEqual([...all].sort());

    // A client that does not use the attributes lists the same runs by memo.
    const byMemo = await listTeamTasks(legacy, 'review', request({ contextId }), new Set());
    expect(byMemo.tasks.map((t) => t.id).sort()).toEqual([...all].sort());

    // `list --waiting` through the attributes finds the waiting runs too.
    const listed = await env.client.list({ waiting: true, limit: 1_000 });
    expect(listed.map((r) => r.runId)).toEqual(expect.arrayContaining(all));

    for (const runId of all) await env.client.answer(runId, { action: 'approve', by: 'ana' });
    for (const runId of all) await env.client.result(runId);
    await until(
      async () =>
        (await listTeamTasks(env.client, 'review', request({ contextId, status: TaskState.TASK_STATE_COMPLETED }), new Set())).totalSize ===
        4,
      'the four runs listed as completed',
    );
  });
});
