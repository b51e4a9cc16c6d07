import type { A2ATaskJson } from '../core/a2a-json';
import type { FailedAttempt } from '../core/failed-attempt';

/** The most failed attempts a task carries: the newest. The console and `status` show up to 200. */
export const TASK_FAILED_ATTEMPTS = 20;

/**
 * A task with its run's failed attempts (newest last) in `metadata.durableTeams.failedAttempts`,
 * beside what else durableTeams holds; a run with none leaves the task as it is.
 */
export function withFailedAttempts(task: A2ATaskJson, attempts: readonly FailedAttempt[]): A2ATaskJson {
  if (attempts.length === 0) return task;
  const durableTeams = {
    ...(task.metadata?.durableTeams as Record<string, unknown> | undefined),
    failedAttempts: attempts.slice(-TASK_FAILED_ATTEMPTS),
  };
  return { ...task, metadata: { ...task.metadata, durableTeams } };
}
