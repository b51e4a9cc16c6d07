/**
 * A run's status, named as A2A names task states (v0.3 spelling), so the CLI, the API and A2A
 * clients all speak of a run the same way.
 */
export type RunStatus = 'submitted' | 'working' | 'input-required' | 'auth-required' | 'completed' | 'failed' | 'canceled' | 'rejected';

export const RUN_STATUSES: readonly RunStatus[] = [
  'submitted',
  'working',
  'input-required',
  'auth-required',
  'completed',
  'failed',
  'canceled',
  'rejected',
];

export const TERMINAL_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'canceled', 'rejected'];

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** A2A v1.0 TaskState names. */
export type A2ATaskState =
  | 'TASK_STATE_SUBMITTED'
  | 'TASK_STATE_WORKING'
  | 'TASK_STATE_INPUT_REQUIRED'
  | 'TASK_STATE_AUTH_REQUIRED'
  | 'TASK_STATE_COMPLETED'
  | 'TASK_STATE_FAILED'
  | 'TASK_STATE_CANCELED'
  | 'TASK_STATE_REJECTED';

const A2A_STATE: Record<RunStatus, A2ATaskState> = {
  submitted: 'TASK_STATE_SUBMITTED',
  working: 'TASK_STATE_WORKING',
  'input-required': 'TASK_STATE_INPUT_REQUIRED',
  'auth-required': 'TASK_STATE_AUTH_REQUIRED',
  completed: 'TASK_STATE_COMPLETED',
  failed: 'TASK_STATE_FAILED',
  canceled: 'TASK_STATE_CANCELED',
  rejected: 'TASK_STATE_REJECTED',
};

/** The A2A v1.0 task state of a run status (the v0.3 state is the status itself). */
export function a2aTaskState(status: RunStatus): A2ATaskState {
  return A2A_STATE[status];
}

/** Temporal's closing statuses of a workflow execution, as the client reports them. */
export type ClosedExecutionStatus = 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TERMINATED' | 'TIMED_OUT' | 'CONTINUED_AS_NEW';

/**
 * The run status of a closed execution when the workflow's own state is not at hand.
 * A completed execution carries its status in its result (it may be `rejected`), so it is not mapped here.
 */
export function statusOfClosedExecution(status: Exclude<ClosedExecutionStatus, 'COMPLETED'>): RunStatus {
  return status === 'CANCELLED' ? 'canceled' : status === 'CONTINUED_AS_NEW' ? 'working' : 'failed';
}
