import { join } from 'node:path';
import { TaskState, type StreamResponse } from '@a2a-js/sdk';
import { ClientFactory, type Client } from '@a2a-js/sdk/client';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startPostgres, type TestPostgres } from '../../src/testing/postgres';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { startWorkerProcess, type WorkerProcess } from '../../src/testing/worker-process';
import { TeamClient } from '../../src/client/team-client';
import { StoreSite } from '../../src/site/store-site';
import { conversationStoreOn } from '../../src/site/default-store';
import { CliProcess, jsonLines, runCli, temporalFlags } from '../cli/cli-helpers';
import { ROOT } from '../helpers/teams';
import { sendParams, userMessage } from '../a2a/a2a-env';
import { draftsOf } from './drafts';

/**
 * Production's shape: workers and front ends are separate processes, with PostgreSQL holding the
 * conversations and carrying the live previews (LISTEN/NOTIFY) between them. The text a worker's
 * model is writing reaches a subscriber on a front end that never ran the call.
 */

const TEAM_FILE = join(ROOT, 'examples/teams/review.yaml');
const words = (name: string, count: number) => Array.from({ length: count }, (_, i) => `${name}${i}`).join(' ');

describe('live previews across processes (PostgreSQL LISTEN/NOTIFY)', () => {
  let postgres: TestPostgres;
  let model: ScriptedModelServer;
  const taskQueue = uniqueTaskQueue('live-procs');
  const processes: { stop(): Promise<unknown> }[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    postgres = await startPostgres();
    env = { DURABLE_TEAMS_STORE: postgres.url };
    model = await startScriptedModelServer({
      script: {
        agents: {
          researcher: { replies: [words('fact', 30)], tokenDelayMs: 40 },
          writer: { replies: [words('draft', 30)], tokenDelayMs: 40 },
          reviewer: { replies: ['APPROVED'], tokenDelayMs: 40 },
        },
      },
    });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await model?.close();
    await postgres?.destroy();
  }, 60_000);

  const worker = async (): Promise<WorkerProcess> => {
    const w = await startWorkerProcess({ address: testTemporalAddress(), taskQueue, modelBaseUrl: model.baseUrl, env });
    processes.push({ stop: () => w.kill('SIGKILL') });
    return w;
  };

  async function frontEnd(): Promise<Client> {
    const process = new CliProcess(['serve', TEAM_FILE, '--port', '0', ...temporalFlags(taskQueue)], { timeoutMs: 300_000, env });
    processes.push({ stop: () => process.stop('SIGKILL') });
    const [, url] = await process.waitFor('stdout', /^review (http:\S+)$/m);
    return new ClientFactory().createFromUrl(url!);
  }

  it('two workers, two front ends: a subscriber on one front end sees the replies written on a worker, for a task started on the other', async () => {
    await Promise.all([worker(), worker()]);
    const [a, b] = await Promise.all([frontEnd(), frontEnd()]);
    const started = await b.sendMessage({
      ...sendParams(userMessage('Write a note.')),
      configuration: { returnImmediately: true } as never,
    });
    const taskId = (started as { id: string }).id;

    const events: StreamResponse[] = [];
    for await (const event of a.resubscribeTask({ tenant: '', id: taskId })) events.push(event);

    const drafts = [...draftsOf(events).values()];
    // Thirty words 40 ms apart: the writer's reply reached front end A in many chunks, whole.
    const draft = drafts.find((d) => d.text === words('draft', 30));
    expect(draft).toBeDefined();
    expect(draft!.chunks).toBeGreaterThan(5);
    const last = events.at(-1)?.payload;
    expect(last?.$case === 'statusUpdate' && last.value.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });

  // A kill, a new worker and a missed heartbeat: on a loaded machine (CI builds a server beside it) more than the default minute.
  it('a worker killed mid-reply: the subscriber sees the preview reset and the reply written again, and the transcript has it once', async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop())); // a fresh start: one worker, one front end
    const first = await worker();
    const front = await frontEnd();
    const stream = front.sendMessageStream(sendParams(userMessage('Write a note.')));
    const events: StreamResponse[] = [];
    let killed = false;
    let taskId = '';
    for await (const event of stream) {
      events.push(event);
      if (event.payload?.$case === 'task') taskId = event.payload.value.id;
      const writing = draftsOf(events);
      const researcher = [...writing.values()].find((d) => d.text.startsWith('fact0') && d.chunks >= 2);
      if (!killed && researcher) {
        killed = true;
        await first.kill('SIGKILL');
        await worker(); // another worker takes the call over once the first one's heartbeat is missed
      }
    }
    expect(killed).toBe(true);
    const drafts = [...draftsOf(events).values()];
    const researcher = drafts.find((d) => d.text === words('fact', 30));
    expect(researcher).toBeDefined();
    expect(researcher!.resets).toBe(1);

    const store = conversationStoreOn(await StoreSite.of(postgres.url).openConversations());
    const client = await TeamClient.connect({ address: testTemporalAddress(), namespace: 'default', taskQueue, store, live: null });
    try {
      const transcript = await client.transcript(taskId);
      expect(transcript.messages.filter((m) => m.content === words('fact', 30))).toHaveLength(1);
      // The call was made twice, and the first attempt is the one that was cut off.
      expect(model.requests.filter((r) => r.runId === taskId && r.agent === 'researcher')).toHaveLength(2);
    } finally {
      await client.close();
      await store.backend.close();
    }
  }, 180_000);

  it('`run --json` and `follow --json` print the text being written as delta lines, before the message they become', async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop()));
    await worker();
    const run = await runCli(['run', TEAM_FILE, 'Write a note.', '--json', '--no-key-check', ...temporalFlags(taskQueue)], {
      env,
      timeoutMs: 120_000,
    });
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    const deltas = lines.filter((l) => l.type === 'live_delta' && l.agent === 'writer');
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.map((l) => l.text).join('')).toBe(words('draft', 30));
    // A preview says who writes what, and nothing of the worker that sent it (once its channel, with the database's URL).
    for (const delta of deltas) expect(Object.keys(delta).sort()).toEqual(['agent', 'attempt', 'call', 'runId', 'text', 'turn', 'type']);
    const message = lines.findIndex((l) => l.type === 'message' && (l.message as { source: string }).source === 'writer');
    expect(message).toBeGreaterThan(lines.indexOf(deltas.at(-1)!));

    // `follow` of a run going on: from its start, the same events and deltas.
    const started = lines.find((l) => l.type === 'started')!.id as string;
    const followed = await runCli(['follow', started, '--json', ...temporalFlags(taskQueue)], { env, timeoutMs: 60_000 });
    expect(followed.code).toBe(0);
    const events = jsonLines(followed.stdout).filter((l) => typeof l.seq === 'number');
    expect(events.map((l) => l.seq)).toEqual(lines.filter((l) => typeof l.seq === 'number').map((l) => l.seq));
  });
});
