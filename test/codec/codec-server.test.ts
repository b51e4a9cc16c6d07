import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { startCodecServer, type CodecServer } from '../../src/temporal/codec/codec-server';
import { dataConverterFromEnv, payloadCodecFromEnv } from '../../src/temporal/codec/data-converter';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, testTemporalAddress, type TestWorker } from '../../src/testing/temporal-env';
import { CliProcess } from '../cli/cli-helpers';
import { REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';
import { codecEnv, newKey } from './codec-env';
import { metadataText, payloadsIn, plainClient, readRawRun } from './raw-history';

const TASK = 'Plan the QUINCE-7 offsite';
const UI = 'http://localhost:8080';
const TOKEN = 'codec-endpoint-token-0123456789';

/** A payload as the Web UI posts it to a codec endpoint. */
const asJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});
const fromB64 = (text: string) => Buffer.from(text, 'base64').toString('utf8');

/**
 * The codec endpoint the Temporal Web UI calls to show encrypted histories: real HTTP, payloads a
 * real encrypted run stored, read raw from the server.
 */
describe('the codec endpoint for the Web UI', () => {
  const env = codecEnv({ k1: newKey() });
  let model: ScriptedModelServer;
  let worker: TestWorker;
  let plain: Client;
  let server: CodecServer;
  let stored: Payload[];

  beforeAll(async () => {
    model = await startScriptedModelServer({ script: REVIEW_SCRIPT });
    worker = await startTestWorker({ model: { baseUrl: model.baseUrl }, dataConverter: dataConverterFromEnv(env) });
    plain = await plainClient(testTemporalAddress());
    server = await startCodecServer({ codec: payloadCodecFromEnv(env)!, corsOrigins: [UI], token: TOKEN });
    const runId = await worker.client.start(reviewTeam(), TASK);
    await worker.client.result(runId);
    const started = (await readRawRun(plain, runId)).events.find((e) => e.workflowExecutionStartedEventAttributes)!;
    stored = payloadsIn(started);
  });
  afterAll(async () => {
    await server?.close();
    await plain?.connection.close();
    await worker?.stop();
    await model?.close();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', origin: UI, ...headers },
      body: JSON.stringify(body),
    });

  it('decodes what the worker stored, and encodes back to what it decodes', async () => {
    expect(stored.every((p) => metadataText(p, 'encoding') === 'binary/encrypted')).toBe(true);
    const decoded = await post('/decode', { payloads: stored.map(asJson) });
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('access-control-allow-origin')).toBe(UI);
    const plainPayloads = ((await decoded.json()) as { payloads: { metadata: Record<string, string>; data: string }[] }).payloads;
    expect(fromB64(plainPayloads[0]!.metadata.encoding!)).toBe('json/plain');
    expect(plainPayloads.map((p) => fromB64(p.data)).join(' ')).toContain(TASK);

    const encoded = (await (await post('/encode', { payloads: plainPayloads })).json()) as {
      payloads: { metadata: Record<string, string> }[];
    };
    expect(encoded.payloads.map((p) => fromB64(p.metadata.encoding!))).toEqual(plainPayloads.map(() => 'binary/encrypted'));
    const again = (await (await post('/decode', encoded)).json()) as { payloads: unknown[] };
    expect(again.payloads).toEqual(plainPayloads);
  });

  it('answers the browser preflight for the UI origin only, and wants the token', async () => {
    const preflight = await fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: { origin: UI, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-namespace');
    const elsewhere = await fetch(`${server.url}/decode`, { method: 'OPTIONS', headers: { origin: 'http://evil.example' } });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    const noToken = await post('/decode', { payloads: stored.map(asJson) }, { authorization: 'Bearer wrong-token-0000000000' });
    expect(noToken.status).toBe(401);
  });

  it('refuses a bad body and a payload under a key it lacks, naming the key id and never a key', async () => {
    expect((await post('/decode', { nope: 1 })).status).toBe(400);
    const otherServer = await startCodecServer({ codec: payloadCodecFromEnv(codecEnv({ k2: newKey() }))! });
    try {
      const res = await fetch(`${otherServer.url}/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ payloads: stored.map(asJson) }),
      });
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: string };
      expect(error).toContain('"k1"');
      expect(error).not.toContain(env.DURABLE_TEAMS_CODEC_KEYS!.split(':')[1]!);
    } finally {
      await otherServer.close();
    }
  });

  it('runs as `durable-teams codec-server`, which refuses to start without keys', async () => {
    const noKeys = new CliProcess(['codec-server', '--port', '0'], { env: { DURABLE_TEAMS_CODEC_KEYS: undefined } });
    const ended = await noKeys.exited;
    expect(ended.code).toBe(1);
    expect(ended.stderr).toContain('error: DURABLE_TEAMS_CODEC_KEYS is not set');

    const cli = new CliProcess(['codec-server', '--port', '0', '--cors-origin', UI], { env, timeoutMs: 60_000 });
    try {
      const [url] = await cli.waitFor('stdout', /^http:\S+$/m);
      const res = await fetch(`${url}/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ payloads: stored.map(asJson) }),
      });
      expect(res.status).toBe(200);
    } finally {
      await cli.stop();
    }
  });
});
