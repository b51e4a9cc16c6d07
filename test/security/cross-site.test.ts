import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { TaskState, type Task } from '@a2a-js/sdk';
import { startA2AServer } from '../../src/server/server';
import { loadTeamFile } from '../../src/files/team-file';
import { answerOnlyOurHosts } from '../../src/http/host-check';
import { ROOT } from '../helpers/teams';
import { TO_APPROVAL_SCRIPT } from '../a2a/callers';
import { sendParams, startA2AEnv, userMessage, type A2AEnv } from '../a2a/a2a-env';
import { json, rawCall } from './raw-http';

const TEAM = 'review-approval';
const approvalTeam = () => loadTeamFile(join(ROOT, 'examples/teams/review-approval.yaml'));

/**
 * With auth off (the default of `dev`), a page of any site a person opens can send requests to a
 * front end on their machine. Calls that change something are refused when a browser says they
 * come from elsewhere (Origin, Sec-Fetch-Site), the console's take JSON only, and a front end on
 * loopback answers only loopback Host names, which stops DNS rebinding. Clients that are no
 * browser (the SDKs, which send no Origin) are served as before.
 */
describe('a front end without auth, and pages of other sites', () => {
  let env: A2AEnv;
  let base: string;
  let teamPath: string;
  /** A task waiting for approval: every refused call below would have stopped, cancelled or answered it. */
  let waiting: Task;

  beforeAll(async () => {
    env = await startA2AEnv([approvalTeam()], TO_APPROVAL_SCRIPT);
    base = env.server.url;
    teamPath = new URL(env.server.teamUrls[TEAM]!).pathname;
    // The SDK's client sends no Origin: it starts the task as it always did.
    const client = await env.clientFor(TEAM);
    waiting = (await client.sendMessage(sendParams(userMessage('Write a note.')))) as Task;
    expect(waiting.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
  });
  afterAll(() => env?.stop());

  const rpc = (method: string, params: unknown) => ({
    headers: { 'content-type': 'application/json', 'A2A-Version': '1.0' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const wireAnswer = (taskId: string) => ({
    message: { messageId: randomUUID(), taskId, role: 'ROLE_USER', parts: [{ text: 'approve' }] },
  });

  /** Every call that would change something, as a page elsewhere would send it: method, path, headers and body. */
  const calls = (id: string): [string, string, { headers?: Record<string, string>; body?: string }][] => [
    ['POST', `/console/api/runs/${id}/stop`, {}],
    ['POST', `/console/api/runs/${id}/cancel`, {}],
    ['POST', `/console/api/runs/${id}/answer`, json({ action: 'approve' })],
    ['POST', '/console/api/runs', json({ team: TEAM, task: 'Write a page elsewhere wanted.' })],
    ['POST', `${teamPath}a2a/jsonrpc`, rpc('CancelTask', { id })],
    ['POST', `${teamPath}a2a/jsonrpc`, rpc('SendMessage', wireAnswer(id))],
    ['POST', `${teamPath}a2a/rest/tasks/${id}:cancel`, { headers: { 'A2A-Version': '1.0' } }],
    [
      'POST',
      `${teamPath}a2a/rest/message:send`,
      { headers: { 'A2A-Version': '1.0', ...json(0).headers }, body: JSON.stringify(wireAnswer(id)) },
    ],
    ['DELETE', `${teamPath}a2a/rest/tasks/${id}/pushNotificationConfigs/hook`, { headers: { 'A2A-Version': '1.0' } }],
  ];

  it('refuses each with 403 when the Origin is another site’s, naming it and the flag that would allow it', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${Number(new URL(base).port) + 1}`, 'null']) {
      for (const [method, path, { headers, body }] of calls(waiting.id)) {
        const answer = await rawCall(base, method, path, { ...headers, origin }, body);
        expect([method, path, origin, answer.status]).toEqual([method, path, origin, 403]);
        expect(answer.message).toContain(`cross-site request refused: Origin "${origin}" is not this front end's (${base})`);
        expect(answer.message).toContain('--allowed-origins');
      }
    }
  });

  it('refuses each when the browser says the call is cross-site and sends no Origin', async () => {
    for (const site of ['cross-site', 'same-site']) {
      for (const [method, path, { headers, body }] of calls(waiting.id)) {
        const answer = await rawCall(base, method, path, { ...headers, 'sec-fetch-site': site }, body);
        expect([method, path, answer.status]).toEqual([method, path, 403]);
        expect(answer.message).toContain(`the browser says it comes from another site (Sec-Fetch-Site: ${site})`);
      }
    }
  });

  it('takes console calls that change something as JSON only, so a page elsewhere cannot send one without asking', async () => {
    for (const verb of ['stop', 'cancel', 'answer']) {
      const types: Record<string, string>[] = [
        {},
        { 'content-type': 'text/plain' },
        { 'content-type': 'application/x-www-form-urlencoded' },
      ];
      for (const headers of types) {
        const answer = await rawCall(
          base,
          'POST',
          `/console/api/runs/${waiting.id}/${verb}`,
          headers,
          verb === 'answer' ? 'action=approve' : '',
        );
        expect([verb, headers, answer.status]).toEqual([verb, headers, 415]);
        expect(answer.message).toBe(`POST /console/api/runs/${waiting.id}/${verb} takes a JSON body: send Content-Type: application/json`);
      }
    }
  });

  it('leaves the task as it was after all that: still waiting, unanswered, not stopped', async () => {
    const client = env.worker.client;
    expect(await client.executionStatus(waiting.id)).toBe('RUNNING');
    expect((await client.peek(waiting.id)).status).toBe('input-required');
    const { events } = await client.events(waiting.id);
    expect(events.filter((e) => e.type === 'input_received' || e.type === 'turn_interrupted')).toEqual([]);
  });

  it("serves the front end's own pages: an Origin of its own, or of the Host the call went to", async () => {
    const ownPort = new URL(base).port;
    for (const [origin, host] of [
      [base, `127.0.0.1:${ownPort}`],
      [`http://localhost:${ownPort}`, `localhost:${ownPort}`],
    ]) {
      // A stop of a run nobody has: past the check, the console answers for the run (404), not 403.
      const answer = await rawCall(base, 'POST', '/console/api/runs/no-such-run/stop', { ...json(0).headers, origin, host }, '{}');
      expect([origin, answer.status, answer.message]).toEqual([origin, 404, 'run "no-such-run" not found']);
    }
    // Reads are not refused whatever the Origin: the browser keeps another site's page from reading the answer.
    const read = await rawCall(base, 'GET', `/console/api/runs/${waiting.id}`, { origin: 'http://evil.example' });
    expect(read.status).toBe(200);
  });

  it('answers a Host that is not loopback with 403 naming it and --allowed-hosts; loopback names, and /healthz, as before', async () => {
    const port = new URL(base).port;
    const card = `${teamPath}.well-known/agent-card.json`;
    for (const [method, path, extra] of [
      ['GET', card, {}],
      ['GET', '/console/', {}],
      ['POST', `${teamPath}a2a/jsonrpc`, rpc('GetTask', { id: waiting.id })],
    ] as const) {
      const refused = await rawCall(
        base,
        method,
        path,
        { ...('headers' in extra ? extra.headers : {}), host: `attacker.example:${port}` },
        'body' in extra ? extra.body : undefined,
      );
      expect([path, refused.status]).toEqual([path, 403]);
      expect(refused.message).toContain(`Host "attacker.example:${port}" is not a name this front end answers (listening on 127.0.0.1`);
      expect(refused.message).toContain('--allowed-hosts or DURABLE_TEAMS_ALLOWED_HOSTS');
    }
    for (const host of [`localhost:${port}`, 'localhost', `127.0.0.1:${port}`, `127.8.9.10:${port}`, `[::1]:${port}`]) {
      expect([host, (await rawCall(base, 'GET', card, { host })).status]).toEqual([host, 200]);
    }
    expect((await rawCall(base, 'GET', '/healthz', { host: 'attacker.example' })).status).toBe(200);
  });

  it('answers the names --allowed-hosts gives, and nothing else; bound to all interfaces, any name unless a list is given', async () => {
    const other = await startA2AServer({
      teams: [approvalTeam()],
      client: env.worker.client,
      port: 0,
      version: '0.0.0-test',
      tokens: null,
      secrets: null,
      allowedHosts: ['teams.example.com', '*.proxy.example'],
    });
    try {
      const card = `${new URL(other.teamUrls[TEAM]!).pathname}.well-known/agent-card.json`;
      for (const [host, status] of [
        ['teams.example.com', 200],
        ['teams.example.com:8443', 200],
        ['a.proxy.example', 200],
        ['localhost', 200],
        ['attacker.example', 403],
        ['teams.example.com.attacker.example', 403],
        ['evil@teams.example.com', 403],
      ] as const) {
        expect([host, (await rawCall(other.url, 'GET', card, { host })).status]).toEqual([host, status]);
      }
    } finally {
      await other.close();
    }
    expect(answerOnlyOurHosts({ bound: '0.0.0.0', publicUrl: 'http://127.0.0.1:1', allowed: [] })).toBeNull();
    expect(answerOnlyOurHosts({ bound: '::', publicUrl: 'http://[::1]:1', allowed: [] })).toBeNull();
    expect(answerOnlyOurHosts({ bound: '0.0.0.0', publicUrl: 'http://127.0.0.1:1', allowed: ['teams.example.com'] })).not.toBeNull();
    expect(answerOnlyOurHosts({ bound: 'localhost', publicUrl: 'http://localhost:1', allowed: [] })).not.toBeNull();
  });

  it('lets a page of an origin --allowed-origins names make calls that change things', async () => {
    const other = await startA2AServer({
      teams: [approvalTeam()],
      client: env.worker.client,
      port: 0,
      version: '0.0.0-test',
      tokens: null,
      secrets: null,
      allowedOrigins: ['https://ops.example.com'],
    });
    try {
      const stop = (origin: string) =>
        rawCall(other.url, 'POST', '/console/api/runs/no-such-run/stop', { ...json(0).headers, origin }, '{}');
      expect((await stop('https://ops.example.com')).status).toBe(404);
      expect((await stop('http://ops.example.com')).status).toBe(403);
    } finally {
      await other.close();
    }
  });
});
