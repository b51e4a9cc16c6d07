import { TaskState, type Task } from '@a2a-js/sdk';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { maxMessages, team } from '../../src/spec';
import type { FailedAttempt } from '../../src/core/failed-attempt';
import { runCli, temporalFlags } from '../cli/cli-helpers';
import { sendParams, startA2AEnv, userMessage, type A2AEnv } from '../a2a/a2a-env';
import { FAST_RETRY } from '../helpers/teams';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { ConversationStore } from '../../src/store/conversation-store';
import { FileBackend } from '../../src/store/file-backend';
import type { StoreBackend, StoredBody } from '../../src/store/backend';
import { StoreOperationError } from '../../src/store/errors';

/**
 * A model call that fails twice, for two different reasons, then answers. Temporal's history keeps
 * neither failure as an event of its own (ActivityTaskFailed is written only once retries are
 * spent), and of the two only the last, inside the started event: why the first attempt failed
 * is nowhere in it. The worker notes each failed attempt in the store, and every reader shows them.
 */

const { EventType } = temporal.api.enums.v1;

const SCRIPT = {
  agents: { writer: ['the note'] },
  // Every rule counts every call of the writer's: call 1 answers 500, call 2 answers 429, call 3 the note.
  failures: [
    { status: 500, agent: 'writer', firstCalls: 1, message: 'the model server fell over' },
    { status: 429, agent: 'writer', firstCalls: 2, message: 'too many requests for now' },
  ],
};

const soloTeam = (name: string, agent: string) =>
  team(name)
    .roundRobin()
    .model({ model: 'scripted' })
    .agent(agent, { description: 'Writes notes.', retry: FAST_RETRY })
    .terminateWhen(maxMessages(2))
    .build();

const flakyTeam = soloTeam('flaky', 'writer');

const failedAttemptsOf = (task: Task) => (task.metadata?.durableTeams as { failedAttempts?: FailedAttempt[] } | undefined)?.failedAttempts;

describe('why each attempt of a step failed', () => {
  let env: A2AEnv;

  beforeAll(async () => {
    env = await startA2AEnv([flakyTeam], SCRIPT);
  }, 120_000);
  afterAll(async () => {
    await env?.stop();
  });

  it('is kept for every attempt, in order, and shown by attempts(), status, GetTask and the console', async () => {
    const a2a = await env.clientFor('flaky');
    const sent = (await a2a.sendMessage(sendParams(userMessage('Write a note.')))) as Task;
    expect(sent.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const runId = sent.id;
    const client = env.worker.client;

    const attempts = await client.attempts(runId);
    expect(attempts.map(({ activity, attempt, errorType }) => ({ activity, attempt, errorType }))).toEqual([
      { activity: 'agentTurn', attempt: 1, errorType: 'ModelInvocationError.ServerError' },
      { activity: 'agentTurn', attempt: 2, errorType: 'ModelInvocationError.RateLimit' },
    ]);
    expect(attempts[0]!.message).toMatch(/answered 500: the model server fell over/);
    expect(attempts[1]!.message).toMatch(/answered 429: too many requests for now/);
    expect(attempts[0]!.activityId).toBe(attempts[1]!.activityId); // two attempts of one step
    expect(Date.parse(attempts[0]!.at)).toBeLessThanOrEqual(Date.parse(attempts[1]!.at));

    // Temporal's history: no ActivityTaskFailed, the step started on its third attempt, and only
    // the last failure (inside that started event) — the first attempt's reason is nowhere.
    const history = await client.client.workflow.getHandle(runId).fetchHistory();
    const events = history.events ?? [];
    expect(events.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED)).toEqual([]);
    const started = events.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED);
    expect(started.map((e) => e.activityTaskStartedEventAttributes?.attempt)).toContain(3);
    const text = historyToJSON(history);
    expect(text).toContain('too many requests for now');
    expect(text).not.toContain('the model server fell over');

    // `status` in its own process, from the store: the JSON record and the text.
    const json = await runCli(['status', runId, '--json', ...temporalFlags(env.worker.taskQueue)], { timeoutMs: 60_000 });
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout.trim().split('\n')[0]!) as { attempts: FailedAttempt[] }).attempts).toEqual(attempts);
    const shown = await runCli(['status', runId, ...temporalFlags(env.worker.taskQueue)], { timeoutMs: 60_000 });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(
      /failed attempts: 2\n.*agentTurn .* attempt 1: ModelInvocationError\.ServerError\n.*the model server fell over/,
    );
    expect(shown.stdout).toMatch(/attempt 2: ModelInvocationError\.RateLimit\n.*too many requests for now/);

    // GetTask, through the SDK's own client.
    const task = await a2a.getTask({ tenant: '', id: runId, historyLength: 0 });
    expect(failedAttemptsOf(task)).toEqual(attempts);

    // The console's run page.
    const page = await fetch(`${env.server.url}/console/api/runs/${encodeURIComponent(runId)}`);
    expect(page.status).toBe(200);
    expect(((await page.json()) as { attempts: FailedAttempt[] }).attempts).toEqual(attempts);
  }, 120_000);

  it('leaves a run whose steps never failed as it was: no failedAttempts in its task', async () => {
    const a2a = await env.clientFor('flaky');
    // The failure rules have fired out: this run's first call answers.
    const sent = (await a2a.sendMessage(sendParams(userMessage('Another note.')))) as Task;
    expect(sent.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(await env.worker.client.attempts(sent.id)).toEqual([]);
    const task = await a2a.getTask({ tenant: '', id: sent.id, historyLength: 0 });
    expect(task.metadata?.team).toBe('flaky');
    expect(failedAttemptsOf(task)).toBeUndefined();
  }, 60_000);
});

/** The suite's folder store, except that it refuses (or never answers) the notes of failed attempts. */
class NoteRefusingBackend implements StoreBackend {
  mode: 'refuse' | 'hang' = 'refuse';
  constructor(private readonly inner: FileBackend) {}
  get location() {
    return this.inner.location;
  }
  async putBodies(bodies: StoredBody[]) {
    if (bodies.some((b) => b.key.includes('/failed-attempt/'))) {
      if (this.mode === 'hang') return new Promise<void>(() => undefined);
      throw new StoreOperationError(this.location, 'writing bodies', 'the disk is full');
    }
    return this.inner.putBodies(bodies);
  }
  getBodies = (keys: string[]) => this.inner.getBodies(keys);
  putRecords: StoreBackend['putRecords'] = (runId, records) => this.inner.putRecords(runId, records);
  getRecords: StoreBackend['getRecords'] = (runId, from, to) => this.inner.getRecords(runId, from, to);
  deleteRuns = (runIds: string[]) => this.inner.deleteRuns(runIds);
  listRuns: StoreBackend['listRuns'] = (options) => this.inner.listRuns(options);
  close = () => this.inner.close();
}

describe('a store that cannot take the note of a failed attempt', () => {
  let model: ScriptedModelServer;
  let backend: NoteRefusingBackend;
  let worker: TestWorker;

  beforeAll(async () => {
    model = await startScriptedModelServer({
      script: {
        agents: { locked: ['never said'], slowpoke: ['said at last'] },
        failures: [
          { status: 401, agent: 'locked', message: 'that key is no good' },
          { status: 500, agent: 'slowpoke', firstCalls: 1 },
        ],
      },
    });
    backend = new NoteRefusingBackend(await FileBackend.open(process.env.DURABLE_TEAMS_STORE!));
    worker = await startTestWorker({ model: { baseUrl: model.baseUrl }, store: new ConversationStore(backend) });
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await model?.close();
  });

  it('fails the step with its own error, unchanged, when the store refuses the note', async () => {
    backend.mode = 'refuse';
    const runId = await worker.client.start(soloTeam('locked-out', 'locked'), 'Write a note.');
    await expect(worker.client.result(runId)).rejects.toThrow(/failed/);
    const events = (await worker.client.client.workflow.getHandle(runId).fetchHistory()).events ?? [];
    const failed = events.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED);
    expect(failed).toHaveLength(1);
    const failure = failed[0]!.activityTaskFailedEventAttributes!.failure!;
    expect(failure.applicationFailureInfo?.type).toBe('ModelInvocationError.Unauthorized');
    expect(failure.message).toMatch(/answered 401: that key is no good$/);
    expect(await worker.client.attempts(runId)).toEqual([]);
  }, 60_000);

  it('retries the step all the same when the store never answers', async () => {
    backend.mode = 'hang';
    const runId = await worker.client.start(soloTeam('patient', 'slowpoke'), 'Write a note.');
    const result = await worker.client.result(runId);
    expect(result.snapshot.status).toBe('completed');
    expect(result.messages.at(-1)?.content).toBe('said at last');
    // The first attempt's own failure was reported (history keeps it in the next attempt's start), not a timeout of a stuck attempt.
    const events = (await worker.client.client.workflow.getHandle(runId).fetchHistory()).events ?? [];
    const started = events.find((e) => e.activityTaskStartedEventAttributes?.attempt === 2)?.activityTaskStartedEventAttributes;
    expect(started?.lastFailure?.applicationFailureInfo?.type).toBe('ModelInvocationError.ServerError');
    expect(started?.lastFailure?.message).toMatch(/answered 500/);
  }, 60_000);
});
