import { join } from 'node:path';
import { TaskState, type Task } from '@a2a-js/sdk';
import { bearerTokens } from '../../src/access/auth';
import { PostgresRequestCounter } from '../../src/access/quotas/postgres-request-counter';
import { SharedPool } from '../../src/store/shared-pool';
import { QUOTA_ERROR_CODE } from '../../src/access/quotas/quotas';
import { startA2AServer, type A2AServer } from '../../src/server/server';
import { loadTeamFile } from '../../src/files/team-file';
import { secretBox } from '../../src/secrets/sealed';
import type { TeamSpec } from '../../src/spec/team';
import { startPostgres, type TestPostgres } from '../../src/testing/postgres';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, uniqueTaskQueue, type TestWorker } from '../../src/testing/temporal-env';
import { CliProcess, expectCleanFailure, runCli, temporalFlags, tempDir } from '../cli/cli-helpers';
import { REVIEW_SCRIPT, ROOT } from '../helpers/teams';
import { a2aError, sendParams, userMessage } from './a2a-env';
import { clientWith, untilVisible } from './quota-helpers';

/**
 * Quotas hold across front-end replicas (issue 20): requests are counted in a table of the
 * PostgreSQL beside the store, runs in progress in Temporal's visibility. First two front ends in
 * this process, each with its own connection pool; then two `durable-teams serve` processes (the
 * built CLI: `npm run build` first).
 */

const TOKENS = {
  alice: 'alice-token-3b9f1c27e5d84a06b1f2',
  bob: 'bob-token-77c2e0a9d41f4b6e8a03',
  carol: 'carol-token-5e1d9a2b7c3f40e6a8d4',
};
const PASSWORD = 'quota-test-pw-9d2f';
const TEAM_FILE = join(ROOT, 'examples/teams/review-approval.yaml');
const approvalTeam = (): TeamSpec => loadTeamFile(TEAM_FILE);

/** The URL with a password (trust authentication ignores it), so that the test can see it is never shown. */
const withPassword = (url: string) => url.replace('postgres://postgres@', `postgres://postgres:${PASSWORD}@`);

const getTask = (id: number) => ({ jsonrpc: '2.0', id, method: 'GetTask', params: { id: 'no-such-task' } });

async function rpc(base: string, token: string, body: unknown): Promise<{ status: number; code: number | undefined }> {
  const res = await fetch(`${base}a2a/jsonrpc`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', 'A2A-Version': '1.0', authorization: `Bearer ${token}` },
  });
  const json = (await res.json()) as { error?: { code: number } };
  return { status: res.status, code: json.error?.code };
}

describe('quotas across front-end replicas', () => {
  let postgres: TestPostgres;
  let model: ScriptedModelServer;
  let worker: TestWorker;
  beforeAll(async () => {
    postgres = await startPostgres();
    model = await startScriptedModelServer({ script: REVIEW_SCRIPT });
    worker = await startTestWorker({ taskQueue: uniqueTaskQueue('quotas'), model: { baseUrl: model.baseUrl } });
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await model?.close();
    await postgres?.destroy();
  }, 60_000);

  describe('two front ends in this process', () => {
    let now = 2_000 * 60_000;
    const logs: string[] = [];
    let servers: A2AServer[];
    let bases: string[];
    beforeAll(async () => {
      servers = await Promise.all(
        [0, 1].map(() =>
          startA2AServer({
            teams: [approvalTeam()],
            client: worker.client,
            port: 0,
            version: '0.0.0-test',
            tokens: bearerTokens(
              Object.entries(TOKENS).map(([name, token]) => `${name}=${token}`),
              'test',
            ),
            secrets: secretBox('quota-test-secrets'),
            quotas: {
              maxRequestsPerMinute: 4,
              maxRunsPerCaller: 1,
              requestCounter: new PostgresRequestCounter(new SharedPool(withPassword(postgres.url))),
              clock: () => now,
              log: (line) => logs.push(line),
            },
          }),
        ),
      );
      bases = servers.map((s) => s.teamUrls['review-approval']!);
    });
    afterAll(() => Promise.all(servers?.map((s) => s.close()) ?? []));

    it('counts requests on both against one limit, and lets requests through while PostgreSQL is down', async () => {
      const [a, b] = bases as [string, string];
      for (const base of [a, a, b, b]) expect(await rpc(base, TOKENS.alice, getTask(1))).toEqual({ status: 200, code: -32001 });
      expect(await rpc(a, TOKENS.alice, getTask(2))).toEqual({ status: 429, code: QUOTA_ERROR_CODE });
      expect(await rpc(b, TOKENS.alice, getTask(3))).toEqual({ status: 429, code: QUOTA_ERROR_CODE });
      expect(await rpc(b, TOKENS.bob, getTask(4))).toEqual({ status: 200, code: -32001 });

      // PostgreSQL goes away: alice, over her limit, is served (fail open), and each front end says so once, password hidden.
      await postgres.stop();
      try {
        for (const base of [a, b, a, b]) expect(await rpc(base, TOKENS.alice, getTask(5))).toEqual({ status: 200, code: -32001 });
      } finally {
        await postgres.start();
      }
      const down = logs.filter((line) => line.includes('cannot be reached'));
      expect(down).toHaveLength(2);
      expect(down[0]).toContain('postgres://postgres:***@127.0.0.1');
      expect(logs.join('\n')).not.toContain(PASSWORD);

      // Back, and two windows on: counted again from nothing, on both.
      now += 2 * 60_000;
      for (const base of [b, a, b, a]) expect(await rpc(base, TOKENS.alice, getTask(6))).toEqual({ status: 200, code: -32001 });
      expect(await rpc(b, TOKENS.alice, getTask(7))).toEqual({ status: 429, code: QUOTA_ERROR_CODE });
      expect(logs.filter((line) => line.includes('requests are limited again'))).toHaveLength(2);
    }, 120_000);

    it("counts a caller's runs started on the other front end, and frees the place when one is canceled there", async () => {
      now += 2 * 60_000;
      const [a, b] = bases as [string, string];
      const onA = await clientWith(a, TOKENS.carol);
      const onB = await clientWith(b, TOKENS.carol);
      const task = (await onA.sendMessage(sendParams(userMessage('Write a note.')))) as Task;
      expect(task.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
      // B never saw that start: it learns of the run from visibility.
      await untilVisible(worker.client, (runs) => runs.some((r) => r.id === task.id && r.running));
      const refused = await a2aError(onB.sendMessage(sendParams(userMessage('Another note.'))));
      expect(refused.code).toBe(QUOTA_ERROR_CODE);
      expect(refused.message).toMatch(/caller "carol" has 1 runs in progress/);

      now += 2 * 60_000;
      await onB.cancelTask({ tenant: '', id: task.id, metadata: undefined });
      await untilVisible(worker.client, (runs) => runs.some((r) => r.id === task.id && !r.running));
      const again = (await onB.sendMessage(sendParams(userMessage('Another note, now.')))) as Task;
      expect(again.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
      await onB.cancelTask({ tenant: '', id: again.id, metadata: undefined });
    }, 120_000);
  });

  describe('two `durable-teams serve` processes', () => {
    const live: CliProcess[] = [];
    const dir = tempDir('durable-teams-quotas-');
    afterAll(async () => {
      await Promise.all(live.map((p) => p.stop('SIGKILL')));
      dir.remove();
    });

    /** A front end with the request limit from the flag, or from the environment. */
    async function frontEnd(limitFrom: 'flag' | 'env'): Promise<{ process: CliProcess; base: string }> {
      const tokensFile = dir.write(
        'tokens',
        Object.entries(TOKENS)
          .map(([name, token]) => `${name}=${token}`)
          .join('\n'),
      );
      const process = new CliProcess(
        [
          'serve',
          TEAM_FILE,
          '--port',
          '0',
          '--auth',
          'bearer',
          '--tokens-file',
          tokensFile,
          ...(limitFrom === 'flag' ? ['--max-requests-per-minute', '3'] : []),
          ...temporalFlags(worker.taskQueue),
        ],
        {
          timeoutMs: 120_000,
          env: {
            DURABLE_TEAMS_STORE: withPassword(postgres.url),
            DURABLE_TEAMS_MAX_REQUESTS_PER_MINUTE: limitFrom === 'env' ? '3' : undefined,
          },
        },
      );
      live.push(process);
      const [, base] = await process.waitFor('stdout', /^review-approval (http:\S+)$/m);
      return { process, base: base! };
    }

    it('count requests in the shared table: the limit holds across both, per caller', async () => {
      const [a, b] = await Promise.all([frontEnd('flag'), frontEnd('env')]);
      expect(await rpc(a.base, TOKENS.alice, getTask(1))).toEqual({ status: 200, code: -32001 });
      expect(await rpc(b.base, TOKENS.alice, getTask(2))).toEqual({ status: 200, code: -32001 });
      expect(await rpc(a.base, TOKENS.alice, getTask(3))).toEqual({ status: 200, code: -32001 });
      expect(await rpc(b.base, TOKENS.alice, getTask(4))).toEqual({ status: 429, code: QUOTA_ERROR_CODE });
      expect(await rpc(a.base, TOKENS.alice, getTask(5))).toEqual({ status: 429, code: QUOTA_ERROR_CODE });
      expect(await rpc(b.base, TOKENS.bob, getTask(6))).toEqual({ status: 200, code: -32001 });
      for (const { process } of [a, b]) {
        expect(process.stderr).toMatch(
          /quotas per caller: no limit on runs in progress, 3 requests a minute \(counted in postgres:\/\/postgres:\*\*\*@/,
        );
        expect(process.stderr + process.stdout).not.toContain(PASSWORD);
      }
    }, 120_000);

    it('refuse a bad limit, naming the flag or the variable', async () => {
      const flag = await runCli(['serve', TEAM_FILE, '--max-runs-per-caller', '0', ...temporalFlags(worker.taskQueue)]);
      expect(expectCleanFailure(flag, 2)).toMatch(/--max-runs-per-caller must be a positive whole number, not "0"/);
      const env = await runCli(['serve', TEAM_FILE, ...temporalFlags(worker.taskQueue)], {
        env: { DURABLE_TEAMS_MAX_REQUESTS_PER_MINUTE: 'lots', DURABLE_TEAMS_STORE: withPassword(postgres.url) },
      });
      expect(expectCleanFailure(env, 2)).toMatch(
        /environment variable DURABLE_TEAMS_MAX_REQUESTS_PER_MINUTE must be a positive whole number, not "lots"/,
      );
    }, 60_000);
  });
});
