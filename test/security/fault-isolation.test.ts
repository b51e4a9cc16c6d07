import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { A2AService } from '@a2a-js/sdk/server/grpc';
import { ClientFactory } from '@a2a-js/sdk/client';
import { GrpcTransportFactory } from '@a2a-js/sdk/client/grpc';
import { parse as parseDisposition } from 'content-disposition';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model/server';
import { startTestWorker, uniqueTaskQueue, type TestWorker } from '../../src/testing/temporal-env';
import { REVIEW_SCRIPT, ROOT } from '../helpers/teams';
import { collect, sendParams, userMessage } from '../a2a/a2a-env';
import { FixtureProcess } from './fixture-process';

/**
 * Issue 29: no request may end the front end's process. The real front end runs as a process of
 * its own (test/fixtures/fault-front-end.js), with no handler for unhandled rejections, on a
 * TeamClient that fails on marker ids. Each fault is provoked through a route, a transport and a
 * kind of failure; the faulty request must get its internal error naming its request id, the
 * fault one JSON log line under that id, and the same process must answer the next request.
 */
const TEAM_FILE = join(ROOT, 'examples/teams/review.yaml');
const INTERNAL = 13;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('one failing request never takes the front end down (issue 29)', () => {
  let model: ScriptedModelServer;
  let worker: TestWorker;
  let front: FixtureProcess;
  let at: { url: string; teamUrl: string; grpcTarget: string };
  let knownTask: string;

  beforeAll(async () => {
    const taskQueue = uniqueTaskQueue('faults');
    model = await startScriptedModelServer({ script: { ...REVIEW_SCRIPT, latencyMs: 200 } });
    worker = await startTestWorker({ taskQueue, model: { baseUrl: model.baseUrl } });
    front = new FixtureProcess(taskQueue, TEAM_FILE);
    at = await front.started();
    knownTask = (await send('Write a note.')).result.task.id as string;
  }, 60_000);
  afterAll(async () => {
    await front?.stop();
    await worker?.stop();
    await model?.close();
  });

  async function rpc(
    method: string,
    params: unknown,
    requestId?: string,
  ): Promise<{ status: number; requestId: string | null; body: Json }> {
    const response = await fetch(`${at.teamUrl}a2a/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'A2A-Version': '1.0', ...(requestId ? { 'X-Request-Id': requestId } : {}) },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    return { status: response.status, requestId: response.headers.get('x-request-id'), body: (await response.json()) as Json };
  }

  const send = async (text: string, parts: unknown[] = []) =>
    (
      await rpc('SendMessage', {
        message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }, ...parts] },
        configuration: { returnImmediately: true },
      })
    ).body;

  const get = (path: string, requestId: string) =>
    fetch(`${at.url}${path}`, { headers: { 'A2A-Version': '1.0', 'X-Request-Id': requestId } });

  /** The fault was logged once, as one JSON line under the request's id; its request line carries the id too. */
  async function expectFaultLogged(requestId: string, injected: string, http = true) {
    const fault = await front.logged(`"request failed" ${requestId}`, (l) => l.message === 'request failed' && l.requestId === requestId);
    expect(fault.error?.message).toContain(injected);
    if (http) await front.logged(`"request" ${requestId}`, (l) => l.message === 'request' && l.requestId === requestId);
    expect(front.logLines().filter((l) => l.message === 'request failed' && l.requestId === requestId)).toHaveLength(1);
  }

  /** The same process answers a valid request correctly. */
  async function expectStillServing() {
    expect(front.exit).toBeNull();
    const { body } = await rpc('GetTask', { id: knownTask });
    expect(body.result?.id).toBe(knownTask);
  }

  it.each(['sync', 'async'])(
    'a client call that fails (%s) answers that request alone with an internal error: JSON-RPC -32603, HTTP+JSON 500, a file 500',
    async (kind) => {
      const id = `boom-${kind}-task`;
      const viaRpc = await rpc('GetTask', { id }, `rpc-${kind}`);
      expect(viaRpc.requestId).toBe(`rpc-${kind}`);
      expect(viaRpc.body.error).toMatchObject({ code: -32603, message: expect.stringContaining(`rpc-${kind}`) });
      // The caller is told the id, not the error's own words.
      expect(viaRpc.body.error.message).not.toContain('injected');
      await expectFaultLogged(`rpc-${kind}`, `injected fault (${kind})`);
      await expectStillServing();

      const viaRest = await get(`/teams/review/a2a/rest/tasks/${id}`, `rest-${kind}`);
      expect(viaRest.status).toBe(500);
      expect(((await viaRest.json()) as Json).error).toMatchObject({
        status: 'INTERNAL',
        message: expect.stringContaining(`rest-${kind}`),
      });
      await expectFaultLogged(`rest-${kind}`, `injected fault (${kind})`);
      await expectStillServing();

      const file = await get(`/teams/review/a2a/files/${id}/0/0`, `file-${kind}`);
      expect(file.status).toBe(500);
      expect(((await file.json()) as Json).error).toMatchObject({ status: 'INTERNAL', message: expect.stringContaining(`file-${kind}`) });
      await expectFaultLogged(`file-${kind}`, `injected fault (${kind})`);
      await expectStillServing();
    },
  );

  it('a file stored before names and types were checked downloads as an attachment of octet-stream, under a safe name', async () => {
    const file = { raw: Buffer.from('hello').toString('base64'), mediaType: 'text/plain', filename: 'note.txt' };
    const taskId = (await send('Read this. LEGACY-FILE', [file])).result.task.id as string;
    // The fixture reads it back as { mediaType: 'text/名', name: 'résumé-名\r\n\u202Etxt.exe' }: each broke the process.
    const response = await get(`/teams/review/a2a/files/${taskId}/0/0`, 'legacy-file');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    const disposition = parseDisposition(response.headers.get('content-disposition')!);
    expect(disposition).toEqual({ type: 'attachment', parameters: expect.objectContaining({ filename: 'résumé-名___txt.exe' }) });
    expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('legacy bytes');
    await expectStillServing();
  });

  it('an SSE stream that fails after its headers went out ends with a -32603 event naming the request', async () => {
    const response = await fetch(`${at.teamUrl}a2a/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'A2A-Version': '1.0', 'X-Request-Id': 'sse-fault' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'SendStreamingMessage',
        params: { message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'Write a note. BOOM-STREAM' }] } },
      }),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = (await response.text())
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)) as Json);
    expect(events[0]!.result?.task).toBeDefined(); // sent before the failure: the headers were out
    expect(events.at(-1)!.error).toMatchObject({ code: -32603, message: expect.stringContaining('sse-fault') });
    await expectFaultLogged('sse-fault', 'injected fault (stream)');
    await expectStillServing();
  });

  it.each(['sync', 'async'])('a console route whose call fails (%s) answers 500 naming the request', async (kind) => {
    const response = await get(`/console/api/runs/boom-${kind}-console`, `console-${kind}`);
    expect(response.status).toBe(500);
    expect(((await response.json()) as Json).error).toEqual({ status: 500, message: expect.stringContaining(`console-${kind}`) });
    await expectFaultLogged(`console-${kind}`, `injected fault (${kind})`);
    await expectStillServing();
  });

  it("the console's NDJSON watch that fails after its first line ends with an error line naming the request", async () => {
    const started = await fetch(`${at.url}/console/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ team: 'review', task: 'Write a note. BOOM-STREAM' }),
    });
    expect(started.status).toBe(201);
    const { runId } = (await started.json()) as { runId: string };
    const watched = await get(`/console/api/runs/${runId}/watch`, 'watch-fault');
    expect(watched.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await watched.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Json);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]!.type).not.toBe('error');
    expect(lines.at(-1)).toEqual({ type: 'error', message: expect.stringContaining('watch-fault') });
    await expectFaultLogged('watch-fault', 'injected fault (stream)');
    await expectStillServing();
  });

  it('a gRPC call whose handler fails ends as INTERNAL naming the request, unary and streaming alike', async () => {
    const Raw = grpc.makeGenericClientConstructor(A2AService, 'A2AService');
    const raw = new Raw(at.grpcTarget, grpc.credentials.createInsecure()) as unknown as grpc.Client & {
      getTask(req: unknown, md: grpc.Metadata, cb: (err: grpc.ServiceError | null) => void): void;
    };
    const metadata = new grpc.Metadata();
    metadata.set('x-request-id', 'grpc-fault');
    const unary = await new Promise<grpc.ServiceError | null>((resolve) =>
      raw.getTask({ tenant: '', id: 'boom-sync-grpc' }, metadata, resolve),
    );
    raw.close();
    expect(unary?.code).toBe(INTERNAL);
    expect(unary?.details).toContain('grpc-fault');
    expect(unary?.metadata.get('x-request-id')).toEqual(['grpc-fault']);
    await expectFaultLogged('grpc-fault', 'injected fault (sync)', false);
    await expectStillServing();

    const client = await new ClientFactory({ transports: [new GrpcTransportFactory()], preferredTransports: ['GRPC'] }).createFromUrl(
      at.teamUrl,
    );
    const streamed = await collect(client.sendMessageStream(sendParams(userMessage('Write a note. BOOM-STREAM')))).then(
      () => null,
      (err: { status?: number; message: string }) => err,
    );
    expect(streamed?.status).toBe(INTERNAL);
    const requestId = /request ([\w-]+)\)/.exec(streamed?.message ?? '')?.[1];
    expect(requestId).toBeDefined();
    await expectFaultLogged(requestId!, 'injected fault (stream)', false);
    await expectStillServing();
  });

  it('a path with a bad %-escape is 400 naming it, on every route, and ends nothing', async () => {
    for (const path of ['/console/api/runs/%E0%A4%A', '/teams/review/a2a/files/%E0%A4%A/0/0', '/teams/review/a2a/rest/tasks/%E0%A4%A']) {
      const response = await get(path, 'bad-escape');
      expect([path, response.status]).toEqual([path, 400]);
      expect(((await response.json()) as Json).error.message).toContain(path);
    }
    await expectStillServing();
  });
});
