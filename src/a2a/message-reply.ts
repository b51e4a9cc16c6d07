import { Role, TaskState, type Message, type Task } from '@a2a-js/sdk';
import { FINAL_ANSWER_ARTIFACT } from '../core/a2a-json';

/**
 * A completed task's final answer as a bare Message (A2A v1.0 §3.1.1: the agent may answer with
 * a Message instead of a Task): role agent, the task's context, the parts of the final answer,
 * and no task id, since the client is not meant to follow it as a task. The run stays in
 * Temporal all the same; its id rides in the metadata (`runId`) for the operator's CLI.
 * Null when the task did not complete with an answer: then the Task is the answer.
 */
export function messageReply(task: Task): Message | null {
  if (task.status?.state !== TaskState.TASK_STATE_COMPLETED) return null;
  const said = task.status.message;
  const artifact = task.artifacts.find((a) => a.artifactId === FINAL_ANSWER_ARTIFACT);
  const parts = artifact?.parts ?? said?.parts;
  if (!parts?.length) return null;
  return {
    messageId: said?.messageId || `${task.id}-answer`,
    contextId: task.contextId,
    taskId: '',
    role: Role.ROLE_AGENT,
    parts,
    metadata: { ...(said?.metadata ?? {}), runId: task.id },
    extensions: [],
    referenceTaskIds: [],
  };
}
