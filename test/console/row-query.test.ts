import { rowQuery } from '../../src/console-api/run-rows';

describe('the console runs list asks visibility for as little as it can', () => {
  it('narrows by execution status where a run status implies one, and by run ids for a search', () => {
    expect(rowQuery('q1', {})).toBe(`WorkflowType = 'teamRun' AND TaskQueue = 'q1'`);
    expect(rowQuery('q1', { waiting: true })).toContain(`ExecutionStatus = 'Running'`);
    expect(rowQuery('q1', { status: 'rejected' })).toContain(`ExecutionStatus = 'Completed'`);
    expect(rowQuery('q1', { status: 'canceled' })).toContain(`ExecutionStatus = 'Canceled'`);
    // A failed run may have been terminated or timed out too: the memo decides, not visibility.
    expect(rowQuery('q1', { status: 'failed' })).not.toContain('ExecutionStatus');
    expect(rowQuery('q1', { ids: new Set(['review-1', 'review-2']) })).toContain(`WorkflowId IN ('review-1', 'review-2')`);
  });

  it('a search cannot break out of its quotes', () => {
    const query = rowQuery('q1', { ids: new Set([`x' OR WorkflowId != '`]) });
    expect(query).toBe(`WorkflowType = 'teamRun' AND TaskQueue = 'q1' AND WorkflowId IN ('x OR WorkflowId != ')`);
  });
});
