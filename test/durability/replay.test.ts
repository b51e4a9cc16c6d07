import { Worker } from '@temporalio/worker';
import { installRuntimeLogging } from '../../src/logging/runtime-logging';
import { testWorkflowBundle } from '../../src/testing/temporal-env';
import { createReplayWorkerOptions } from '../../src/worker/worker-options';
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
    // Cancelled mid-call, before and since a cancelled run waits for its activities (patched 'cancel-waits').
    expect(names).toContain('canceled-mid-remote-call');
    for (const scenario of ['canceled-mid-turn', 'remote-participant', 'nested-team'])
      expect(names).toContain(`before-cancel-waits/${scenario}`);
    const withTheStore = [
      'tools-approval-retry',
      'swarm-handoff-user',
      'nested-team',
      'nested-question',
      'nested-stop',
      'selector-function',
      'remote-tool',
    ];
    for (const scenario of withTheStore) expect(names).toContain(scenario);
    // A budgeted run that asked a person at its budget, took a raise and completed (record-histories.test.ts).
    expect(names).toContain('budget-ask-raise');
    // A follow-up in a context: its input says how many earlier parts it reads before its own.
    expect(names).toContain('context-follow-up');
    // A fork: its input says which run and turn it began from, and carries records of the kept messages.
    expect(names).toContain('fork-at-turn-3');
    // Recorded before the conversation store (no marker): executions that carry messages whole.
    for (const scenario of [...withTheStore, 'remote-participant', 'a2a-push-configs', 'continued-as-new'])
      expect(names).toContain(`before-conversation-store/${scenario}`);
    // With the store: runs continued as new several times, carrying records of replies, a tool's
    // output and people's answers (the middle executions begin from records and carry them on).
    for (const run of ['continued-as-new', 'continued-as-new-people-tools']) {
      expect(names).toContain(run);
      expect(names.filter((n) => new RegExp(`^${run}-[0-9a-f]{8}$`).test(n)).length).toBeGreaterThanOrEqual(2);
    }
  });

  // Every recorded history is replayed (over 170, more with each patched change): the time grows
  // with them, and with whatever else the suite runs beside it on two cores.
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
  }, 300_000);
});
