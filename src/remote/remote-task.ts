import { TaskState, type Part, type StreamResponse, type Task } from '@a2a-js/sdk';

/** How a remote task is read: its states that end it or ask us, its text, its answer. */

export const ENDED = new Set([
  TaskState.TASK_STATE_COMPLETED,
  TaskState.TASK_STATE_FAILED,
  TaskState.TASK_STATE_CANCELED,
  TaskState.TASK_STATE_REJECTED,
]);
export const WAITING = new Set([TaskState.TASK_STATE_INPUT_REQUIRED, TaskState.TASK_STATE_AUTH_REQUIRED]);

/** The text of a message's or artifact's parts; data parts as JSON. */
export function textOf(parts: Part[]): string {
  return parts
    .flatMap((p) =>
      p.content?.$case === 'text' ? [p.content.value] : p.content?.$case === 'data' ? [JSON.stringify(p.content.value)] : [],
    )
    .join('\n');
}

/** A remote task's answer: its artifacts' text, else its status message's. */
export function remoteTaskAnswer(task: Task): string {
  const fromArtifacts = task.artifacts
    .map((a) => textOf(a.parts))
    .filter(Boolean)
    .join('\n\n');
  return fromArtifacts || textOf(task.status?.message?.parts ?? []);
}

export interface StreamedStatus {
  state: TaskState;
  /** The id of the status message: tells a new question from one already answered. */
  messageId: string;
}

/** The state a streamed event reports, when it reports one. */
export function streamedStatusOf(event: StreamResponse): StreamedStatus | null {
  const status =
    event.payload?.$case === 'task'
      ? event.payload.value.status
      : event.payload?.$case === 'statusUpdate'
        ? event.payload.value.status
        : undefined;
  return status ? { state: status.state, messageId: status.message?.messageId ?? '' } : null;
}
