import { runVisibilityQuery } from '../../../src/client/listing/run-query';
import { isUnknownSearchAttribute } from '../../../src/temporal/search-attributes';

describe('visibility queries for run listings (run-query.ts)', () => {
  it('with the search attributes, says exactly what runStatusOf says', () => {
    const query = runVisibilityQuery(
      { taskQueue: 'q', teams: ['review'], contextId: 'c1', status: 'completed', startedBy: 'token:alice' },
      'indexed',
    );
    expect(query).toBe(
      "WorkflowType = 'teamRun' AND TaskQueue = 'q' AND DurableTeamsTeam IS NOT NULL AND DurableTeamsTeam IN ('review') AND " +
        "DurableTeamsContextId = 'c1' AND DurableTeamsState = 'completed' AND ExecutionStatus != 'Terminated' AND " +
        "ExecutionStatus != 'TimedOut' AND DurableTeamsStartedBy = 'token:alice'",
    );
    // Failed: the attribute says so, or the run was ended from outside (whatever its attribute says).
    expect(runVisibilityQuery({ status: 'failed' }, 'indexed')).toContain(
      "(DurableTeamsState = 'failed' OR (ExecutionStatus = 'Terminated' OR ExecutionStatus = 'TimedOut'))",
    );
    expect(runVisibilityQuery({ waiting: true }, 'indexed')).toBe(
      "WorkflowType = 'teamRun' AND ExecutionStatus = 'Running' AND DurableTeamsTeam IS NOT NULL AND DurableTeamsState = 'input-required'",
    );
    expect(runVisibilityQuery({ updatedSince: new Date('2026-12-01T00:00:00Z') }, 'indexed')).toContain(
      "DurableTeamsUpdatedAt >= '2026-12-01T00:00:00.000Z'",
    );
  });

  it('for runs without them, asks for a superset the memos then narrow: alone, or beside the indexed branch', () => {
    const filter = { taskQueue: 'q', teams: ['review'], contextId: 'c1', status: 'rejected' as const };
    expect(runVisibilityQuery(filter, 'memo')).toBe(
      "WorkflowType = 'teamRun' AND TaskQueue = 'q' AND WorkflowId STARTS_WITH 'review-' AND ExecutionStatus = 'Completed'",
    );
    const both = runVisibilityQuery(filter, 'indexed+memo');
    expect(both).toContain("((DurableTeamsTeam IS NOT NULL AND DurableTeamsTeam IN ('review') AND DurableTeamsContextId = 'c1'");
    expect(both).toContain("OR (DurableTeamsTeam IS NULL AND WorkflowId STARTS_WITH 'review-' AND ExecutionStatus = 'Completed'))");
  });

  it('without them, narrows by execution status where a run status implies one, and by run ids for a search', () => {
    expect(runVisibilityQuery({ taskQueue: 'q1' }, 'memo')).toBe(`WorkflowType = 'teamRun' AND TaskQueue = 'q1'`);
    expect(runVisibilityQuery({ waiting: true }, 'memo')).toContain(`ExecutionStatus = 'Running'`);
    expect(runVisibilityQuery({ status: 'rejected' }, 'memo')).toContain(`ExecutionStatus = 'Completed'`);
    expect(runVisibilityQuery({ status: 'canceled' }, 'memo')).toContain(`ExecutionStatus = 'Canceled'`);
    // A failed run may have been terminated or timed out too: the memo decides, not visibility.
    expect(runVisibilityQuery({ status: 'failed' }, 'memo')).not.toContain('ExecutionStatus');
    expect(runVisibilityQuery({ ids: ['review-1', 'review-2'] }, 'memo')).toContain(`WorkflowId IN ('review-1', 'review-2')`);
  });

  it('a value cannot break out of its quotes', () => {
    expect(runVisibilityQuery({ taskQueue: 'q1', ids: [`x' OR WorkflowId != '`] }, 'memo')).toBe(
      `WorkflowType = 'teamRun' AND TaskQueue = 'q1' AND WorkflowId IN ('x OR WorkflowId != ')`,
    );
    expect(runVisibilityQuery({ contextId: `x' OR DurableTeamsTeam != '` }, 'indexed')).toContain(
      "DurableTeamsContextId = 'x OR DurableTeamsTeam != '",
    );
  });
});

describe('a start refused for an attribute the server does not know yet', () => {
  it('is told apart from other refusals, however deep the SDK wraps it', () => {
    const refused = new Error('Failed to start workflow', {
      cause: new Error('3 INVALID_ARGUMENT: search attribute DurableTeamsTeam is not defined'),
    });
    expect(isUnknownSearchAttribute(refused)).toBe(true);
    expect(
      isUnknownSearchAttribute(new Error('Failed to start workflow', { cause: new Error('3 INVALID_ARGUMENT: namespace not found') })),
    ).toBe(false);
    expect(isUnknownSearchAttribute(undefined)).toBe(false);
  });
});
