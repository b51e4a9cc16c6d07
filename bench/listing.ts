import { TaskState, type ListTasksRequest } from '@a2a-js/sdk';
import { ClientFactory } from '@a2a-js/sdk/client';
import { startA2AServer } from '../src/server/server';
import { listTeamTasks } from '../src/a2a/task-listing';
import { defaultConversationStore } from '../src/site/default-store';
import { startScriptedModelServer } from '../src/testing/scripted-model';
import { SEARCH_ATTRIBUTE_CACHE_MS, startTemporalCluster } from '../src/testing/temporal-cluster';
import { startWorkerProcess } from '../src/testing/worker-process';
import { TeamClient } from '../src/client/team-client';
import { pingPongTeam } from './ping-pong';
import { fmt, median, percentile } from './stats';

/** Finished runs in the namespace; BENCH_LISTING_RUNS makes it smaller for a quick look. */
const RUNS = Number(process.env.BENCH_LISTING_RUNS ?? 100_000);
/** Of those, run to completion by a worker (the rest are ended from outside; see below). */
const COMPLETED = Math.min(RUNS, Number(process.env.BENCH_LISTING_COMPLETED ?? 2_000));
/** Runs per A2A context, as a conversation of several tasks would have. */
const PER_CONTEXT = 10;
const AT_ONCE = 100;
const SAMPLES = 200;

/**
 * ListTasks over the A2A front end (JSON-RPC, the SDK's client) against the cluster of processes
 * (PostgreSQL visibility) holding RUNS finished runs, filtered by context id and by state.
 *
 * The runs are real team runs started through TeamClient, so each has its memo and search
 * attributes as any run does. COMPLETED of them run to completion (a team that ends on its task,
 * no model turn) on a worker; the rest, for the sake of minutes, are started on a task queue no
 * worker serves and then terminated: finished runs whose A2A state is `failed`. A2A filters by
 * state `completed` therefore pick a few thousand out of the whole, and by state `failed` almost
 * all (one page and the count).
 */
export async function benchListing(log: (line: string) => void): Promise<string> {
  // As a production server: search attributes from a cache, not read from the database for each run listed.
  const cluster = await startTemporalCluster({ refreshSearchAttributesOnRead: false });
  const env = { DURABLE_TEAMS_STORE: cluster.postgres.url };
  const model = await startScriptedModelServer({ script: { agents: { ping: ['ping'], pong: ['pong'] } } });
  const taskQueue = 'listing';
  const worker = await startWorkerProcess({ address: cluster.address, taskQueue, modelBaseUrl: model.baseUrl, env });
  const connect = (queue: string) =>
    TeamClient.connect({
      address: cluster.address,
      namespace: cluster.namespace,
      taskQueue: queue,
      store: defaultConversationStore(undefined, env),
      live: null,
    });
  const client = await connect(taskQueue);
  const server = await startA2AServer({
    teams: [pingPongTeam('listed', 0)],
    client,
    port: 0,
    version: 'bench',
    tokens: null,
    secrets: null,
  });
  try {
    log(
      `  listing: waiting ${SEARCH_ATTRIBUTE_CACHE_MS / 1000} s for every Temporal service to see the search attributes registered at start`,
    );
    await new Promise((resolve) => setTimeout(resolve, SEARCH_ATTRIBUTE_CACHE_MS + 2_000));
    const team = pingPongTeam('listed', 0); // ends on its task: completed with no model turn
    const contextOf = (i: number) => `ctx-${Math.floor(i / PER_CONTEXT)}`;
    const made = performance.now();
    for (let i = 0; i < COMPLETED; i += AT_ONCE) {
      const ids = await Promise.all(
        Array.from({ length: Math.min(AT_ONCE, COMPLETED - i) }, (_, k) => client.start(team, 'Go.', { contextId: contextOf(i + k) })),
      );
      await Promise.all(ids.map((id) => client.result(id)));
    }
    // The rest on the same task queue (ListTasks lists one queue), with no worker left to run them: started, then terminated.
    await worker.kill('SIGTERM');
    for (let i = COMPLETED; i < RUNS; i += AT_ONCE) {
      await Promise.all(
        Array.from({ length: Math.min(AT_ONCE, RUNS - i) }, async (_, k) => {
          const id = await client.start(team, 'Go.', { contextId: contextOf(i + k), runId: `listed-ended-${i + k}` });
          await client.client.workflow.getHandle(id).terminate('bench: a finished run, ended from outside');
        }),
      );
      if ((i - COMPLETED) % 10_000 === 0) log(`  listing: ${i} of ${RUNS} runs made, ${((performance.now() - made) / 1000).toFixed(0)} s`);
    }
    const makeSeconds = (performance.now() - made) / 1000;
    // Visibility is written behind the history: wait until it counts them all.
    for (;;) {
      const { count } = await client.client.workflow.count(`WorkflowType = 'teamRun' AND ExecutionStatus != 'Running'`);
      if (count >= RUNS) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }

    const a2a = await new ClientFactory().createFromUrl(server.teamUrls.listed!);
    const request = (params: Partial<ListTasksRequest>) =>
      ({
        tenant: '',
        contextId: '',
        status: TaskState.TASK_STATE_UNSPECIFIED,
        pageToken: '',
        statusTimestampAfter: undefined,
        pageSize: 50,
        ...params,
      }) as ListTasksRequest;
    const timeList = async (params: (i: number) => Partial<ListTasksRequest>, check: (size: number, total: number) => boolean) => {
      const ms: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const t0 = performance.now();
        const page = await a2a.listTasks(request(params(i)));
        ms.push(performance.now() - t0);
        if (!check(page.tasks.length, page.totalSize))
          throw new Error(`ListTasks ${JSON.stringify(params(i))}: ${page.tasks.length} tasks of ${page.totalSize}`);
      }
      return ms;
    };
    const contexts = Math.ceil(RUNS / PER_CONTEXT);
    const byContext = await timeList(
      (i) => ({ contextId: `ctx-${(i * 7919) % contexts}` }),
      (size, total) => size === total && total > 0 && total <= PER_CONTEXT,
    );
    const byCompleted = await timeList(
      () => ({ status: TaskState.TASK_STATE_COMPLETED }),
      (size, total) => size === 50 && total === COMPLETED,
    );
    const byCompletedSmall = await timeList(
      () => ({ status: TaskState.TASK_STATE_COMPLETED, pageSize: 20 }),
      (size, total) => size === 20 && total === COMPLETED,
    );
    const byFailed = await timeList(
      () => ({ status: TaskState.TASK_STATE_FAILED }),
      (size, total) => size === 50 && total === RUNS - COMPLETED,
    );
    const mode = await client.searchAttributes.queryMode();
    // Before the attributes: the same listing by memo (a client that does not use them), once; it reads every run's memo.
    const memoClient = await TeamClient.connect({
      address: cluster.address,
      namespace: cluster.namespace,
      taskQueue,
      store: defaultConversationStore(undefined, env),
      live: null,
      searchAttributes: false,
    });
    const memoStarted = performance.now();
    const memoPage = await listTeamTasks(memoClient, 'listed', request({ contextId: 'ctx-0' }), new Set());
    const memoMs = performance.now() - memoStarted;
    await memoClient.close();
    if (memoPage.totalSize !== Math.min(PER_CONTEXT, RUNS)) throw new Error(`the memo listing found ${memoPage.totalSize} tasks of ctx-0`);

    log(
      `listing: ${RUNS} finished runs (${COMPLETED} completed, ${RUNS - COMPLETED} terminated) on the cluster, made in ${makeSeconds.toFixed(0)} s; ListTasks over JSON-RPC, ${SAMPLES} calls each, visibility through the search attributes (${mode})`,
    );
    const line = (what: string, ms: number[]) => log(`  ${what}: p50 ${fmt(median(ms))}, p99 ${fmt(percentile(ms, 99))}`);
    line(`by context id (${PER_CONTEXT} runs each)`, byContext);
    line(`by state completed (${COMPLETED} of ${RUNS}, first page of 50 and the count)`, byCompleted);
    line(`by state completed, pages of 20`, byCompletedSmall);
    line(`by state failed (${RUNS - COMPLETED} of ${RUNS}, first page of 50 and the count)`, byFailed);
    log(`  before the attributes (every memo read; one call, in process): by context id ${(memoMs / 1000).toFixed(1)} s`);
    return `listing_runs=${RUNS} list_by_context_p50_ms=${median(byContext).toFixed(1)} list_by_state_p50_ms=${median(byCompleted).toFixed(1)} list_by_memo_s=${(memoMs / 1000).toFixed(1)}`;
  } finally {
    await server.close();
    await client.close();
    await worker.kill('SIGTERM');
    await model.close();
    await cluster.stop();
  }
}
