import { matchesFilter } from '../../../src/client/listing/run-matcher';
import type { ListedExecution } from '../../../src/client/listing/list-executions';

/** A run as visibility lists it, with the fields the matcher reads. */
function listed(
  fields: { id?: string; queue?: string; execution?: string; memo?: Record<string, unknown>; closed?: Date } = {},
): ListedExecution {
  return {
    workflowId: fields.id ?? 'review-1',
    taskQueue: fields.queue ?? 'q',
    status: { name: fields.execution ?? 'RUNNING' },
    memo: fields.memo ?? { team: 'review', contextId: 'c1', status: 'working', updatedAt: Date.parse('2026-12-01T10:00:00Z') },
    startTime: new Date('2026-12-01T09:00:00Z'),
    closeTime: fields.closed,
    memoUnreadable: false,
  } as unknown as ListedExecution;
}

describe('the one test every listed run passes (run-matcher.ts)', () => {
  it('admits a run each field of the filter wants, and refuses it on any field that does not hold', () => {
    const run = listed({
      memo: { team: 'review', contextId: 'c1', status: 'input-required', startedBy: { token: 'alice' }, updatedAt: 5 },
    });
    expect(matchesFilter(run, {})).toBe(true);
    expect(matchesFilter(run, { taskQueue: 'q', teams: ['review'], contextId: 'c1', waiting: true, running: true })).toBe(true);
    expect(matchesFilter(run, { startedBy: 'token:alice', status: 'input-required', updatedSince: new Date(5) })).toBe(true);
    expect(matchesFilter(run, { taskQueue: 'other' })).toBe(false);
    expect(matchesFilter(run, { teams: ['write'] })).toBe(false);
    expect(matchesFilter(run, { contextId: 'c2' })).toBe(false);
    expect(matchesFilter(run, { status: 'working' })).toBe(false);
    expect(matchesFilter(run, { startedBy: 'token:bob' })).toBe(false);
    expect(matchesFilter(run, { startedBy: 'address:127.0.0.1' })).toBe(false);
    expect(matchesFilter(run, { updatedSince: new Date(6) })).toBe(false);
    expect(matchesFilter(run, { ids: ['review-2'] })).toBe(false);
  });

  it('takes a run started without a context as its own context', () => {
    const run = listed({ id: 'review-9', memo: { team: 'review', contextId: null, status: 'working' } });
    expect(matchesFilter(run, { contextId: 'review-9' })).toBe(true);
    expect(matchesFilter(run, { contextId: 'c1' })).toBe(false);
  });

  it('says what runStatusOf says: a run terminated from outside is failed, whatever its memo', () => {
    const run = listed({ execution: 'TERMINATED', memo: { team: 'review', status: 'working' }, closed: new Date() });
    expect(matchesFilter(run, { status: 'failed' })).toBe(true);
    expect(matchesFilter(run, { status: 'working' })).toBe(false);
    expect(matchesFilter(run, { running: true })).toBe(false);
  });

  it('refuses a run whose memo it cannot read when the filter names a team or a starter', () => {
    const run = { ...listed(), memo: undefined, memoUnreadable: true } as ListedExecution;
    expect(matchesFilter(run, {})).toBe(true);
    expect(matchesFilter(run, { teams: ['review'] })).toBe(false);
    expect(matchesFilter(run, { startedBy: 'token:alice' })).toBe(false);
  });
});
