import { join } from 'node:path';
import { TaskState, type Task } from '@a2a-js/sdk';
import {
  ClientFactory,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
  RestTransportFactory,
  createAuthenticatingFetchWithRetry,
  type Client,
} from '@a2a-js/sdk/client';
import { bearerTokens } from '../../src/access/auth';
import { loadTeamFile } from '../../src/files/team-file';
import type { TeamSpec } from '../../src/spec/team';
import { REVIEW_SCRIPT, ROOT } from '../helpers/teams';
import { historyText } from '../helpers/history-text';
import { withBearer } from './callers';
import { sendParams, startA2AEnv, userMessage, type A2AEnv } from './a2a-env';

const TOKEN = 'alice-token-3b9f1c27e5d84a06b1f2';
const WRONG = 'mallory-token-0000000000000000';
const approvalTeam = (): TeamSpec => loadTeamFile(join(ROOT, 'examples/teams/review-approval.yaml'));

function asTask(result: unknown): Task {
  expect(result).toHaveProperty('status');
  return result as Task;
}

/** A workflow's history as text with its payloads decoded (fetchHistory gives them in base64). */
describe('A2A front end with bearer tokens', () => {
  let env: A2AEnv;
  let base: string;
  beforeAll(async () => {
    env = await startA2AEnv([approvalTeam()], REVIEW_SCRIPT, { tokens: bearerTokens([`alice=${TOKEN}`], 'test') });
    base = env.server.teamUrls['review-approval']!;
  });
  afterAll(() => env?.stop());

  it('keeps the card public and declares the bearer scheme in it, v1.0 and v0.3 alike', async () => {
    const v1 = await fetch(`${base}.well-known/agent-card.json`, { headers: { 'A2A-Version': '1.0' } });
    expect(v1.status).toBe(200);
    const card = (await v1.json()) as Record<string, unknown>;
    expect(card.securitySchemes).toEqual({ bearer: { httpAuthSecurityScheme: expect.objectContaining({ scheme: 'Bearer' }) } });
    // One requirement: the bearer scheme, with no scopes (ProtoJSON leaves the empty list out).
    expect(card.securityRequirements).toEqual([{ schemes: { bearer: expect.any(Object) } }]);
    // And the SDK's own resolver reads the scheme back.
    const resolved = await new DefaultAgentCardResolver().resolve(base);
    expect(resolved.securitySchemes.bearer?.scheme).toEqual({
      $case: 'httpAuthSecurityScheme',
      value: expect.objectContaining({ scheme: 'Bearer' }),
    });
    expect(Object.keys(resolved.securityRequirements[0]?.schemes ?? {})).toEqual(['bearer']);

    const legacy = await fetch(`${base}.well-known/agent-card.json`);
    expect(legacy.status).toBe(200);
    const old = (await legacy.json()) as Record<string, unknown>;
    expect(old.securitySchemes).toEqual({ bearer: expect.objectContaining({ type: 'http', scheme: 'Bearer' }) });
    expect(old.security).toEqual([{ bearer: [] }]);
    // The root card is the same agent's, and public too.
    expect((await fetch(`${env.server.url}/.well-known/agent-card.json`)).status).toBe(200);
  });

  it('answers 401 with WWW-Authenticate to JSON-RPC and REST calls without the token or with a wrong one', async () => {
    const rpcBody = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: 'no-such-task' } });
    const legacyBody = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tasks/get', params: { id: 'no-such-task' } });
    const calls: [string, RequestInit][] = [
      [`${base}a2a/jsonrpc`, { method: 'POST', body: rpcBody, headers: { 'content-type': 'application/json', 'A2A-Version': '1.0' } }],
      [`${base}a2a/jsonrpc`, { method: 'POST', body: legacyBody, headers: { 'content-type': 'application/json' } }],
      [`${base}a2a/rest/tasks/no-such-task`, { method: 'GET', headers: { 'A2A-Version': '1.0' } }],
      [
        `${base}a2a/rest/message:send`,
        {
          method: 'POST',
          body: JSON.stringify(sendParams(userMessage('Write a note.'))),
          headers: { 'content-type': 'application/json', 'A2A-Version': '1.0' },
        },
      ],
    ];
    for (const [url, init] of calls) {
      for (const authorization of [undefined, `Bearer ${WRONG}`, `Basic ${TOKEN}`, 'Bearer']) {
        const headers = { ...(init.headers as Record<string, string>), ...(authorization ? { authorization } : {}) };
        const res = await fetch(url, { ...init, headers });
        expect([url, authorization, res.status]).toEqual([url, authorization, 401]);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
        const text = await res.text();
        expect(text).not.toContain(TOKEN);
        expect(text).not.toContain(WRONG);
      }
    }

    // The SDK client gets nowhere either.
    const anonymous = await new ClientFactory().createFromUrl(base);
    await expect(anonymous.sendMessage(sendParams(userMessage('Write a note.')))).rejects.toThrow(/401/);
    const wrong = await new ClientFactory({ transports: [new JsonRpcTransportFactory({ fetchImpl: withBearer(WRONG) })] }).createFromUrl(
      base,
    );
    await expect(wrong.getTask({ tenant: '', id: 'no-such-task', historyLength: 0 })).rejects.toThrow(/401/);
    // Nothing was started on their behalf (this file's worker has its own task queue; nothing ran on it yet).
    const started: string[] = [];
    for await (const run of env.worker.client.client.workflow.list({ query: `TaskQueue = "${env.worker.taskQueue}"` }))
      started.push(run.workflowId);
    expect(started).toEqual([]);
  });

  it('lets a client with the token through, records its name on the approval it answers, and writes the token nowhere', async () => {
    const client: Client = await new ClientFactory({
      transports: [new JsonRpcTransportFactory({ fetchImpl: withBearer(TOKEN) })],
    }).createFromUrl(base);
    const waiting = asTask(await client.sendMessage(sendParams(userMessage('Write a note.'))));
    expect(waiting.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const taskId = waiting.id;

    // Over REST too, the token opening the door the SDK's way: a fetch that adds it.
    const rest = await new ClientFactory({
      transports: [
        new RestTransportFactory({
          fetchImpl: createAuthenticatingFetchWithRetry(fetch, {
            headers: async () => ({ authorization: `Bearer ${TOKEN}` }),
            shouldRetryWithHeaders: async () => undefined,
          }),
        }),
      ],
    }).createFromUrl(base);
    expect((await rest.getTask({ tenant: '', id: taskId, historyLength: 0 })).status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);

    const done = asTask(await client.sendMessage(sendParams(userMessage('approve: ship it', { taskId, contextId: waiting.contextId }))));
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);

    const { events } = await env.worker.client.events(taskId);
    const received = events.filter((e) => e.type === 'input_received');
    expect(received).toEqual([expect.objectContaining({ type: 'input_received', action: 'approve', by: 'alice', timedOut: false })]);
    // The comment is in the transcript, under the approver the team file names.
    expect(
      (await client.getTask({ tenant: '', id: taskId })).history.some((m) =>
        m.parts.some((p) => p.content?.$case === 'text' && p.content.value === 'ship it'),
      ),
    ).toBe(true);

    const history = await historyText(env.worker.client, taskId);
    expect(history.includes('"by":"alice"')).toBe(true);
    expect(history.includes(TOKEN)).toBe(false);
  });
});
