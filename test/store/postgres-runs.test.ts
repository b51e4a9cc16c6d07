import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { MessageBody } from '../../src/core/messages';
import { anyOf, maxMessages, team, textMention } from '../../src/spec';
import { ConversationStore } from '../../src/store/conversation-store';
import { StoreSite } from '../../src/site/store-site';
import { unsealBytes } from '../../src/store/sealing';
import { RunEndedError } from '../../src/temporal/errors';
import { startPostgres, type TestPostgres } from '../../src/testing/postgres';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { REVIEW_SCRIPT, REVIEW_TURNS, reviewTeam } from '../helpers/teams';
import { nextRequest, untilEvent } from '../helpers/waiting';

/**
 * Team runs whose conversations live in a real PostgreSQL: a run completes whole, and a run
 * survives PostgreSQL going away mid-run (the turn in flight waits for it) with no turn lost and
 * none repeated.
 */
describe('team runs with the conversation store in PostgreSQL', () => {
  let postgres: TestPostgres;
  let model: ScriptedModelServer;
  let store: ConversationStore;
  let env: TestWorker;

  beforeAll(async () => {
    postgres = await startPostgres();
    // Some latency, so that a run is still going when PostgreSQL is stopped under it.
    model = await startScriptedModelServer({ script: { ...REVIEW_SCRIPT, latencyMs: 300 } });
    store = new ConversationStore(await StoreSite.of(postgres.url).openConversations());
    env = await startTestWorker({ model: { baseUrl: model.baseUrl }, store });
  }, 120_000);
  afterAll(async () => {
    await env?.stop();
    await store?.close();
    await model?.close();
    await postgres?.destroy();
  }, 60_000);
  beforeEach(() => model.reset());

  /** The run's whole transcript, checked: the task, then each scripted reply once, in order. */
  async function expectWholeRun(runId: string, task: string): Promise<void> {
    const result = await env.client.result(runId);
    expect(result.snapshot).toMatchObject({ status: 'completed', turns: 6 });
    expect(result.messages.map((m) => m.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(result.messages.map((m) => [m.source, m.content])).toEqual([['user', task], ...REVIEW_TURNS]);
    // Read back from the store as another reader would: the same seven messages.
    const page = await env.client.transcript(runId, 0, 100);
    expect(page.messages.map((m) => [m.source, m.content])).toEqual([['user', task], ...REVIEW_TURNS]);
    expect(page.total).toBe(7);
  }

  it('a round-robin run completes and its transcript is whole, read from PostgreSQL', async () => {
    const runId = await env.client.start(reviewTeam(), 'Write a note.');
    await expectWholeRun(runId, 'Write a note.');
    // The text is in PostgreSQL: the run's records and bodies are there.
    const stored = await store.read(runId, 0, 100);
    expect(stored.map((m) => m.content)).toEqual(['Write a note.', ...REVIEW_TURNS.map(([, content]) => content)]);
  }, 120_000);

  it('PostgreSQL stopped mid-run: the run waits, and once it is back completes with every message once, in order', async () => {
    const task = 'Write a note while the database restarts.';
    const runId = await env.client.start(reviewTeam(), task);
    await untilEvent(env.client, runId, (e) => e.type === 'message' && e.message.index === 2);
    await postgres.stop();
    try {
      // Long enough for turns to meet the outage; the run must wait, not fail.
      await sleep(4_000);
      expect(await env.client.executionStatus(runId)).toBe('RUNNING');
      // The outage held the run up: a turn reads the conversation before it asks the model.
      expect(model.countRequests()).toBeLessThan(6);
    } finally {
      await postgres.start();
    }
    await expectWholeRun(runId, task);
  }, 180_000);

  it('a body deleted by hand: the turn that needs it fails the run, naming the run and the message, once', async () => {
    // A writer, then a person: the run waits on the editor after the first reply.
    const edited = team('edited')
      .roundRobin()
      .model({ model: 'scripted' })
      .agent('writer', { description: 'Writes drafts.' })
      .human('editor', { description: 'A person who edits.', prompt: 'Edit the draft, or say DONE.' })
      .terminateWhen(anyOf(textMention('DONE', { sources: ['editor'] }), maxMessages(9)))
      .build();
    const runId = await env.client.start(edited, 'Write a note.');
    await nextRequest(env.client, runId);

    // The first reply's body, found by what it says, deleted behind the store's back.
    const db = new Client({ connectionString: postgres.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ key: string; data: Buffer }>('SELECT key, data FROM bodies WHERE run_id = $1', [runId]);
      const bodies = await Promise.all(
        rows.map(async (row) => ({ key: row.key, body: await unsealBytes<MessageBody>(new Uint8Array(row.data)) })),
      );
      const reply = bodies.filter((b) => b.body.content === REVIEW_SCRIPT.agents.writer[0]);
      expect(reply).toHaveLength(1);
      expect((await db.query('DELETE FROM bodies WHERE key = $1', [reply[0]!.key])).rowCount).toBe(1);
    } finally {
      await db.end();
    }

    // A worker that never read the reply (this one keeps what it read in memory): a restarted one.
    const restartedStore = new ConversationStore(await StoreSite.of(postgres.url).openConversations());
    await env.stop();
    env = await startTestWorker({ model: { baseUrl: model.baseUrl }, store: restartedStore, taskQueue: env.taskQueue });
    await store.close();
    store = restartedStore;

    await env.client.answer(runId, { action: 'input', text: 'Shorter, please.' });
    const ended = await env.client.result(runId).then(
      () => null,
      (err: unknown) => err,
    );
    expect(ended).toBeInstanceOf(RunEndedError);
    expect((ended as RunEndedError).status).toBe('failed');
    const state = await env.client.getState(runId);
    expect(state.status).toBe('failed');
    expect(state.error?.type).toBe('MissingBody');
    expect(state.error?.message).toContain(`run "${runId}": message 1 is not in the conversation store`);
    expect(await env.client.executionStatus(runId)).not.toBe('RUNNING');
  }, 120_000);
});
