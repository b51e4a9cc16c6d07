import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AgentCard, TaskState, type Task } from '@a2a-js/sdk';
import { ClientFactory, DefaultAgentCardResolver, JsonRpcTransportFactory, RestTransportFactory } from '@a2a-js/sdk/client';
import { bearerTokens } from '../../src/access/auth';
import { REVIEW_SCRIPT, reviewTeam, ROOT } from '../helpers/teams';
import { statusOf } from './callers';
import { sendParams, startA2AEnv, userMessage, type A2AEnv } from './a2a-env';

const TOKEN = 'card-test-token-0123456789abcdef';
const withToken: typeof fetch = (input, init) =>
  fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers)), authorization: `Bearer ${TOKEN}` } });

/** Python's a2a-sdk, one venv per version; the test that uses one is skipped, saying so, without it. */
const PYTHONS = {
  'a2a-sdk 0.3': process.env.A2A_PY03_PYTHON ?? join(ROOT, '.venvs/a2a-py03/bin/python'),
  'a2a-sdk 1.x': process.env.A2A_PY_PYTHON ?? join(ROOT, '.venvs/a2a-py/bin/python'),
};

type Json = Record<string, unknown>;

/**
 * A2A v1.0 §3.6.2: "Agents MUST interpret empty value as 0.3 version", and §5.7: implementations
 * "SHOULD ignore unrecognized fields". The card fetched without A2A-Version holds both versions.
 */
describe('A2A §3.6.2 the card without A2A-Version: one card for v0.3 and v1.0 readers', () => {
  let env: A2AEnv;
  let base: string;
  let raw: Json;

  beforeAll(async () => {
    env = await startA2AEnv([reviewTeam()], REVIEW_SCRIPT, { tokens: bearerTokens([`alice=${TOKEN}`], 'test') });
    base = env.server.teamUrls['review']!;
    const res = await fetch(`${base}.well-known/agent-card.json`);
    expect(res.status).toBe(200);
    raw = (await res.json()) as Json;
  });
  afterAll(() => env?.stop());

  it('holds the v0.3 fields and the v1.0 ones, each security scheme in both forms', () => {
    expect(raw).toMatchObject({
      url: `${base}a2a/jsonrpc`,
      preferredTransport: 'JSONRPC',
      protocolVersion: '0.3',
      additionalInterfaces: [{ url: `${base}a2a/rest`, transport: 'HTTP+JSON' }],
      supportsAuthenticatedExtendedCard: false,
      security: [{ bearer: [] }],
      capabilities: { streaming: true, pushNotifications: true, extendedAgentCard: false },
      securityRequirements: [{ schemes: { bearer: {} } }],
    });
    expect((raw.supportedInterfaces as Json[]).map((i) => `${i.protocolBinding} ${i.protocolVersion}`)).toEqual([
      'JSONRPC 1.0',
      'HTTP+JSON 1.0',
      'JSONRPC 0.3',
      'HTTP+JSON 0.3',
    ]);
    expect((raw.securitySchemes as Json).bearer).toEqual({
      type: 'http',
      scheme: 'Bearer',
      bearerFormat: 'opaque',
      description: expect.any(String),
      httpAuthSecurityScheme: { scheme: 'Bearer', bearerFormat: 'opaque', description: expect.any(String) },
    });
  });

  it('reads as a v1.0 card with the SDK’s ProtoJSON reader (unknown fields ignored)', () => {
    const card = AgentCard.fromJSON(raw);
    expect(card.supportedInterfaces).toHaveLength(4);
    expect(card.securitySchemes.bearer?.scheme?.$case).toBe('httpAuthSecurityScheme');
    expect(Object.keys(card.securityRequirements[0]!.schemes)).toEqual(['bearer']);
    expect(card.capabilities?.extendedAgentCard).toBe(false);
  });

  it('with A2A-Version: 1.0 the card is v1.0 only, and the two are cached apart', async () => {
    const res = await fetch(`${base}.well-known/agent-card.json`, { headers: { 'A2A-Version': '1.0' } });
    const v1 = (await res.json()) as Json;
    expect(v1.url).toBeUndefined();
    expect((v1.securitySchemes as Json).bearer).toEqual({ httpAuthSecurityScheme: expect.any(Object) });
    const plain = await fetch(`${base}.well-known/agent-card.json`);
    expect(plain.headers.get('vary')).toMatch(/A2A-Version/i);
    expect(plain.headers.get('etag')).not.toBe(res.headers.get('etag'));
    expect(await statusOf(`${base}.well-known/agent-card.json`, { 'If-None-Match': plain.headers.get('etag')! })).toBe(304);
  });

  it.each([
    ['a v0.3 reader, which knows nothing of supportedInterfaces (the JS SDK’s legacy card path)', true],
    ['the JS SDK’s resolver given the card as served, no header', false],
  ])('%s: resolves it and runs a task over v0.3', async (_, dropV1) => {
    const legacyCompat = { enabled: true };
    const card = { ...raw };
    if (dropV1) delete card.supportedInterfaces;
    const resolved = new DefaultAgentCardResolver({ legacyCompat }).normalizeAgentCard(card);
    const factory = new ClientFactory({
      transports: [
        new JsonRpcTransportFactory({ legacyCompat, fetchImpl: withToken }),
        new RestTransportFactory({ legacyCompat, fetchImpl: withToken }),
      ],
      preferredTransports: ['JSONRPC'],
    });
    const client = await factory.createFromAgentCard(resolved);
    const task = (await client.sendMessage(sendParams(userMessage('Write a note.')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });

  it.each(Object.entries(PYTHONS))('Python %s resolves it without the header and runs a task', async (sdk, python) => {
    if (!existsSync(python)) {
      // CI installs them (scripts/python-a2a-sdks.sh) and says so: there, a missing one is a failure.
      if (process.env.DURABLE_TEAMS_REQUIRE_PYTHON_SDKS === '1') throw new Error(`no ${sdk} at ${python}: run scripts/python-a2a-sdks.sh`);
      console.warn(`skipped: no ${sdk} at ${python} (scripts/python-a2a-sdks.sh installs it)`);
      return;
    }
    const script = join(__dirname, 'python', sdk === 'a2a-sdk 0.3' ? 'card_v03.py' : 'card_v10.py');
    const { stdout } = await promisify(execFile)(python, [script, base], { env: { ...process.env, A2A_TOKEN: TOKEN }, timeout: 60_000 });
    const seen = JSON.parse(stdout.trim().split('\n').at(-1)!) as Json;
    if (sdk === 'a2a-sdk 0.3') {
      expect(seen).toMatchObject({ url: `${base}a2a/jsonrpc`, protocolVersion: '0.3', securitySchemes: { bearer: 'http' } });
      expect(seen.answer).toEqual({ kind: 'task', state: 'completed' });
    } else {
      expect(seen).toMatchObject({ securitySchemes: { bearer: 'http_auth_security_scheme' }, securityRequirements: [['bearer']] });
      expect(seen.answer).toEqual({ kind: 'task', state: TaskState.TASK_STATE_COMPLETED });
    }
  });
});
