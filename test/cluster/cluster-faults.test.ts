import { setTimeout as sleep } from 'node:timers/promises';
import { TaskState, type Message, type Task } from '@a2a-js/sdk';
import { ClientFactory } from '@a2a-js/sdk/client';
import type { ChatMessage } from '../../src/core/messages';
import { anyOf, maxMessages, team, textMention } from '../../src/spec';
import { defaultConversationStore } from '../../src/site/default-store';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTemporalCluster, type TemporalCluster } from '../../src/testing/temporal-cluster';
import { uniqueTaskQueue } from '../../src/testing/temporal-env';
import { startWorkerProcess, type WorkerProcess } from '../../src/testing/worker-process';
import { TeamClient } from '../../src/client/team-client';
import { sendParams, userMessage } from '../a2a/a2a-env';
import { CliProcess, tempDir } from '../cli/cli-helpers';
import { nextRequest, until } from '../helpers/waiting';
import { REVIEW_SCRIPT, REVIEW_TURNS, reviewTeam } from '../helpers/teams';

/**
 * durable-teams on Temporal as production runs it: PostgreSQL, four history shards, and the
 * frontend, history, matching and worker services each a process of its own (see
 * src/testing/temporal-cluster.ts), with the conversation store in the same PostgreSQL. Our own
 * faults (a worker killed, two workers and two front ends) and the cluster's (a history or matching
 * process killed, PostgreSQL restarted) each happen mid-run; every run still completes, every turn
 * once in its transcript.
 */

/** A lost worker is noticed within the heartbeat timeout; short, so the tests are quick. */
const team6 = reviewTeam({ timeouts: { heartbeat: '2s' }, retry: { initialInterval: '100ms', maximumInterval: '1s' } });
const gated = team('gated')
  .roundRobin()
  .model({ model: 'scripted' })
  .agent('writer', { description: 'Writes drafts.' })
  .agent('reviewer', { description: 'Reviews drafts.' })
  .terminateWhen(anyOf(textMention('APPROVED', { sources: ['reviewer'] }), maxMessages(20)))
  .approval({})
  .build();
const SCRIPT = { agents: { ...REVIEW_SCRIPT.agents, reviewer: [...REVIEW_SCRIPT.agents.reviewer, 'APPROVED'] } };

const said = (messages: ChatMessage[]) => messages.map(({ source, content }) => [source, content]);
const textOf = (message: Message): string => message.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');

describe('on a Temporal cluster: PostgreSQL, services as separate processes', () => {
  let cluster: TemporalCluster;
  let model: ScriptedModelServer;
  let client: TeamClient;
  let env: Record<string, string>;
  const taskQueue = uniqueTaskQueue('cluster');
  let workers: WorkerProcess[] = [];

  const startWorker = async () => {
    const worker = await startWorkerProcess({ address: cluster.address, taskQueue, modelBaseUrl: model.baseUrl, env });
    workers.push(worker);
    return worker;
  };
  const firstCallOf = (runId: string) =>
    until(() => model.requests.some((r) => r.runId === runId), `the first model call of ${runId}`, 60_000);
  /** The run completes with the review team's six turns, each once. */
  async function completesWholeAndOnce(runId: string): Promise<void> {
    const result = await client.result(runId);
    expect(result.snapshot.status).toBe('completed');
    expect(said(result.messages)).toEqual([['user', 'Write a note.'], ...REVIEW_TURNS]);
    expect(result.messages.map((m) => m.turn)).toEqual([null, 0, 1, 2, 3, 4, 5]);
  }

  beforeAll(async () => {
    // The quick build: this file breaks a cluster to see what survives, it does not time Temporal.
    cluster = await startTemporalCluster({ build: 'quick' });
    env = { DURABLE_TEAMS_STORE: cluster.postgres.url };
    // Slow replies: time to break something while a model call is in flight.
    model = await startScriptedModelServer({ script: { ...SCRIPT, latencyMs: 400 } });
    client = await TeamClient.connect({
      address: cluster.address,
      namespace: cluster.namespace,
      taskQueue,
      store: defaultConversationStore(undefined, env),
      live: null,
    });
  }, 20 * 60_000); // in CI the quick build may still be compiling when this file starts: it waits for it
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    workers = [];
  });
  afterAll(async () => {
    await client?.close();
    await model?.close();
    await cluster?.stop();
  });

  it('a worker killed with SIGKILL during a model call: another worker finishes the run', async () => {
    const first = await startWorker();
    const runId = await client.start(team6, 'Write a note.');
    await firstCallOf(runId);
    await first.kill('SIGKILL');
    await startWorker();
    await completesWholeAndOnce(runId);
  }, 120_000);

  it('the history service process killed mid-run and started again', async () => {
    await startWorker();
    const runId = await client.start(team6, 'Write a note.');
    await firstCallOf(runId);
    await cluster.kill('history');
    await sleep(1_000);
    await cluster.start('history');
    await completesWholeAndOnce(runId);
  }, 120_000);

  it('the matching service process killed mid-run and started again', async () => {
    await startWorker();
    const runId = await client.start(team6, 'Write a note.');
    await firstCallOf(runId);
    await cluster.kill('matching');
    await sleep(1_000);
    await cluster.start('matching');
    await completesWholeAndOnce(runId);
  }, 120_000);

  it('PostgreSQL restarted mid-run (Temporal and the conversation store both lose their connections)', async () => {
    await startWorker();
    const runId = await client.start(team6, 'Write a note.');
    await firstCallOf(runId);
    await cluster.postgres.restart();
    await completesWholeAndOnce(runId);
  }, 120_000);

  it('an approval asked before a worker restart is answered after it', async () => {
    const first = await startWorker();
    const runId = await client.start(gated, 'Write.');
    const request = await nextRequest(client, runId);
    expect(request).toMatchObject({ kind: 'approval', reason: 'final_approval' });
    await first.kill('SIGKILL');
    await startWorker();
    await client.answer(runId, { action: 'approve', text: 'ship it' });
    const result = await client.result(runId);
    expect(result.snapshot).toMatchObject({ status: 'completed', turns: 4 });
    expect(said(result.messages)).toEqual([
      ['user', 'Write.'],
      ['writer', 'draft one'],
      ['reviewer', 'needs work'],
      ['writer', 'draft two'],
      ['reviewer', 'APPROVED'],
      ['user', 'ship it'],
    ]);
  }, 120_000);

  it('two workers and two front ends: a task sent to one front end is read on the other while the worker calling the model is killed', async () => {
    const dir = tempDir('durable-teams-cluster-');
    const frontEnds: CliProcess[] = [];
    try {
      const teamFile = dir.write('review.json', JSON.stringify(team6));
      const serve = async () => {
        const process = new CliProcess(['serve', teamFile, '--port', '0', '--address', cluster.address, '--task-queue', taskQueue], {
          timeoutMs: 110_000,
          env,
        });
        frontEnds.push(process);
        const [, url] = await process.waitFor('stdout', /^review (http:\S+)$/m);
        return new ClientFactory().createFromUrl(url!);
      };
      const [one, two] = await Promise.all([serve(), serve()]);
      // Each worker calls a model server of its own, so the model logs say which worker holds a call.
      const second = await startScriptedModelServer({ script: { ...SCRIPT, latencyMs: 400 } });
      try {
        const pair = [
          await startWorker(),
          await startWorkerProcess({ address: cluster.address, taskQueue, modelBaseUrl: second.baseUrl, env }),
        ];
        workers.push(pair[1]!);
        const models = [model, second];

        const sent = (await one.sendMessage(sendParams(userMessage('Write a note.'), { returnImmediately: true }))) as Task;
        await until(() => models.some((m) => m.requests.some((r) => r.runId === sent.id)), 'the first model call', 60_000);
        const holder = models.findIndex((m) => m.requests.some((r) => r.runId === sent.id));
        await pair[holder]!.kill('SIGKILL');
        let task = await two.getTask({ tenant: '', id: sent.id, historyLength: 50 });
        while (task.status?.state === TaskState.TASK_STATE_SUBMITTED || task.status?.state === TaskState.TASK_STATE_WORKING) {
          await sleep(250);
          task = await two.getTask({ tenant: '', id: sent.id, historyLength: 50 });
        }
        expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
        expect(task.history.map(textOf)).toEqual(['Write a note.', ...REVIEW_TURNS.map(([, content]) => content)]);
        expect(await one.getTask({ tenant: '', id: sent.id, historyLength: 50 })).toEqual(task);
        await completesWholeAndOnce(sent.id);
        // The survivor made the killed worker's call again.
        expect(models[1 - holder]!.requests.some((r) => r.runId === sent.id)).toBe(true);
      } finally {
        await second.close();
      }
    } finally {
      await Promise.all(frontEnds.map((p) => p.stop('SIGTERM')));
      dir.remove();
    }
  }, 120_000);
});
