import { TaskState } from '@a2a-js/sdk';
import { taskOfReport } from '../../src/a2a/task-view';
import type { ChatMessage } from '../../src/core/messages';
import { ConversationStore } from '../../src/store/conversation-store';
import { StoreSite } from '../../src/site/store-site';
import { pruneStore, runAndOuterRuns, SHARED_BODIES_NOTE } from '../../src/store/prune';
import { startPostgres, type TestPostgres } from '../../src/testing/postgres';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import type { TeamClient } from '../../src/client/team-client';
import { maxMessages, team } from '../../src/spec';
import { waitingTeam } from '../context/context-teams';
import { historyText } from '../helpers/history-text';
import { REVIEW_SCRIPT, REVIEW_TURNS, reviewTeam } from '../helpers/teams';
import { nextRequest } from '../helpers/waiting';

const SCRIPT = {
  agents: { ...REVIEW_SCRIPT.agents, writer: ['draft one', 'draft two', 'draft three'], broken: ['never'] },
  failures: [{ status: 401, agent: 'broken' }],
};
const TASK = 'Write a note on forks.';

/** The transcript as [source, content] pairs, whole. */
async function said(client: TeamClient, runId: string): Promise<string[][]> {
  return (await client.transcript(runId)).messages.map((m: ChatMessage) => [m.source, m.content]);
}

/** The texts of an agent's newest model request in a run, the system prompt left out. */
function seenBy(model: ScriptedModelServer, runId: string, agent: string): { texts: string[]; model: string | null } {
  const request = model.requests.filter((r) => r.runId === runId && r.agent === agent).at(-1);
  if (!request) throw new Error(`no request of ${agent} in ${runId}`);
  const texts = (request.messages as { role: string; content: unknown }[]).filter((m) => m.role !== 'system').map((m) => String(m.content));
  return { texts, model: request.model };
}

/**
 * Forks (issue 18): a new run that begins with the first N turns of another, as edited, and goes
 * on from there; the original stays as it was. On the embedded store and on PostgreSQL.
 */
describe.each(['embedded', 'postgres'] as const)('forks of runs, store %s', (backend) => {
  let postgres: TestPostgres | null = null;
  let store: ConversationStore | undefined;
  let model: ScriptedModelServer;
  let worker: TestWorker;
  let client: TeamClient;

  beforeAll(async () => {
    if (backend === 'postgres') {
      postgres = await startPostgres();
      store = new ConversationStore(await StoreSite.of(postgres.url).openConversations());
    }
    model = await startScriptedModelServer({ script: SCRIPT });
    worker = await startTestWorker({ model: { baseUrl: model.baseUrl }, ...(store ? { store } : {}) });
    client = worker.client;
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await store?.close();
    await model?.close();
    await postgres?.destroy();
  }, 60_000);

  it('a fork at turn 3 of a 6-turn run keeps the task and 3 turns, goes on with the edit, and leaves the original as it was; a fork of it too', async () => {
    const original = await client.start(reviewTeam(), TASK);
    await client.result(original);
    const before = await said(client, original);
    expect(before).toEqual([['user', TASK], ...REVIEW_TURNS]);

    const fork = await client.fork(original, {
      atTurn: 3,
      edits: [{ index: 3, text: 'needs a summary' }],
      agents: [{ agent: 'writer', field: 'model', value: 'writer-model-b' }],
    });
    const result = await client.result(fork);
    expect(result.snapshot).toMatchObject({ status: 'completed', turns: 6, forkedFrom: { run: original, turn: 3 } });
    const forked = await said(client, fork);
    // Its first messages are the original's (the task and turns 1 to 3), message 3 as edited.
    expect(forked.slice(0, 3)).toEqual(before.slice(0, 3));
    expect(forked[3]).toEqual(['reviewer', 'needs a summary']);
    // It went on with turn 4; each agent's next scripted reply shows it saw its own earlier ones.
    expect(forked.slice(4)).toEqual([
      ['researcher', 'fact two'],
      ['writer', 'draft two'],
      ['reviewer', 'APPROVED'],
    ]);
    // The agents saw the conversation as edited, and the writer answered under its new model.
    expect(seenBy(model, fork, 'researcher').texts).toEqual([TASK, 'fact one', 'draft one', 'needs a summary']);
    expect(seenBy(model, fork, 'writer').model).toBe('writer-model-b');
    // The original is untouched.
    expect(await said(client, original)).toEqual(before);
    expect((await client.getState(original)).forkedFrom).toBeUndefined();

    // The kept messages are the fork's own records, pointing at the original's stored bodies.
    const records = await client.store.records(fork);
    const theirs = await client.store.records(original);
    expect(records.slice(0, 3).map((r) => r.ref)).toEqual(theirs.slice(0, 3).map((r) => r.ref));
    expect(records[3]!.ref).not.toBe(theirs[3]!.ref);
    // Its history has none of the kept messages' text: nothing was copied into it.
    const history = await historyText(client, fork);
    for (const text of [TASK, 'fact one', 'draft one', 'needs a summary']) expect(history).not.toContain(text);
    expect(history).toContain('fact two'); // its own turns' replies are there, once, as results

    // Lineage in the memo and A2A: a new task in a new context, with forkedFrom in its metadata.
    const record = await client.report(fork);
    expect(record.forkedFrom).toEqual({ run: original, turn: 3 });
    const task = taskOfReport(record);
    const originalTask = taskOfReport(await client.report(original));
    expect(task.contextId).not.toBe(originalTask.contextId);
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(task.metadata).toMatchObject({ forkedFrom: { run: original, turn: 3 } });
    expect(task.history).toHaveLength(7); // its transcript shows the kept messages as its own

    // A fork of the fork at turn 4 begins with the fork's first 5 messages, edit included.
    const second = await client.fork(fork, { atTurn: 4, task: 'A shorter note.' });
    await client.result(second);
    const again = await said(client, second);
    expect(again.slice(0, 5)).toEqual([['user', 'A shorter note.'], ...forked.slice(1, 5)]);
    expect(again.slice(5)).toEqual([
      ['writer', 'draft two'],
      ['reviewer', 'APPROVED'],
    ]);
    expect((await client.getState(second)).forkedFrom).toEqual({ run: fork, turn: 4 });
    expect((await client.store.records(second))[1]!.ref).toBe(theirs[1]!.ref);
    expect(await said(client, fork)).toEqual(forked);
  });

  it('prune keeps an original and a middle fork while the fork of the fork stays, and deletes all three once it is gone', async () => {
    const original = await client.start(reviewTeam(), TASK);
    await client.result(original);
    const middle = await client.fork(original, { atTurn: 2 });
    await client.result(middle);
    const last = await client.fork(middle, { atTurn: 1 });
    await client.result(last);
    const whole = await said(client, last);
    const theirs = await client.store.records(original);
    // Its kept records point straight at the original's bodies, not the middle fork's.
    expect((await client.store.records(last))[1]!.ref).toBe(theirs[1]!.ref);
    expect(await client.store.runNote(last, SHARED_BODIES_NOTE)).toEqual([middle, original]);

    // Temporal forgets only what the test says; a nested id (a note) is never a workflow.
    const forgotten = new Set<string>();
    const runs = [original, middle, last];
    const isRunGone = async (runId: string) => {
      if (runs.includes(runId)) return forgotten.has(runId);
      return runs.some((run) => runId.startsWith(`${run}/`));
    };
    const ours = (ids: string[]) => ids.filter((id) => runAndOuterRuns(id).some((owner) => runs.includes(owner))).sort();
    const stored = async () => ours((await client.store.backend.listRuns()).map((r) => r.runId));
    const everything = await stored();
    expect(everything).toEqual([original, middle, `${middle}/${SHARED_BODIES_NOTE}`, last, `${last}/${SHARED_BODIES_NOTE}`].sort());

    forgotten.add(original).add(middle);
    const dry = await pruneStore(client.store, { isRunGone, dryRun: true });
    expect(ours(dry.deleted)).toEqual([]);
    expect(ours(dry.kept)).toEqual([original, middle, `${middle}/${SHARED_BODIES_NOTE}`].sort());
    const done = await pruneStore(client.store, { isRunGone });
    expect(ours(done.deleted)).toEqual([]);
    expect(ours(done.kept)).toEqual(ours(dry.kept));
    expect(await stored()).toEqual(everything);
    // Read afresh (no body held in memory): the fork of the fork is whole, the original's bodies there.
    const fresh = new ConversationStore(client.store.backend);
    const read = await fresh.read(last, 0, whole.length);
    expect(read.map((m) => [m.source, m.content])).toEqual(whole);
    expect((await client.store.backend.getBodies([theirs[1]!.ref!])).size).toBe(1);

    forgotten.add(last);
    const dryAll = await pruneStore(client.store, { isRunGone, dryRun: true });
    expect(ours(dryAll.deleted)).toEqual(everything);
    expect(ours(dryAll.kept)).toEqual([]);
    expect(await stored()).toEqual(everything);
    const all = await pruneStore(client.store, { isRunGone });
    expect(ours(all.deleted)).toEqual(everything);
    expect(await stored()).toEqual([]);
    expect((await client.store.backend.getBodies([theirs[1]!.ref!])).size).toBe(0);
  });

  it('forks a run that waits on a person, and the same run once canceled; refuses a turn it has not reached', async () => {
    const team = waitingTeam(`fork-wait-${backend}`);
    const waiting = await client.start(team, 'What is A?');
    await nextRequest(client, waiting);
    // The writer's answer is not on record yet (the next activity would write it): read from the run.
    const fork = await client.fork(waiting, { atTurn: 1 });
    const asked = await nextRequest(client, fork);
    expect(asked.to).toBe('editor');
    expect(await said(client, fork)).toEqual([
      ['user', 'What is A?'],
      ['writer', 'draft one'],
    ]);
    await expect(client.fork(waiting, { atTurn: 2 })).rejects.toThrow('--at-turn 2: the run has 1 turn');

    await client.cancel(waiting);
    await client.result(waiting).catch(() => undefined); // ended, its records stored
    const ofCanceled = await client.fork(waiting, { atTurn: 0 });
    await nextRequest(client, ofCanceled);
    expect(await said(client, ofCanceled)).toEqual([
      ['user', 'What is A?'],
      ['writer', 'draft one'],
    ]);
    expect((await client.getState(ofCanceled)).forkedFrom).toEqual({ run: waiting, turn: 0 });
    await Promise.all([client.cancel(fork), client.cancel(ofCanceled)]);
  });

  it('forks a failed run at its last turn: the fork begins with what the run said before it failed', async () => {
    const failing = team(`fork-failed-${backend}`)
      .roundRobin()
      .model({ model: 'scripted' })
      .agent('writer', { description: 'Writes.' })
      .agent('broken', { description: 'Fails.' })
      .terminateWhen(maxMessages(4))
      .build();
    const failed = await client.start(failing, 'Try.');
    await expect(client.result(failed)).rejects.toThrow();
    expect((await client.getState(failed)).status).toBe('failed');
    const fork = await client.fork(failed, { atTurn: 1 });
    await expect(client.result(fork)).rejects.toThrow(); // the same agent fails again
    expect(await said(client, fork)).toEqual([
      ['user', 'Try.'],
      ['writer', 'draft one'],
    ]);
    expect((await client.getState(fork)).forkedFrom).toEqual({ run: failed, turn: 1 });
  });
});
