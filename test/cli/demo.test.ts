import { TeamClient } from '../../src/client/team-client';
import { testTemporalAddress } from '../../src/testing/temporal-env';
import { errorLines, runCli, type CliResult } from './cli-helpers';

/** The demo starts a dev server, a worker and a model of its own: give it time. */
const DEMO_TIMEOUT_MS = 120_000;

/** What every successful demo shows: the three agents' turns in order and the stop reason. */
function expectDemoCompleted(result: CliResult): string {
  expect(result).toMatchObject({ code: 0 });
  expect(errorLines(result.stderr)).toEqual([]);
  expect(result.stderr).toContain(
    'OPENAI_API_KEY is not set, so the agents answer from a script: the scripted model server at http://127.0.0.1:',
  );
  const speakers = [...result.stdout.matchAll(/^\[(\w+)\]$/gm)].map((m) => m[1]);
  expect(speakers).toEqual(['researcher', 'writer', 'reviewer', 'researcher', 'writer', 'reviewer']);
  expect(result.stdout).toContain('Team runs that survive crashes');
  expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('completed: "APPROVED" mentioned by reviewer');
  const started = result.stderr.match(/^started run (\S+): team review, 3 agents, round-robin$/m);
  expect(started).not.toBeNull();
  return started![1]!;
}

describe('durable-teams demo', () => {
  it(
    'with no OPENAI_API_KEY and no TEMPORAL_ADDRESS runs the example team on its own dev server and the scripted model',
    async () => {
      const result = await runCli(['demo'], {
        env: { OPENAI_API_KEY: undefined, TEMPORAL_ADDRESS: undefined },
        timeoutMs: DEMO_TIMEOUT_MS - 10_000,
      });
      expectDemoCompleted(result);
      expect(result.stderr).toContain('starting a local Temporal dev server...');
      expect(result.stderr).toMatch(/^Temporal dev server on 127\.0\.0\.1:\d+/m);
    },
    DEMO_TIMEOUT_MS,
  );

  it(
    'with TEMPORAL_ADDRESS set uses that server, where the run then is',
    async () => {
      const address = testTemporalAddress();
      const result = await runCli(['demo'], {
        env: { OPENAI_API_KEY: undefined, TEMPORAL_ADDRESS: address },
        timeoutMs: DEMO_TIMEOUT_MS - 10_000,
      });
      const runId = expectDemoCompleted(result);
      expect(result.stderr).toContain(`using the Temporal server at ${address} (TEMPORAL_ADDRESS)`);
      expect(result.stderr).not.toContain('starting a local Temporal dev server');

      const client = await TeamClient.connect({ address, namespace: 'default', taskQueue: 'unused' });
      try {
        expect(await client.executionStatus(runId)).toBe('COMPLETED');
      } finally {
        await client.close();
      }
    },
    DEMO_TIMEOUT_MS,
  );
});
