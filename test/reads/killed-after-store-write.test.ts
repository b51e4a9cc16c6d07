import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TaskState, type StreamResponse, type Task } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import { Client as PgClient } from 'pg';
import type { MessageBody } from '../../src/core/messages';
import { unsealBytes } from '../../src/store/sealing';
import { startPostgres, type TestPostgres } from '../../src/testing/postgres';
import { startScriptedModelServer, type ScriptedModelServer, type ScriptInput } from '../../src/testing/scripted-model';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { startWorkerProcess, type WorkerProcess } from '../../src/testing/worker-process';
import { jsonLines, runCli, temporalFlags } from '../cli/cli-helpers';
import { ROOT } from '../helpers/teams';
import { until } from '../helpers/waiting';
import { sendParams, userMessage } from '../a2a/a2a-env';
import { progressOf, recordedMessageOf, startFrontEnd, taskOf, textOf } from './read-env';
import { startSilentNetwork, type SilentNetwork } from './silent-network';

/**
 * A worker dies after its model call's reply is in the store but before Temporal heard the call
 * end. The call runs again on another worker, which finds the turn's answer kept beside the reply
 * and does not ask its model again (a turn is paid once: src/steps/agent-turn.ts). That reply is
 * the turn's, recorded once; no reader shows it as said before it is recorded, not a stream held
 * open across the crash, not GetTask asked all along; its preview is the one written before the
 * kill, never written again.
 *
 * The moment is made, not raced: the first worker reaches Temporal through a relay that goes
 * silent while the writer's model is still thinking, so the worker writes the reply to the store
 * and then cannot report it; the test sees the body in the store and kills the worker.
 */

const TEAM_FILE = join(ROOT, 'examples/teams/review.yaml');
const words = (name: string, count: number) => Array.from({ length: count }, (_, i) => `${name}${i}`).join(' ');
/** The first worker's model's reply, written to the store before the kill. */
const ANSWERED = words('answered', 20);
/** What the second worker's model would say: it is never asked. */
const UNASKED = words('unasked', 20);

/** The review team's script, the writer answering `draft`, streamed piece by piece. */
const scriptWith = (draft: string, writerLatencyMs: number): ScriptInput => ({
  agents: {
    researcher: { replies: ['fact one'], latencyMs: 500 },
    writer: { replies: [draft], latencyMs: writerLatencyMs, tokenDelayMs: 30 },
    reviewer: ['APPROVED'],
  },
});

type Draft = { at: number; attempt: number; text: string; append: boolean; reset: boolean };

/** The writer's draft artifact chunks of a stream, with their place in it. */
function writerDrafts(events: StreamResponse[]): Draft[] {
  return events.flatMap((event, at) => {
    const p = event.payload;
    if (p?.$case !== 'artifactUpdate' || !p.value.artifact?.artifactId.startsWith('draft-')) return [];
    const meta = p.value.artifact.metadata as { durableTeams?: { draft?: { agent: string; attempt: number; reset?: string } } } | undefined;
    const draft = meta?.durableTeams?.draft;
    if (draft?.agent !== 'writer') return [];
    const text = p.value.artifact.parts.map((part) => (part.content?.$case === 'text' ? part.content.value : '')).join('');
    return [{ at, attempt: draft.attempt, text, append: p.value.append, reset: draft.reset !== undefined }];
  });
}

/** What a GetTask answer shows as said: its history and its status message. */
const saidIn = (task: Task): string[] => [...task.history.map(textOf), textOf(task.status?.message)];

/** What a stream event shows as said: a status update's message, or the history of the task it begins with. */
const saidInEvent = (event: StreamResponse): string => {
  const task = taskOf(event);
  return task ? saidIn(task).join('\n') : textOf(recordedMessageOf(event) ?? undefined);
};

describe('a worker killed after a reply is in the store, before its call ended', () => {
  let postgres: TestPostgres;
  let pg: PgClient;
  let first: ScriptedModelServer;
  let second: ScriptedModelServer;
  let network: SilentNetwork;
  const taskQueue = uniqueTaskQueue('reads-killed');
  const processes: { stop(): Promise<unknown> }[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    postgres = await startPostgres();
    // PostgreSQL: the live previews reach the front end from the worker's process (LISTEN/NOTIFY).
    env = { DURABLE_TEAMS_STORE: postgres.url };
    pg = new PgClient({ connectionString: postgres.url });
    await pg.connect();
    // The first worker's model: the writer thinks long enough for the network to go silent meanwhile.
    first = await startScriptedModelServer({ script: scriptWith(ANSWERED, 1_500) });
    second = await startScriptedModelServer({ script: scriptWith(UNASKED, 0) });
    network = await startSilentNetwork(testTemporalAddress());
  }, 120_000);
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await network?.close();
    await Promise.all([first?.close(), second?.close()]);
    await pg?.end();
    await postgres?.destroy();
  }, 60_000);

  const worker = async (address: string, model: ScriptedModelServer): Promise<WorkerProcess> => {
    const w = await startWorkerProcess({ address, taskQueue, modelBaseUrl: model.baseUrl, env });
    processes.push({ stop: () => w.kill('SIGKILL') });
    return w;
  };

  /** The text of every body the store holds for the run. */
  async function storedTexts(runId: string): Promise<string[]> {
    const { rows } = await pg.query<{ data: Buffer }>('SELECT data FROM bodies WHERE run_id = $1', [runId]);
    return Promise.all(rows.map(async (row) => (await unsealBytes<MessageBody>(new Uint8Array(row.data))).content));
  }

  /** GetTask every ~100 ms until the task ends: every answer, and how many came before `mark()`. */
  function pollTask(client: Client, taskId: string) {
    const answers: Task[] = [];
    let marked = -1;
    const done = (async () => {
      for (let polls = 0; polls < 3_000; polls++) {
        const task = await client.getTask({ tenant: '', id: taskId });
        answers.push(task);
        if (progressOf(task.status?.state) === 2) return;
        await sleep(100);
      }
      throw new Error('the task did not end within 3,000 polls');
    })();
    return { answers, done, mark: () => void (marked = answers.length), marked: () => marked };
  }

  it('the retry takes the reply the killed worker stored, without asking the model again; every reader shows it once, once recorded', async () => {
    const doomed = await worker(network.address, first);
    const front = await startFrontEnd(TEAM_FILE, 'review', taskQueue, env);
    processes.push({ stop: () => front.process.stop('SIGKILL') });
    const client = front.client;
    const started = (await client.sendMessage(sendParams(userMessage('Write a note.'), { returnImmediately: true }))) as Task;
    const taskId = started.id;

    // Readers on the front end from the start: a subscription held open to the end, and GetTask every 100 ms.
    const events: StreamResponse[] = [];
    const streamed = (async () => {
      for await (const event of client.resubscribeTask({ tenant: '', id: taskId })) events.push(event);
    })();
    const polls = pollTask(client, taskId);

    // The writer's model call has begun: the network goes silent before the model answers.
    await until(() => first.requests.some((r) => r.runId === taskId && r.agent === 'writer'), "the writer's model call", 60_000);
    network.silence();
    // The worker streams the reply (the preview) and writes it to the store; Temporal hears nothing of it.
    await until(async () => (await storedTexts(taskId)).includes(ANSWERED), 'the first reply in the store', 30_000);
    await doomed.kill('SIGKILL');
    polls.mark();
    const killedAt = events.length; // the events the stream had carried before the kill

    // Another worker, with a model that answers otherwise, takes the call over once the heartbeat is missed.
    await worker(testTemporalAddress(), second);
    await Promise.all([streamed, polls.done]);

    // The writer's model was asked once: the retry took the answer kept beside the stored reply.
    expect(first.requests.filter((r) => r.runId === taskId).map((r) => r.agent)).toEqual(['researcher', 'writer']);
    expect(second.requests.filter((r) => r.runId === taskId).map((r) => r.agent)).toEqual(['reviewer']);
    expect(await storedTexts(taskId)).toContain(ANSWERED);
    expect(await storedTexts(taskId)).not.toContain(UNASKED);
    const said = ['Write a note.', 'fact one', ANSWERED, 'APPROVED'];

    // GetTask, asked before and after the kill, showed the reply as said only once it was recorded, at its place.
    expect(polls.marked()).toBeGreaterThan(0);
    expect(polls.answers.length).toBeGreaterThan(polls.marked());
    const early = polls.answers
      .slice(0, polls.marked())
      .flatMap((task, i) => (saidIn(task).some((text) => text.includes('answered')) ? [`answer ${i + 1}`] : []));
    expect(early).toEqual([]);
    expect(polls.answers.at(-1)!.history.map(textOf)).toEqual(said);

    // The stream: the task, then each message recorded once.
    const opening = taskOf(events[0]!);
    expect(opening).not.toBeNull();
    const recorded = events.flatMap((e) => {
      const message = recordedMessageOf(e);
      return message && message.messageId.includes('-msg-') ? [message] : [];
    });
    const ids = [...opening!.history, ...recorded].map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...opening!.history, ...recorded].map(textOf)).toEqual(said);
    const last = events.at(-1)!.payload;
    expect(last?.$case === 'statusUpdate' && last.value.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);

    // The preview: the reply as it was written (before the kill), never written again; then the message.
    const drafts = writerDrafts(events);
    expect(
      drafts
        .filter((d) => d.attempt === 1)
        .map((d) => d.text)
        .join(''),
    ).toBe(ANSWERED);
    expect(drafts.every((d) => d.attempt === 1 && d.at < killedAt)).toBe(true);
    const answeredAt = events.findIndex((e) => saidInEvent(e) === ANSWERED);
    expect(answeredAt).toBeGreaterThanOrEqual(killedAt);

    // The transcript, from the store and the run: the reply, once.
    const transcript = await runCli(['transcript', taskId, '--json', ...temporalFlags(taskQueue)], { env, timeoutMs: 60_000 });
    expect(transcript.code).toBe(0);
    expect(jsonLines(transcript.stdout).map((line) => line.content)).toEqual(said);
  }, 170_000);
});
