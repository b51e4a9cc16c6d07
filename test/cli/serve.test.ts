import { startScriptedModelServer } from '../../src/testing/scripted-model';
import { testTemporalAddress, uniqueTaskQueue } from '../../src/testing/temporal-env';
import { TeamClient } from '../../src/client/team-client';
import { REVIEW_SCRIPT } from '../helpers/teams';
import { CliProcess, EXAMPLE_SCRIPT, EXAMPLE_TEAM, errorLines, expectCleanFailure, runCli, temporalFlags } from './cli-helpers';

describe('durable-teams scripted-model', () => {
  it('prints its base URL on stdout, serves the script, and stops on SIGTERM', async () => {
    const server = new CliProcess(['scripted-model', '--script', EXAMPLE_SCRIPT, '--port', '0']);
    try {
      const [baseUrl] = await server.waitFor('stdout', /^http:\/\/127\.0\.0\.1:\d+\/v1$/m);
      expect(server.stdout).toBe(`${baseUrl}\n`);

      const models = await fetch(`${baseUrl}/models`);
      expect(models.status).toBe(200);
      const body = (await models.json()) as { data: { id: string }[] };
      expect(body.data.map((m) => m.id)).toEqual(['researcher', 'writer', 'reviewer']);

      const reply = await fetch(`${baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'reviewer', messages: [{ role: 'user', content: 'Review this.' }] }),
      });
      expect(reply.status).toBe(200);
      expect(await reply.json()).toMatchObject({ choices: [{ message: { role: 'assistant', content: expect.any(String) } }] });

      const stopped = await server.stop('SIGTERM');
      expect(stopped).toMatchObject({ code: 0, signal: null });
      expect(errorLines(stopped.stderr)).toEqual([]);
      await expect(fetch(`${baseUrl}/models`)).rejects.toThrow();
    } finally {
      await server.stop('SIGKILL');
    }
  });

  it('names the script file and the problem when the script is bad', async () => {
    const result = await runCli(['scripted-model', '--script', 'no-such-script.yaml']);
    expect(expectCleanFailure(result)).toMatch(/^error: no-such-script\.yaml: cannot read the script: /);
  });
});

describe('durable-teams worker', () => {
  it('runs team runs until SIGTERM, then shuts down cleanly', async () => {
    const model = await startScriptedModelServer({ script: REVIEW_SCRIPT });
    const taskQueue = uniqueTaskQueue('cli-worker');
    const worker = new CliProcess(['worker', ...temporalFlags(taskQueue), '--model-base-url', model.baseUrl, '--log-level', 'WARN'], {
      timeoutMs: 60_000,
    });
    const client = await TeamClient.connect({ address: testTemporalAddress(), namespace: 'default', taskQueue });
    try {
      await worker.waitFor('stderr', /worker ready: task queue \S+/);
      expect(worker.stderr).toContain(`worker ready: task queue ${taskQueue} on ${testTemporalAddress()}`);
      // Where conversations are kept: the suite's store folder (DURABLE_TEAMS_STORE, set by the global setup).
      expect(worker.stderr).toContain(`conversations in ${process.env.DURABLE_TEAMS_STORE}`);

      const id = `cli-worker-${taskQueue}`;
      const run = await runCli(['run', EXAMPLE_TEAM, 'Write a note.', '--id', id, ...temporalFlags(taskQueue)], {
        env: { OPENAI_BASE_URL: model.baseUrl },
      });
      expect(run).toMatchObject({ code: 0 });
      expect(run.stdout).toContain('completed: "APPROVED" mentioned by reviewer');
      expect(model.countRequests({ agent: 'writer' })).toBe(2);

      const stopped = await worker.stop('SIGTERM');
      expect(stopped).toMatchObject({ code: 0, signal: null });
      expect(stopped.stderr).toContain('worker stopped');
      expect(errorLines(stopped.stderr)).toEqual([]);
      // The run lives in Temporal, not in the worker.
      expect(await client.executionStatus(id)).toBe('COMPLETED');
    } finally {
      await worker.stop('SIGKILL');
      await client.close();
      await model.close();
    }
  });
});
