import { join } from 'node:path';
import type { Task } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { startWorkerProcess } from '../../src/testing/worker-process';
import { ROOT } from '../helpers/teams';
import { sendParams, userMessage } from '../a2a/a2a-env';
import { progressOf, recordedMessageOf, startFrontEnd, taskOf, textOf } from './read-env';

/**
 * Monotonic reads across front-end replicas: two `durable-teams serve` processes on one task
 * queue and store, one worker process. Whatever one replica has shown a client (a state, a
 * message), the other, asked right after, shows too or has gone past it: a client whose calls a
 * load balancer spreads over replicas never sees a task go back in time.
 */

const TEAM_FILE = join(ROOT, 'examples/teams/review.yaml');

/** Nine turns: the reviewer approves the third draft. */
const SCRIPT = {
  agents: {
    researcher: { replies: ['fact one', 'fact two', 'fact three'], latencyMs: 150 },
    writer: { replies: ['draft one', 'draft two', 'draft three'], latencyMs: 150 },
    reviewer: { replies: ['needs work', 'still needs work', 'APPROVED'], latencyMs: 150 },
  },
};

/** Each agent's replies in the order the round robin gives the turns. */
const TURN_TEXTS = [0, 1, 2].flatMap((round) => Object.values(SCRIPT.agents).map((agent) => agent.replies[round]!));
const TURNS = TURN_TEXTS.length;

/** What a replica has shown so far: how far along the task was, and the messages (id → text). */
interface Shown {
  progress: number;
  messages: Map<string, string>;
}

const nothingShown = (): Shown => ({ progress: 0, messages: new Map() });

/** What a task (a GetTask answer, or the Task a stream begins with) shows. */
function shownBy(task: Task): Shown {
  return { progress: progressOf(task.status?.state), messages: new Map(task.history.map((m) => [m.messageId, textOf(m)])) };
}

/** Adds what `more` shows to `shown`. */
function remember(shown: Shown, more: Shown): void {
  shown.progress = Math.max(shown.progress, more.progress);
  for (const [id, text] of more.messages) shown.messages.set(id, text);
}

/** `later` is at `earlier` or past it: no earlier state, no message missing, every message the same. */
function expectAtOrPast(later: Shown, earlier: Shown, what: string): void {
  const missing = [...earlier.messages].find(([id, text]) => later.messages.get(id) !== text);
  const problem =
    later.progress < earlier.progress
      ? `went back from progress ${earlier.progress} to ${later.progress}`
      : missing
        ? `message ${missing[0]} (${JSON.stringify(missing[1])}) is missing or differs`
        : null;
  expect({ what, problem }).toEqual({ what, problem: null });
}

describe('reads across front-end replicas', () => {
  let model: ScriptedModelServer;
  const taskQueue = uniqueTaskQueue('reads-replicas');
  const processes: { stop(): Promise<unknown> }[] = [];
  let a: Client;
  let b: Client;

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: SCRIPT });
    const worker = await startWorkerProcess({ address: testTemporalAddress(), taskQueue, modelBaseUrl: model.baseUrl });
    processes.push({ stop: () => worker.kill('SIGKILL') });
    const [front1, front2] = await Promise.all([
      startFrontEnd(TEAM_FILE, 'review', taskQueue),
      startFrontEnd(TEAM_FILE, 'review', taskQueue),
    ]);
    for (const front of [front1, front2]) processes.push({ stop: () => front.process.stop('SIGKILL') });
    [a, b] = [front1.client, front2.client];
  }, 120_000);
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await model?.close();
  });

  /**
   * What `reader` shows of the task now, by GetTask and by the Task a SubscribeToTask begins
   * with (then closed): each must be at what the stream showed or past it, and at what `reader`
   * itself showed before.
   */
  async function expectReaderCaughtUp(reader: Client, taskId: string, streamed: Shown, before: Shown, when: string): Promise<void> {
    const got = shownBy(await reader.getTask({ tenant: '', id: taskId }));
    expectAtOrPast(got, streamed, `GetTask after the stream showed ${when}`);
    expectAtOrPast(got, before, `GetTask after the stream showed ${when}, against the replica's earlier answers`);
    remember(before, got);

    const gone = new AbortController();
    const subscription = reader.resubscribeTask({ tenant: '', id: taskId }, { signal: gone.signal });
    let subscribed: Shown;
    try {
      const first = await subscription.next();
      const task = first.done ? null : taskOf(first.value);
      expect({ when, first: task ? 'a task' : first.value }).toEqual({ when, first: 'a task' });
      subscribed = shownBy(task!);
    } catch (err) {
      // An ended task takes no subscription: the replica knows it has ended, as far as a task goes.
      if (!/has ended/.test((err as Error).message)) throw err;
      subscribed = { progress: 2, messages: new Map(before.messages) };
    } finally {
      gone.abort();
      await subscription.return(undefined).catch(() => undefined);
    }
    expectAtOrPast(subscribed, streamed, `SubscribeToTask after the stream showed ${when}`);
    expectAtOrPast(subscribed, before, `SubscribeToTask after the stream showed ${when}, against the replica's earlier answers`);
    remember(before, subscribed);
  }

  /** Streams a new task from `streamer`; after each event, `reader` must show at least what the stream has. */
  async function streamAndReadElsewhere(streamer: Client, reader: Client): Promise<{ checks: number; messages: string[] }> {
    const streamed = nothingShown();
    const readerBefore = nothingShown();
    let taskId = '';
    let checks = 0;
    for await (const event of streamer.sendMessageStream(sendParams(userMessage('Write a note.')))) {
      const task = taskOf(event);
      if (task) {
        taskId = task.id;
        remember(streamed, shownBy(task));
      }
      const p = event.payload;
      if (p?.$case === 'statusUpdate') streamed.progress = Math.max(streamed.progress, progressOf(p.value.status?.state));
      const message = recordedMessageOf(event);
      if (message) streamed.messages.set(message.messageId, textOf(message));
      if (p?.$case === 'artifactUpdate') continue; // the final answer repeats a message already shown
      await expectReaderCaughtUp(reader, taskId, streamed, readerBefore, `event ${checks + 1} (${p?.$case})`);
      checks += 1;
    }
    expect(streamed.progress).toBe(2);
    return { checks, messages: [...streamed.messages.values()] };
  }

  it('what one replica streamed, the other shows at once: never an earlier state, never fewer messages', async () => {
    const run = await streamAndReadElsewhere(a, b);
    expect(run.messages).toEqual(['Write a note.', ...TURN_TEXTS]);
    // The task, then at least a status per turn: the reader was checked all along the run.
    expect(run.checks).toBeGreaterThanOrEqual(TURNS + 1);
  });

  it('and the other way round: streamed from the second replica, read from the first', async () => {
    const run = await streamAndReadElsewhere(b, a);
    expect(run.messages).toEqual(['Write a note.', ...TURN_TEXTS]);
    expect(run.checks).toBeGreaterThanOrEqual(TURNS + 1);
  });
});
