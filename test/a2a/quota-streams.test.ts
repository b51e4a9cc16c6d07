import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TaskState, type Task } from '@a2a-js/sdk';
import { ClientFactory, type Client } from '@a2a-js/sdk/client';
import { GrpcTransportFactory } from '@a2a-js/sdk/client/grpc';
import { bearerTokens } from '../../src/access/auth';
import { QUOTA_ERROR_CODE } from '../../src/access/quotas/quotas';
import { STREAMS_RETRY_AFTER_SECONDS } from '../../src/access/quotas/open-streams';
import { loadTeamFile } from '../../src/files/team-file';
import { maxMessages, team } from '../../src/spec';
import { uniqueTaskQueue } from '../../src/testing/temporal-env';
import { CliProcess, expectCleanFailure, runCli, temporalFlags } from '../cli/cli-helpers';
import { ROOT } from '../helpers/teams';
import { TOKENS, TO_APPROVAL_SCRIPT, bearerInterceptor, grpcFailure, withBearer } from './callers';
import { a2aError, sendParams, startA2AEnv, userMessage, type A2AEnv } from './a2a-env';
import { clientWith } from './quota-helpers';

/**
 * Event streams per caller (issue 29): one token once held 300 SubscribeToTask streams and 250
 * console watches. Counted across SendStreamingMessage and SubscribeToTask on JSON-RPC, HTTP+JSON
 * and gRPC and the console's watches; over the limit a stream is refused as the other quotas are,
 * and its place comes back when a stream ends or its client goes.
 */

const LIMIT = 3;
const RESOURCE_EXHAUSTED = 8;
const approvalTeam = () => loadTeamFile(join(ROOT, 'examples/teams/review-approval.yaml'));
const tooMany = new RegExp(`caller "alice" has ${LIMIT} event streams open, its limit \\(--max-streams-per-caller ${LIMIT}\\)`);

/** A stream held open: its first event has come, so the server counts it; until `close`. */
interface Held {
  close(): Promise<void>;
}

async function hold(open: (signal: AbortSignal) => AsyncGenerator<unknown>): Promise<Held> {
  const gone = new AbortController();
  const stream = open(gone.signal);
  expect((await stream.next()).done).toBe(false);
  return {
    async close() {
      gone.abort();
      await stream.next().catch(() => undefined);
    },
  };
}

describe('event streams per caller', () => {
  let env: A2AEnv;
  let base: string;
  const grpc: Record<string, Client> = {};
  beforeAll(async () => {
    env = await startA2AEnv([approvalTeam()], TO_APPROVAL_SCRIPT, {
      tokens: bearerTokens([`alice=${TOKENS.alice}`, `bob=${TOKENS.bob}`], 'test'),
      grpcPort: 0,
      quotas: { maxStreamsPerCaller: LIMIT },
    });
    base = env.server.teamUrls['review-approval']!;
    for (const [name, token] of Object.entries(TOKENS))
      grpc[name] = await new ClientFactory({
        transports: [new GrpcTransportFactory()],
        preferredTransports: ['GRPC'],
        clientConfig: { interceptors: [bearerInterceptor(token)] },
      }).createFromUrl(base);
  });
  afterAll(() => env?.stop());

  /** The console's watch of a run, as the page opens it; held once its headers have come. */
  const watch = (runId: string, token: string, signal?: AbortSignal) =>
    withBearer(token)(`${env.server.url}/console/api/runs/${runId}/watch`, { signal });
  const holdWatch = async (runId: string, token: string): Promise<Held> => {
    const gone = new AbortController();
    const res = await watch(runId, token, gone.signal);
    if (res.status === 429) throw new Error(((await res.json()) as { error: { message: string } }).error.message);
    expect(res.status).toBe(200);
    return { close: async () => gone.abort() };
  };

  /** Holds a stream once a place is free: a stream just closed frees its place once the server has seen it go. */
  async function onceFree(open: () => Promise<Held>): Promise<Held> {
    for (let i = 0; i < 50; i++) {
      try {
        return await open();
      } catch (err) {
        expect((err as Error).message).toMatch(tooMany);
        await sleep(100);
      }
    }
    throw new Error('no place came free');
  }

  it('refuses a caller more streams than its limit on every transport, serves its other calls and other callers, and gives a place back when a stream closes', async () => {
    const rpc = await clientWith(base, TOKENS.alice);
    const rest = await clientWith(base, TOKENS.alice, 'rest');
    const task = (await rpc.sendMessage(sendParams(userMessage('A note to follow.')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const subscribe = { tenant: '', id: task.id };

    // One stream of each kind, all alice's: SSE over JSON-RPC, SSE over HTTP+JSON, the console's NDJSON.
    const held = [
      await hold((signal) => rpc.resubscribeTask(subscribe, { signal })),
      await hold((signal) => rest.resubscribeTask(subscribe, { signal })),
      await holdWatch(task.id, TOKENS.alice),
    ];

    // A fourth is refused on each transport: the SDK's clients see the message naming the limit and the flag.
    const overRpc = await a2aError(rpc.resubscribeTask(subscribe).next());
    expect(overRpc).toMatchObject({ code: QUOTA_ERROR_CODE, message: expect.stringMatching(tooMany) });
    expect((await a2aError(rpc.sendMessageStream(sendParams(userMessage('Another.'))).next())).code).toBe(QUOTA_ERROR_CODE);
    const overGrpc = await grpcFailure(grpc.alice!.resubscribeTask(subscribe).next());
    expect(overGrpc.code).toBe(RESOURCE_EXHAUSTED);
    expect(overGrpc.text).toMatch(tooMany);
    const overWatch = await watch(task.id, TOKENS.alice);
    expect([overWatch.status, overWatch.headers.get('retry-after')]).toEqual([429, String(STREAMS_RETRY_AFTER_SECONDS)]);
    expect(((await overWatch.json()) as { error: { message: string } }).error.message).toMatch(tooMany);
    // On the wire: 429 with Retry-After and ErrorInfo TOO_MANY_STREAMS, JSON-RPC v1.0 and v0.3 and HTTP+JSON.
    const post = (path: string, body: unknown, headers: Record<string, string> = { 'A2A-Version': '1.0' }) =>
      withBearer(TOKENS.alice)(`${base}${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...headers },
      });
    const v1 = await post('a2a/jsonrpc', { jsonrpc: '2.0', id: 'sub-1', method: 'SubscribeToTask', params: { id: task.id } });
    expect([v1.status, v1.headers.get('retry-after')]).toEqual([429, String(STREAMS_RETRY_AFTER_SECONDS)]);
    expect((await v1.json()) as { id: string; error: unknown }).toMatchObject({
      id: 'sub-1',
      error: { code: QUOTA_ERROR_CODE, data: [{ reason: 'TOO_MANY_STREAMS', metadata: { limit: String(LIMIT), caller: 'alice' } }] },
    });
    const v03 = await post('a2a/jsonrpc', { jsonrpc: '2.0', id: 2, method: 'tasks/resubscribe', params: { id: task.id } }, {});
    expect(v03.status).toBe(429);
    for (const res of [
      await withBearer(TOKENS.alice)(`${base}a2a/rest/tasks/${task.id}:subscribe`, { headers: { 'A2A-Version': '1.0' } }),
      await post('a2a/rest/message:stream', { message: { messageId: 'm-s', role: 'ROLE_USER', parts: [{ text: 'Write.' }] } }),
    ]) {
      expect([res.status, res.headers.get('retry-after')]).toEqual([429, String(STREAMS_RETRY_AFTER_SECONDS)]);
      expect(((await res.json()) as { error: unknown }).error).toMatchObject({
        status: 'RESOURCE_EXHAUSTED',
        details: [{ reason: 'TOO_MANY_STREAMS' }],
      });
    }

    // Her other calls are served, and bob's streams are his own.
    expect((await rpc.getTask({ tenant: '', id: task.id, historyLength: 0 })).id).toBe(task.id);
    expect((await grpc.alice!.getTask({ tenant: '', id: task.id, historyLength: 0 })).id).toBe(task.id);
    const bobs = (await (await clientWith(base, TOKENS.bob)).sendMessage(sendParams(userMessage('Bob follows this.')))) as Task;
    const bobHeld = [
      await hold((signal) => grpc.bob!.resubscribeTask({ tenant: '', id: bobs.id }, { signal })),
      await holdWatch(bobs.id, TOKENS.bob),
    ];

    // The console's watch goes: its place comes back (once the server has seen it go), and a gRPC stream takes it.
    await held.pop()!.close();
    held.push(await onceFree(() => hold((signal) => grpc.alice!.resubscribeTask(subscribe, { signal }))));
    expect((await a2aError(rpc.resubscribeTask(subscribe).next())).code).toBe(QUOTA_ERROR_CODE);
    // The gRPC stream's client goes: a JSON-RPC stream takes its place.
    await held.pop()!.close();
    held.push(await onceFree(() => hold((signal) => rpc.resubscribeTask(subscribe, { signal }))));
    expect((await grpcFailure(grpc.alice!.resubscribeTask(subscribe).next())).code).toBe(RESOURCE_EXHAUSTED);

    // Streams end with their run: once alice cancels the task, her three places are free again.
    await rpc.cancelTask({ tenant: '', id: task.id, metadata: undefined });
    const next = (await rpc.sendMessage(sendParams(userMessage('Another note to follow.')))) as Task;
    const nextHeld = [];
    for (let i = 0; i < LIMIT; i++) nextHeld.push(await onceFree(() => holdWatch(next.id, TOKENS.alice)));
    for (const stream of [...held, ...nextHeld, ...bobHeld]) await stream.close();
  });
});

/**
 * Clients that stop reading (issue 29): 250 clients that never read a 1 MB GetTask answer once
 * held the front end's memory and sockets for as long as they liked. A response whose unsent
 * bytes stay over the bound for the grace time (here 1 s) has its connection reset, a stream's
 * as an answer's; a client that reads is served whole.
 */
describe('clients that do not read', () => {
  const LONG = 'word '.repeat(80_000); // 400 KB a reply, the most the test store takes
  const talker = () =>
    team('talker')
      .roundRobin()
      .model({ model: 'scripted' })
      .agent('talker', { description: 'Talks at length.' })
      .terminateWhen(maxMessages(13))
      .build();
  let env: A2AEnv;
  let task: Task;
  const lines: string[] = [];
  beforeAll(async () => {
    env = await startA2AEnv(
      [talker()],
      { agents: { talker: [LONG] } },
      {
        tokens: bearerTokens([`alice=${TOKENS.alice}`], 'test'),
        slowReaders: { graceMs: 1_000, log: (line) => lines.push(line) },
      },
    );
    task = (await (await clientWith(env.server.teamUrls.talker!, TOKENS.alice)).sendMessage(sendParams(userMessage('Talk.')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });
  afterAll(() => env?.stop());

  /** A connection that sends `requests` and never reads; `closed` once it is closed. */
  async function nonReader(requests: string[]): Promise<{ socket: Socket; closed: Promise<void> }> {
    const url = new URL(env.server.url);
    const socket = connect(Number(url.port), url.hostname);
    await once(socket, 'connect');
    socket.pause();
    const closed = new Promise<void>((resolve) => {
      socket.once('error', () => resolve());
      socket.once('close', () => resolve());
    });
    socket.write(requests.join(''));
    return { socket, closed };
  }
  const get = (path: string) =>
    `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nA2A-Version: 1.0\r\nauthorization: Bearer ${TOKENS.alice}\r\n\r\n`;

  /** Waits until every connection is closed, writing a blank line to each now and then: a reset one answers with an error. */
  async function untilCut(clients: { socket: Socket; closed: Promise<void> }[]): Promise<void> {
    let open = clients;
    for (let i = 0; i < 300 && open.length; i++) {
      for (const { socket } of open) if (!socket.destroyed) socket.write('\r\n');
      await sleep(100);
      open = open.filter(({ socket }) => !socket.destroyed);
    }
    expect(open.length).toBe(0);
    await Promise.all(clients.map((c) => c.closed));
  }

  it('resets the connections of 20 clients that never read a large GetTask answer, and serves a client that reads', async () => {
    // The whole task, some 5 MB: more than the kernel's buffers take (tcp_wmem's most, 4 MB by default).
    const path = `${new URL(env.server.teamUrls.talker!).pathname}a2a/rest/tasks/${task.id}?historyLength=20`;
    const clients = await Promise.all(Array.from({ length: 20 }, () => nonReader([get(path)])));
    await untilCut(clients);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).toMatch(
      /^cut \d+ connection\(s\) whose client left more than 262144 bytes of its answer unread for 1 s \(first: GET \/teams\/talker\//,
    );
    expect(lines.join('\n')).not.toContain(TOKENS.alice);
    // A client that reads gets the whole answer, as large as it is.
    const whole = (await (await withBearer(TOKENS.alice)(`${env.server.url}${path}`, { headers: { 'A2A-Version': '1.0' } })).json()) as {
      history: unknown[];
    };
    expect(JSON.stringify(whole).length).toBeGreaterThan(5 * LONG.length);
  });

  it('resets a console watch whose client does not read its stream', async () => {
    // The run's events, its twelve replies among them, come at once: some 5 MB of JSON lines.
    const path = `/console/api/runs/${task.id}/watch`;
    await untilCut([await nonReader([get(path)])]);
  });
});

/** The flag on `serve` (the built CLI: `npm run build` first), the variable, the default. */
describe('serve --max-streams-per-caller', () => {
  const TEAM_FILE = join(ROOT, 'examples/teams/review-approval.yaml');
  const queue = uniqueTaskQueue('streams');
  const served: CliProcess[] = [];
  const serve = (args: string[], env: Record<string, string> = {}) => {
    const process = new CliProcess(['serve', TEAM_FILE, '--port', '0', ...args, ...temporalFlags(queue)], { env, timeoutMs: 60_000 });
    served.push(process);
    return process;
  };
  afterAll(() => Promise.all(served.map((p) => p.stop())));

  it('holds each caller to the flag, else the variable, else 50, and refuses a bad value naming it', async () => {
    const [byFlag, byEnv, byDefault] = [
      serve(['--max-streams-per-caller', '1']),
      serve([], { DURABLE_TEAMS_MAX_STREAMS_PER_CALLER: '2' }),
      serve([]),
    ];
    const [, base] = await byFlag.waitFor('stdout', /^review-approval (http:\S+)$/m);
    await byEnv.waitFor('stderr', /quotas per caller: no limit on runs in progress, no limit on requests, 2 event streams open at once/);
    await byDefault.waitFor(
      'stderr',
      /quotas per caller: no limit on runs in progress, no limit on requests, 50 event streams open at once/,
    );

    // Without tokens the caller is its address. No worker serves this queue: the task waits, and so does its stream.
    const client = await new ClientFactory().createFromUrl(base!);
    const first = await hold((signal) => client.sendMessageStream(sendParams(userMessage('A note.')), { signal }));
    const refused = await a2aError(client.sendMessageStream(sendParams(userMessage('Another note.'))).next());
    expect(refused.code).toBe(QUOTA_ERROR_CODE);
    expect(refused.message).toMatch(/caller address 127\.0\.0\.1 has 1 event streams open, its limit \(--max-streams-per-caller 1\)/);
    await first.close();

    const flag = await runCli(['serve', TEAM_FILE, '--max-streams-per-caller', '0', ...temporalFlags(queue)]);
    expect(expectCleanFailure(flag, 2)).toMatch(/--max-streams-per-caller must be a positive whole number, not "0"/);
    const env = await runCli(['serve', TEAM_FILE, ...temporalFlags(queue)], { env: { DURABLE_TEAMS_MAX_STREAMS_PER_CALLER: 'lots' } });
    expect(expectCleanFailure(env, 2)).toMatch(
      /environment variable DURABLE_TEAMS_MAX_STREAMS_PER_CALLER must be a positive whole number, not "lots"/,
    );
  }, 90_000);
});
