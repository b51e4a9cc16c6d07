import { TaskState, type Message, type StreamResponse, type Task } from '@a2a-js/sdk';
import { ClientFactory, type Client } from '@a2a-js/sdk/client';
import { CliProcess, temporalFlags } from '../cli/cli-helpers';

/** `durable-teams serve <teamFile>` in a process of its own; resolves with the team's SDK client once it listens. */
export async function startFrontEnd(
  teamFile: string,
  team: string,
  taskQueue: string,
  env: Record<string, string> = {},
): Promise<{ process: CliProcess; client: Client }> {
  const process = new CliProcess(['serve', teamFile, '--port', '0', ...temporalFlags(taskQueue)], { timeoutMs: 300_000, env });
  const [, url] = await process.waitFor('stdout', new RegExp(`^${team} (http:\\S+)$`, 'm'));
  return { process, client: await new ClientFactory().createFromUrl(url!) };
}

export const textOf = (message: Message | undefined): string =>
  (message?.parts ?? []).map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');

/** How far along a state is: submitted, then under way (working or waiting on someone), then ended. */
export function progressOf(state: TaskState | undefined): number {
  if (state === TaskState.TASK_STATE_SUBMITTED) return 0;
  if (state === TaskState.TASK_STATE_WORKING || state === TaskState.TASK_STATE_INPUT_REQUIRED) return 1;
  if (state === TaskState.TASK_STATE_AUTH_REQUIRED) return 1;
  if (
    state === TaskState.TASK_STATE_COMPLETED ||
    state === TaskState.TASK_STATE_FAILED ||
    state === TaskState.TASK_STATE_CANCELED ||
    state === TaskState.TASK_STATE_REJECTED
  )
    return 2;
  throw new Error(`a task state no reader should show: ${state}`);
}

/** The conversation message a stream event records (a status update carrying one), or null. */
export function recordedMessageOf(event: StreamResponse): Message | null {
  const p = event.payload;
  return p?.$case === 'statusUpdate' && p.value.status?.message ? p.value.status.message : null;
}

/** The task a stream begins with, or null for any later event. */
export function taskOf(event: StreamResponse): Task | null {
  return event.payload?.$case === 'task' ? event.payload.value : null;
}
