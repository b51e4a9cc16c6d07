import { TaskState, type ListTasksRequest } from '@a2a-js/sdk';
import { ClientFactory } from '@a2a-js/sdk/client';
import { Client, Connection } from '@temporalio/client';
import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';
import { temporal } from '@temporalio/proto';
import { startA2AServer, type A2AServer } from '../../src/server/server';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { TeamClient } from '../../src/client/team-client';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { CliProcess, runCli, temporalFlags } from '../cli/cli-helpers';
import { REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';
import { sendParams, userMessage } from '../a2a/a2a-env';
import { secretBox } from '../../src/secrets/sealed';

/**
 * No read waits on the workflow: with the worker frozen (SIGSTOP) in the middle of a workflow
 * task, every reader still answers the run's real state, and the front end asks the workflow
 * nothing (QueryWorkflow is counted on its own gRPC connection). Before the read model, each of
 * these reads was a query that waited for the frozen worker and then answered "no worker".
 */

const QUERY_METHOD = '/temporal.api.workflowservice.v1.WorkflowService/QueryWorkflow';
const { PendingWorkflowTaskState } = temporal.api.enums.v1;

/** Counts the calls of each gRPC method made on a connection. */
function callCounter(): { interceptor: Interceptor; count(method: string): number } {
  const calls = new Map<string, number>();
  return {
    interceptor: (options, nextCall) => {
      const method = options.method_definition.path;
      calls.set(method, (calls.get(method) ?? 0) + 1);
      return new InterceptingCall(nextCall(options));
    },
    count: (method) => calls.get(method) ?? 0,
  };
}

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

async function until<T>(check: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('reads with the worker frozen mid workflow task', () => {
  const taskQueue = uniqueTaskQueue('reads-frozen');
  const counter = callCounter();
  let model: ScriptedModelServer;
  let worker: CliProcess;
  let client: TeamClient;
  let server: A2AServer;

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: { ...REVIEW_SCRIPT, latencyMs: 3_000 } });
    worker = new CliProcess(['worker', ...temporalFlags(taskQueue), '--model-base-url', model.baseUrl, '--log-level', 'WARN'], {
      timeoutMs: 180_000,
    });
    await worker.waitFor('stderr', /worker|polling|ready/i).catch(() => undefined);
    const connection = await Connection.connect({ address: testTemporalAddress(), interceptors: [counter.interceptor] });
    client = new TeamClient(new Client({ connection, namespace: 'default' }), taskQueue);
    server = await startA2AServer({
      teams: [reviewTeam()],
      client,
      port: 0,
      version: '0.0.0-test',
      tokens: null,
      secrets: secretBox('reads-frozen'),
    });
  }, 120_000);

  afterAll(async () => {
    worker?.signal('SIGCONT');
    await server?.close();
    await worker?.stop('SIGKILL');
    await client?.close();
    await model?.close();
  });

  it('answers GetTask, ListTasks, SubscribeToTask, the console and `status` with the real state, asking the workflow nothing', async () => {
    const a2a = await new ClientFactory().createFromUrl(server.teamUrls.review!);
    const sent = (await a2a.sendMessage(sendParams(userMessage('Write a note.'), { returnImmediately: true }))) as { id: string };
    const runId = sent.id;
    // The first reply is recorded, the second model call is in flight: the run is working.
    await until(async () => ((await client.getState(runId)).messageCount >= 2 ? true : null), 'the first reply');
    worker.signal('SIGSTOP');
    // A signal makes a workflow task, which Temporal hands to the frozen worker's open poll: in flight, never finished.
    await client.stop(runId, 'enough');
    const handle = client.client.workflow.getHandle(runId);
    await until(
      async () => (await handle.describe()).raw.pendingWorkflowTask?.state === PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_STARTED,
      'the workflow task in flight at the frozen worker',
    );

    const before = counter.count(QUERY_METHOD);
    const task = await a2a.getTask({ tenant: '', id: runId, historyLength: 10 });
    expect(task.status?.state).toBe(TaskState.TASK_STATE_WORKING);
    expect(task.history.length).toBeGreaterThanOrEqual(2); // the task and the reply on record

    const listed = await a2a.listTasks(listParams({}));
    expect(listed.tasks.find((t) => t.id === runId)?.status?.state).toBe(TaskState.TASK_STATE_WORKING);

    // A subscription opens at once with the task as it stands.
    const gone = new AbortController();
    const subscription = a2a.resubscribeTask({ tenant: '', id: runId }, { signal: gone.signal })[Symbol.asyncIterator]();
    const first = await subscription.next();
    expect(first.done).toBe(false);
    const payload = first.value!.payload!;
    expect(payload.$case).toBe('task');
    expect((payload.value as { status?: { state?: number } }).status?.state).toBe(TaskState.TASK_STATE_WORKING);
    gone.abort();
    await subscription.return?.(undefined).catch(() => undefined);

    const page = await fetch(`${server.url}/console/api/runs/${encodeURIComponent(runId)}`);
    expect(page.status).toBe(200);
    const body = (await page.json()) as { status: string; snapshot: { messageCount: number } | null };
    expect(body.status).toBe('working');
    expect(body.snapshot?.messageCount).toBeGreaterThanOrEqual(2);
    expect(counter.count(QUERY_METHOD)).toBe(before);

    // The CLI in its own process: `status` says working, with the run's turns, and no "no worker" note.
    const status = await runCli(['status', runId, '--json', ...temporalFlags(taskQueue)], { timeoutMs: 60_000 });
    expect(status.code).toBe(0);
    const record = JSON.parse(status.stdout.trim().split('\n')[0]!) as { status: string; turns: number | null };
    expect(record.status).toBe('working');
    expect(record.turns).toBeGreaterThanOrEqual(1);

    // Unfrozen, the worker finishes the task it held and the run ends as asked.
    worker.signal('SIGCONT');
    await client.result(runId);
    expect((await a2a.getTask({ tenant: '', id: runId, historyLength: 0 })).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(counter.count(QUERY_METHOD)).toBe(before);
  }, 180_000);
});
