import { a2aTaskState, isTerminal, statusOfClosedExecution, TERMINAL_STATUSES, type RunStatus } from '../../../src/core';

describe('a2aTaskState maps each run status to its A2A v1.0 TaskState', () => {
  it.each<[RunStatus, string]>([
    ['submitted', 'TASK_STATE_SUBMITTED'],
    ['working', 'TASK_STATE_WORKING'],
    ['input-required', 'TASK_STATE_INPUT_REQUIRED'],
    ['auth-required', 'TASK_STATE_AUTH_REQUIRED'],
    ['completed', 'TASK_STATE_COMPLETED'],
    ['failed', 'TASK_STATE_FAILED'],
    ['canceled', 'TASK_STATE_CANCELED'],
    ['rejected', 'TASK_STATE_REJECTED'],
  ])('%s -> %s', (status, state) => {
    expect(a2aTaskState(status)).toBe(state);
  });
});

describe('isTerminal', () => {
  it.each<[RunStatus, boolean]>([
    ['submitted', false],
    ['working', false],
    ['input-required', false],
    ['auth-required', false],
    ['completed', true],
    ['failed', true],
    ['canceled', true],
    ['rejected', true],
  ])('%s -> %s', (status, terminal) => {
    expect(isTerminal(status)).toBe(terminal);
  });

  it('agrees with TERMINAL_STATUSES', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(['canceled', 'completed', 'failed', 'rejected']);
  });
});

describe('statusOfClosedExecution', () => {
  it('maps Temporal closing statuses to run statuses', () => {
    expect(statusOfClosedExecution('CANCELLED')).toBe('canceled');
    expect(statusOfClosedExecution('FAILED')).toBe('failed');
    expect(statusOfClosedExecution('TERMINATED')).toBe('failed');
    expect(statusOfClosedExecution('TIMED_OUT')).toBe('failed');
    expect(statusOfClosedExecution('CONTINUED_AS_NEW')).toBe('working');
  });
});
