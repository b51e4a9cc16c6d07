import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { RunEndedError } from '../../src/temporal/errors';
import { FAST_RETRY, REVIEW_SCRIPT, reviewTeam } from '../helpers/teams';

async function withModel(
  script: object,
  test: (model: ScriptedModelServer, env: TestWorker) => Promise<void>,
  env: Record<string, string> = {},
) {
  const model = await startScriptedModelServer({ script, apiKey: 'sk-test-secret-123456' });
  const worker = await startTestWorker({ model: { baseUrl: model.baseUrl }, env: { OPENAI_API_KEY: 'sk-test-secret-123456', ...env } });
  try {
    await test(model, worker);
  } finally {
    await worker.stop();
    await model.close();
  }
}

describe('model endpoint failures', () => {
  it('retries 503s and completes, each turn in the transcript once', () =>
    withModel({ ...REVIEW_SCRIPT, failures: [{ status: 503, agent: 'writer', firstCalls: 2 }] }, async (model, env) => {
      const result = await env.client.result(await env.client.start(reviewTeam({ retry: FAST_RETRY }), 'Go.'));
      expect(result.snapshot.status).toBe('completed');
      expect(result.messages.filter((m) => m.source === 'writer').map((m) => m.content)).toEqual(['draft one', 'draft two']);
      expect(model.countRequests({ agent: 'writer', status: 503 })).toBe(2);
      expect(model.countRequests({ agent: 'writer', status: 200 })).toBe(2);
    }));

  it('retries a dropped connection (a network error)', () =>
    withModel({ ...REVIEW_SCRIPT, failures: [{ dropConnection: true, agent: 'researcher', firstCalls: 1 }] }, async (model, env) => {
      const runId = await env.client.start(reviewTeam({ retry: FAST_RETRY }), 'Go.');
      const result = await env.client.result(runId);
      expect(result.snapshot.status).toBe('completed');
      expect(model.countRequests({ agent: 'researcher' })).toBe(3);
      const history = await env.client.client.workflow.getHandle(runId).fetchHistory();
      const retried = history.events!.find((e) => e.activityTaskStartedEventAttributes?.lastFailure);
      expect(retried?.activityTaskStartedEventAttributes?.lastFailure?.applicationFailureInfo?.type).toBe(
        'ModelInvocationError.Connection',
      );
    }));

  it('waits as long as retry-after asks on a 429', () =>
    withModel(
      { ...REVIEW_SCRIPT, failures: [{ status: 429, agent: 'researcher', firstCalls: 1, retryAfterSeconds: 1 }] },
      async (model, env) => {
        await env.client.result(await env.client.start(reviewTeam({ retry: FAST_RETRY }), 'Go.'));
        const [limited, retried] = model.requests.filter((r) => r.agent === 'researcher');
        // FAST_RETRY would retry after 50 ms; the endpoint's retry-after wins.
        expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(900);
      },
    ));

  it('fails fast on a 401 with an error naming agent, endpoint and status, never the key', () =>
    withModel(
      { ...REVIEW_SCRIPT, failures: [{ status: 401, agent: 'writer', message: 'invalid key sk-test-secret-123456' }] },
      async (model, env) => {
        const runId = await env.client.start(reviewTeam(), 'Go.');
        const error = (await env.client.result(runId).catch((e: unknown) => e)) as RunEndedError;
        expect(error).toBeInstanceOf(RunEndedError);
        expect(error.status).toBe('failed');
        expect(error.message).toContain(`agent "writer": model endpoint ${model.baseUrl} answered 401`);
        expect(error.message).toContain('invalid key ***');
        expect(error.message).not.toContain('sk-test-secret-123456');
        expect(model.countRequests({ agent: 'writer' })).toBe(1); // not retried

        const state = await env.client.getState(runId);
        expect(state).toMatchObject({ status: 'failed', turns: 1 });
        expect(state.error?.type).toBe('ModelInvocationError.Unauthorized');
        const history = JSON.stringify(await env.client.client.workflow.getHandle(runId).fetchHistory());
        expect(history).not.toContain('sk-test-secret-123456');
      },
    ));

  it('fails without calling the model when the named key variable is not set on the worker', () =>
    withModel(REVIEW_SCRIPT, async (model, env) => {
      const team = { ...reviewTeam(), model: { model: 'scripted', baseUrl: 'https://models.example.com/v1', apiKeyEnv: 'TEAM_KEY' } };
      const error = await env.client.result(await env.client.start(team, 'Go.')).catch((e: unknown) => e);
      expect(String(error)).toMatch(/environment variable TEAM_KEY is not set on the worker/);
      expect(model.countRequests()).toBe(0);
    }));

  it('reads the key from the variable the team names', () =>
    withModel(
      REVIEW_SCRIPT,
      async (model, env) => {
        const team = reviewTeam();
        const named = { ...team, model: { ...team.model, baseUrl: model.baseUrl, apiKeyEnv: 'TEAM_KEY' } };
        const result = await env.client.result(await env.client.start(named, 'Go.'));
        expect(result.snapshot.status).toBe('completed');
      },
      { TEAM_KEY: 'sk-test-secret-123456', OPENAI_API_KEY: 'wrong' },
    ));
});
