import type { A2AMessageJson, A2AStatusJson, A2ATaskJson } from '../core/a2a-json';
import { stallReason, type RunStall } from '../core/stall';

/**
 * A stall in A2A terms. A2A v1.0 has no "stalled" state, and the task is not over (fixing the
 * workers resumes it), so it stays in its state (working, as a rule) and says so twice: a status
 * message people can read, and `metadata.durableTeams.stalled` for programs (null on recovery).
 */
export function stallMetadata(stall: RunStall | null): Record<string, unknown> {
  return { durableTeams: { stalled: stall } };
}

/** The agent's note on the stall or the recovery; stable ids, so a client sees one note per stall, not one per poll. */
export function stallMessageJson(runId: string, contextId: string, stall: RunStall | null): A2AMessageJson {
  const text = stall ? stallReason(stall) : 'recovered: the workflow task succeeds again and the run goes on';
  return {
    messageId: `${runId}-${stall ? 'stalled' : 'recovered'}`,
    contextId,
    taskId: runId,
    role: 'ROLE_AGENT',
    parts: [{ text }],
    metadata: stallMetadata(stall),
  };
}

/** A task as GetTask answers it, with the stall (if any) in its status message and metadata. */
export function withStall(task: A2ATaskJson, stall: RunStall | null): A2ATaskJson {
  if (!stall) return task;
  const status: A2AStatusJson = { ...task.status, message: stallMessageJson(task.id, task.contextId, stall) };
  return { ...task, status, metadata: { ...task.metadata, ...stallMetadata(stall) } };
}

/** The stream's status update when the run stalls or recovers: still working, with the note and the metadata. */
export function stallUpdateJson(runId: string, contextId: string, stall: RunStall | null, at: number): Record<string, unknown> {
  return {
    taskId: runId,
    contextId,
    status: { state: 'TASK_STATE_WORKING', timestamp: new Date(at).toISOString(), message: stallMessageJson(runId, contextId, stall) },
    metadata: stallMetadata(stall),
  };
}
