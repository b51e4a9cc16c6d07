import { join } from 'node:path';
import { TaskState, type Task } from '@a2a-js/sdk';
import { bearerTokens } from '../../src/access/auth';
import { QUOTA_ERROR_CODE } from '../../src/access/quotas/quotas';
import { RUNS_RETRY_AFTER_SECONDS } from '../../src/access/quotas/runs-in-progress';
import { loadTeamFile } from '../../src/files/team-file';
import type { TeamSpec } from '../../src/spec/team';
import { REVIEW_SCRIPT, ROOT } from '../helpers/teams';
import { a2aError, sendParams, startA2AEnv, userMessage, type A2AEnv } from './a2a-env';
import { clientWith, runsOnQueue, untilVisible } from './quota-helpers';

/**
 * Runs in progress per caller (issue 20): the approval team's runs wait on a person, and a run
 * waiting on a person is in progress. Counted from Temporal's visibility, so this file waits for
 * visibility to catch up where it must (never asserting how long that takes).
 */

const ALICE = 'alice-token-3b9f1c27e5d84a06b1f2';
const BOB = 'bob-token-77c2e0a9d41f4b6e8a03';
const approvalTeam = (): TeamSpec => loadTeamFile(join(ROOT, 'examples/teams/review-approval.yaml'));

function asTask(result: unknown): Task {
  expect(result).toHaveProperty('status');
  return result as Task;
}

describe('runs in progress per caller', () => {
  let env: A2AEnv;
  let base: string;
  beforeAll(async () => {
    env = await startA2AEnv([approvalTeam()], REVIEW_SCRIPT, {
      tokens: bearerTokens([`alice=${ALICE}`, `bob=${BOB}`], 'test'),
      quotas: { maxRunsPerCaller: 2 },
    });
    base = env.server.teamUrls['review-approval']!;
  });
  afterAll(() => env?.stop());

  it('refuses a start over the limit on JSON-RPC and REST without starting anything, leaves another caller be, and lets one in once a run is canceled', async () => {
    const alice = await clientWith(base, ALICE);
    const first = asTask(await alice.sendMessage(sendParams(userMessage('Write a note.'))));
    const second = asTask(await alice.sendMessage(sendParams(userMessage('Write another note.'))));
    expect([first.status?.state, second.status?.state]).toEqual([TaskState.TASK_STATE_INPUT_REQUIRED, TaskState.TASK_STATE_INPUT_REQUIRED]);
    const before = await runsOnQueue(env.worker.client);
    expect(before.map((r) => r.id).sort()).toEqual([first.id, second.id].sort());

    // The SDK client sees our code and message.
    const refused = await a2aError(alice.sendMessage(sendParams(userMessage('A third note.'))));
    expect(refused.code).toBe(QUOTA_ERROR_CODE);
    expect(refused.message).toMatch(/caller "alice" has 2 runs in progress, its limit \(--max-runs-per-caller 2\); nothing was started/);
    // Streaming too.
    const stream = alice.sendMessageStream(sendParams(userMessage('A streamed note.')));
    expect(await a2aError(stream.next())).toMatchObject({ code: QUOTA_ERROR_CODE });

    // Raw JSON-RPC, v1.0 and v0.3: 429, Retry-After, the request's id, ErrorInfo TOO_MANY_RUNS.
    const rpc = async (body: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${base}a2a/jsonrpc`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ALICE}`, ...headers },
      });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const wireSend = (id: string) => ({ message: { messageId: id, role: 'ROLE_USER', parts: [{ text: 'Write.' }] } });
    const v1 = await rpc({ jsonrpc: '2.0', id: 'a-3', method: 'SendMessage', params: wireSend('m-1') }, { 'A2A-Version': '1.0' });
    expect(v1.status).toBe(429);
    expect(v1.retryAfter).toBe(String(RUNS_RETRY_AFTER_SECONDS));
    expect(v1.body.id).toBe('a-3');
    expect(v1.body.error).toMatchObject({
      code: QUOTA_ERROR_CODE,
      data: [{ reason: 'TOO_MANY_RUNS', domain: 'a2a-protocol.org', metadata: { retryAfterSeconds: '30', limit: '2', caller: 'alice' } }],
    });
    const legacyMessage = { kind: 'message', messageId: 'm-legacy', role: 'user', parts: [{ kind: 'text', text: 'Write.' }] };
    const v03 = await rpc({ jsonrpc: '2.0', id: 7, method: 'message/send', params: { message: legacyMessage } });
    expect([v03.status, v03.body.error?.code]).toEqual([429, QUOTA_ERROR_CODE]);

    // REST, v1.0 and v0.3 paths: 429 RESOURCE_EXHAUSTED.
    for (const [path, headers, body] of [
      ['a2a/rest/message:send', { 'A2A-Version': '1.0' }, wireSend('m-2')],
      ['a2a/rest/message:stream', { 'A2A-Version': '1.0' }, wireSend('m-3')],
      ['a2a/rest/v1/message:send', {}, { message: { messageId: 'm-rest-legacy', role: 'ROLE_USER', content: [{ text: 'Write.' }] } }],
    ] as const) {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ALICE}`, ...headers },
      });
      expect([path, res.status, res.headers.get('retry-after')]).toEqual([path, 429, '30']);
      expect(((await res.json()) as { error: { status: string; message: string } }).error).toMatchObject({
        status: 'RESOURCE_EXHAUSTED',
        message: expect.stringContaining('"alice" has 2 runs in progress'),
      });
    }

    // A message naming a task answers that task, which is no new run: not refused (here, no such task).
    const answer = await a2aError(alice.sendMessage(sendParams(userMessage('approve', { taskId: 'no-such-task' }))));
    expect(answer.code).toBe(-32001);

    // Bob has his own count. Once visibility lists his run, nothing else is there: alice's refusals started nothing.
    const bob = await clientWith(base, BOB);
    const bobs = asTask(await bob.sendMessage(sendParams(userMessage('Bob writes.'))));
    expect(bobs.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    await untilVisible(env.worker.client, (runs) => runs.some((r) => r.id === bobs.id));
    expect((await runsOnQueue(env.worker.client)).map((r) => r.id).sort()).toEqual([first.id, second.id, bobs.id].sort());

    // Alice cancels one; once it has ended, she may start again.
    await alice.cancelTask({ tenant: '', id: first.id, metadata: undefined });
    await untilVisible(env.worker.client, (runs) => runs.some((r) => r.id === first.id && !r.running));
    const third = asTask(await alice.sendMessage(sendParams(userMessage('A third note, now.'))));
    expect(third.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    // And at two again, she is refused again, at once: the run just started counts before visibility lists it.
    expect((await a2aError(alice.sendMessage(sendParams(userMessage('A fourth note.'))))).code).toBe(QUOTA_ERROR_CODE);
  });
});
