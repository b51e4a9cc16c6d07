import { Worker } from '@temporalio/worker';
import { installRuntimeLogging } from '../../src/logging/runtime-logging';
import { testWorkflowBundle } from '../../src/testing/temporal-env';
import { createReplayWorkerOptions } from '../../src/temporal/worker-options';
import { loadHistories } from './histories';

/**
 * Histories recorded from real runs (test/durability/record-histories.test.ts) replayed against
 * today's workflow code. A change that would break runs in flight (a reordered activity, a new
 * timer without patched()) makes the replay non-deterministic and fails here.
 */
describe('recorded histories replay against the current workflow code', () => {
  const histories = loadHistories();

  it('has histories to replay, covering every way a run ends', () => {
    const names = histories.map((h) => h.workflowId);
    for (const scenario of ['round-robin', 'selector', 'timeout', 'stop', 'canceled', 'failed', 'continued']) {
      expect(names.join(' ')).toContain(`before-status-memo/${scenario}`);
    }
    for (const scenario of ['human-turns-handoff-notify', 'approval-changes-then-approve', 'approval-rejected', 'approval-deadline']) {
      expect(names).toContain(`before-a2a/${scenario}`);
      expect(names).toContain(scenario);
    }
    expect(names).toContain('a2a-push-configs');
    expect(names).toContain('remote-participant');
    expect(names).toContain('before-tools/remote-participant');
    for (const scenario of ['tools-approval-retry', 'swarm-handoff-user', 'nested-team', 'selector-function', 'remote-tool']) expect(names).toContain(scenario);
  });

  it('replays each without non-determinism', async () => {
    installRuntimeLogging('ERROR'); // a failing replay is reported below, not as console noise
    const options = { ...createReplayWorkerOptions(await testWorkflowBundle()), replayName: 'recorded-histories' };
    const failures: string[] = [];
    // One folder at a time, each history under the id it ran with (the same id may be in several folders).
    for (const dir of new Set(histories.map((h) => h.dir))) {
      const batch = histories.filter((h) => h.dir === dir).map(({ originalId, history }) => ({ workflowId: originalId, history }));
      for await (const result of Worker.runReplayHistories(options, batch)) {
        if (result.error) failures.push(`${dir ? `${dir}/` : ''}${result.workflowId}: ${result.error.message}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
