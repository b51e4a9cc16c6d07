import { TaskState, type Task } from '@a2a-js/sdk';
import { ClientFactory, type Client } from '@a2a-js/sdk/client';
import { startA2AServer, type A2AServer } from '../../src/server/server';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { a2aError, sendParams, userMessage } from '../a2a/a2a-env';
import { lastRequest, textsOf } from '../context/context-teams';
import { REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';

const texts = (task: Task) => task.history.map((m) => m.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join(''));
const forkFrom = (taskId: string, turn: number) => ({ durableTeams: { forkFrom: { taskId, turn } } });

/**
 * A fork started over A2A (message metadata `durableTeams.forkFrom`): a new task in a new context,
 * with its lineage in its metadata; a follow-up in that context continues the fork. Bad requests
 * are refused naming the field.
 */
describe('forks over A2A', () => {
  let model: ScriptedModelServer;
  let worker: TestWorker;
  let server: A2AServer;
  let client: Client;

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: REVIEW_SCRIPT });
    worker = await startTestWorker({ model: { baseUrl: model.baseUrl } });
    server = await startA2AServer({
      teams: [reviewTeam()],
      client: worker.client,
      port: 0,
      version: '0.0.0-test',
      tokens: null,
      secrets: null,
    });
    client = await new ClientFactory().createFromUrl(server.teamUrls.review!);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await worker?.stop();
    await model?.close();
  });

  it('a fork is a new task in a new context that begins with the task first turns; a follow-up goes on from it', async () => {
    const original = (await client.sendMessage(sendParams(userMessage('Write a note.')))) as Task;
    expect(original.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const fork = (await client.sendMessage(
      sendParams(userMessage('Write a longer note.', { metadata: forkFrom(original.id, 3) })),
    )) as Task;
    expect(fork.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(fork.id).not.toBe(original.id);
    expect(fork.contextId).not.toBe(original.contextId);
    expect(fork.metadata).toMatchObject({ forkedFrom: { run: original.id, turn: 3 } });
    const got = await client.getTask({ tenant: '', id: fork.id, historyLength: 10 });
    expect(texts(got)).toEqual(['Write a longer note.', ...texts(original).slice(1, 4), 'fact two', 'draft two', 'APPROVED']);
    // The fork is its context's first task: a follow-up there reads the fork's whole conversation.
    const next = (await client.sendMessage(sendParams(userMessage('And a title?', { contextId: fork.contextId })))) as Task;
    expect(textsOf(lastRequest(model.requests, next.id, 'researcher')).slice(0, 8)).toEqual([...texts(got), 'And a title?']);
  });

  it('refuses a turn past the task, an unknown task and a context given with a fork, naming the field', async () => {
    const original = (await client.sendMessage(sendParams(userMessage('Write a note.')))) as Task;
    const send = (metadata: Record<string, unknown>, extra = {}) =>
      a2aError(client.sendMessage(sendParams(userMessage('Again.', { metadata, ...extra }))));
    expect((await send(forkFrom(original.id, 9))).message).toContain('message.metadata.durableTeams.forkFrom.turn: the run has 6 turns');
    expect((await send(forkFrom('review-nope', 1))).message).toContain(
      'message.metadata.durableTeams.forkFrom.taskId: task review-nope not found',
    );
    expect((await send({ durableTeams: { forkFrom: { taskId: original.id, turn: 'three' } } })).message).toContain(
      'forkFrom.turn must be a whole number',
    );
    expect((await send(forkFrom(original.id, 1), { contextId: original.contextId })).message).toContain(
      'message.contextId: a fork begins a new context',
    );
  });
});
