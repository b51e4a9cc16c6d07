import { once } from 'node:events';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TaskState, type Task } from '@a2a-js/sdk';
import { bearerTokens } from '../../src/access/auth';
import { QUOTA_ERROR_CODE } from '../../src/access/quotas/quotas';
import { RunNotFoundError } from '../../src/temporal/errors';
import { loadTeamFile } from '../../src/files/team-file';
import { ROOT } from '../helpers/teams';
import { TOKENS, TO_APPROVAL_SCRIPT } from './callers';
import { a2aError, sendParams, startA2AEnv, userMessage, type A2AEnv } from './a2a-env';
import { clientWith, runsOnQueue, untilVisible } from './quota-helpers';

/**
 * Runs in progress per caller hold inside one front end under a burst (issue 29): a caller
 * cancels its run and at once sends a dozen new tasks (or forks) side by side; at most its limit
 * start. A start finishing while another was being counted was once counted by neither; a fork
 * was once not remembered as a start at all. What started is counted through Temporal's
 * visibility, not through the quota's code.
 */

const ROUNDS = 50;
const FORK_ROUNDS = 8;
const LIMIT = 1;
const approvalTeam = () => loadTeamFile(join(ROOT, 'examples/teams/review-approval.yaml'));

describe('runs in progress per caller, a burst of starts after a cancel', () => {
  let env: A2AEnv;
  beforeAll(async () => {
    env = await startA2AEnv([approvalTeam()], TO_APPROVAL_SCRIPT, {
      tokens: bearerTokens([`alice=${TOKENS.alice}`], 'test'),
      quotas: { maxRunsPerCaller: LIMIT },
    });
  });
  afterAll(() => env?.stop());

  /**
   * Rounds of: cancel the runs the last round started, pause a moment, send a burst side by side.
   * Answers the rounds in which visibility, once it lists every run the burst was told of, lists
   * more new runs than the limit.
   */
  async function burstRounds(rounds: number, size: (round: number) => number, send: (text: string) => Promise<unknown>) {
    const known = new Set((await runsOnQueue(env.worker.client)).map((r) => r.id));
    let current = (await runsOnQueue(env.worker.client)).filter((r) => r.running).map((r) => r.id);
    const overLimit: { round: number; started: number }[] = [];
    for (let round = 0; round < rounds; round++) {
      // Canceled through Temporal, which answers at once: the burst may come before the run has ended.
      for (const id of current) await env.worker.client.requestCancellation(id);
      // The pause probes the moment visibility learns of the cancel: before it, after it, around it.
      await sleep((round % 4) * 50);
      const burst = await Promise.all(
        Array.from({ length: size(round) }, (_, i) =>
          send(`Note ${round}.${i}.`).then(
            (task) => (task as Task).id,
            async (err: unknown) => {
              // Refused for the limit is expected; anything else is a failure of the test.
              expect((await a2aError(Promise.reject(err))).code).toBe(QUOTA_ERROR_CODE);
              return null;
            },
          ),
        ),
      );
      current = burst.filter((id): id is string => id !== null);
      await untilVisible(env.worker.client, (runs) => current.every((id) => runs.some((r) => r.id === id)));
      const started = (await runsOnQueue(env.worker.client)).filter((r) => !known.has(r.id));
      for (const run of started) known.add(run.id);
      if (started.length > LIMIT) overLimit.push({ round, started: started.length });
    }
    for (const id of current) await env.worker.client.requestCancellation(id);
    return overLimit;
  }

  it(`starts at most ${LIMIT} run in each of ${ROUNDS} rounds of cancel, a short pause, then 10 to 12 sends at once`, async () => {
    const alice = await clientWith(env.server.teamUrls['review-approval']!, TOKENS.alice);
    const send = (text: string) => alice.sendMessage(sendParams(userMessage(text), { returnImmediately: true }));
    expect(await burstRounds(ROUNDS, (round) => 10 + (round % 3), send)).toEqual([]);
  }, 120_000);

  it(`starts at most ${LIMIT} fork in each round of cancel, a short pause, then 10 forks at once`, async () => {
    const alice = await clientWith(env.server.teamUrls['review-approval']!, TOKENS.alice);
    await untilVisible(env.worker.client, (runs) => runs.every((r) => !r.running));
    // The run the forks fork: it waits for approval after three turns; once canceled, it holds no place.
    const original = (await alice.sendMessage(sendParams(userMessage('The note to fork.')))) as Task;
    expect(original.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    await alice.cancelTask({ tenant: '', id: original.id, metadata: undefined });
    const fork = (text: string) =>
      alice.sendMessage(
        sendParams(userMessage(text, { metadata: { durableTeams: { forkFrom: { taskId: original.id, turn: 1 } } } }), {
          returnImmediately: true,
        }),
      );
    expect(await burstRounds(FORK_ROUNDS, () => 10, fork)).toEqual([]);
  }, 120_000);

  it("passes every start of the front end's client through the same limit: a fork or start made on it directly, asking no admission, is refused over it", async () => {
    const alice = await clientWith(env.server.teamUrls['review-approval']!, TOKENS.alice);
    await untilVisible(env.worker.client, (runs) => runs.every((r) => !r.running));
    const original = (await alice.sendMessage(sendParams(userMessage('A note.')))) as Task;
    expect(original.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const client = env.worker.client; // the very client the front end starts runs with
    const atLimit = /caller "alice" has 1 runs in progress, its limit \(--max-runs-per-caller 1\); nothing was started/;
    await expect(client.fork(original.id, { atTurn: 1, runId: 'refused-fork', startedBy: { token: 'alice' } })).rejects.toThrow(atLimit);
    await expect(client.start(approvalTeam(), 'Another note.', { runId: 'refused-start', startedBy: { token: 'alice' } })).rejects.toThrow(
      atLimit,
    );
    for (const id of ['refused-fork', 'refused-start']) await expect(client.executionStatus(id)).rejects.toThrow(RunNotFoundError);
    // Someone else is not at the limit; a start with no caller (the CLI's) is no caller's.
    const bobs = await client.fork(original.id, { atTurn: 1, startedBy: { token: 'bob' } });
    const nobodys = await client.start(approvalTeam(), 'A note of no caller.');
    await client.cancel(original.id);
    await untilVisible(client, (runs) => runs.some((r) => r.id === original.id && !r.running));
    const forked = await client.fork(original.id, { atTurn: 1, startedBy: { token: 'alice' } });
    for (const id of [bobs, nobodys, forked]) expect(await client.executionStatus(id)).toBe('RUNNING');
    for (const id of [bobs, nobodys, forked]) await client.cancel(id);
  });

  it('frees the place of a caller that hangs up while it is being admitted', async () => {
    await untilVisible(env.worker.client, (runs) => runs.every((r) => !r.running));
    const url = new URL(`${env.server.teamUrls['review-approval']!}a2a/jsonrpc`);
    // A start refused after its admission (it names a task that is not there), whose client has gone by then.
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'SendMessage',
      params: { message: { messageId: 'm-gone', role: 'ROLE_USER', parts: [{ text: 'A note.' }], referenceTaskIds: ['no-such-task'] } },
    });
    const head = [`POST ${url.pathname} HTTP/1.1`, `host: ${url.host}`, 'content-type: application/json', 'A2A-Version: 1.0'];
    for (let i = 0; i < 20; i++) {
      const socket = connect(Number(url.port), url.hostname);
      await once(socket, 'connect');
      socket.write([...head, `authorization: Bearer ${TOKENS.alice}`, `content-length: ${Buffer.byteLength(body)}`, '', body].join('\r\n'));
      await sleep(i * 3); // hangs up sooner or later in its admission
      socket.destroy();
    }
    // Once those requests are done with, alice has nothing in progress: a start is let through.
    const alice = await clientWith(env.server.teamUrls['review-approval']!, TOKENS.alice);
    let admitted: Task | null = null;
    for (let i = 0; i < 50 && !admitted; i++) {
      admitted = await alice.sendMessage(sendParams(userMessage('A note.'), { returnImmediately: true })).then(
        (task) => task as Task,
        async (err: unknown) => {
          expect((await a2aError(Promise.reject(err))).code).toBe(QUOTA_ERROR_CODE);
          await sleep(100);
          return null;
        },
      );
    }
    expect(admitted?.status?.state).toBe(TaskState.TASK_STATE_SUBMITTED);
    await env.worker.client.cancel(admitted!.id);
  });
});
