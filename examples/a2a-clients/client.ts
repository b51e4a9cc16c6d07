import { randomUUID } from 'node:crypto';
import { Role, TaskState, type Message, type StreamResponse } from '@a2a-js/sdk';
import { ClientFactory, type Client } from '@a2a-js/sdk/client';

/*
 * An A2A client of a served team, with nothing of durable-teams in it: only @a2a-js/sdk. It
 * streams a task, answers the question the task asks (input-required), streams on to the end and
 * prints the final answer. Any A2A agent that asks for input could be called the same way.
 */

function textMessage(text: string, task?: { taskId: string; contextId: string }): Message {
  return {
    messageId: randomUUID(),
    contextId: task?.contextId ?? '',
    taskId: task?.taskId ?? '',
    role: Role.ROLE_USER,
    parts: [{ content: { $case: 'text', value: text }, metadata: undefined, filename: '', mediaType: 'text/plain' }],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
}

const textOf = (parts: readonly { content?: { $case: string; value: unknown } }[] = []) =>
  parts.map((p) => (p.content?.$case === 'text' ? (p.content.value as string) : '')).join('');

export interface StreamedTask {
  taskId: string;
  contextId: string;
  state: TaskState;
  /** The last status message: the question, when the task waits for input. */
  statusText: string;
  /** The final answer's text (the artifact "final-answer"), once the task completed. */
  answer: string;
}

/** Sends one message as a stream and prints each event as it comes; returns where the task stands. */
async function streamMessage(client: Client, message: Message, print: (line: string) => void): Promise<StreamedTask> {
  const seen: StreamedTask = {
    taskId: message.taskId,
    contextId: message.contextId,
    state: TaskState.TASK_STATE_UNSPECIFIED,
    statusText: '',
    answer: '',
  };
  const params = { tenant: '', message, configuration: undefined, metadata: undefined };
  for await (const event of client.sendMessageStream(params) as AsyncIterable<StreamResponse>) {
    const payload = event.payload;
    if (payload?.$case === 'task') {
      Object.assign(seen, { taskId: payload.value.id, contextId: payload.value.contextId, state: payload.value.status!.state });
      print(`task ${payload.value.id}: ${TaskState[seen.state]}`);
    } else if (payload?.$case === 'statusUpdate') {
      seen.state = payload.value.status!.state;
      seen.statusText = textOf(payload.value.status?.message?.parts);
      print(`status: ${TaskState[seen.state]}${seen.statusText ? `: ${seen.statusText}` : ''}`);
    } else if (payload?.$case === 'artifactUpdate') {
      const artifact = payload.value.artifact!;
      if (artifact.artifactId === 'final-answer') seen.answer += textOf(artifact.parts);
      print(`artifact ${artifact.artifactId}: ${textOf(artifact.parts)}`);
    }
  }
  return seen;
}

/** Runs the task at `teamUrl` (a team's base URL, where its agent card is), answering its approval with `answer`. */
export async function callTeam(teamUrl: string, task: string, answer: string, print: (line: string) => void = console.log) {
  const client = await new ClientFactory().createFromUrl(teamUrl);
  let seen = await streamMessage(client, textMessage(task), print);
  if (seen.state === TaskState.TASK_STATE_INPUT_REQUIRED) {
    print(`the team asks: ${seen.statusText}`);
    print(`answering: ${answer}`);
    seen = await streamMessage(client, textMessage(answer, seen), print);
  }
  print(`final state: ${TaskState[seen.state]}`);
  if (seen.answer) print(`final answer:\n${seen.answer}`);
  return seen;
}

// npm run build && node dist/examples/a2a-clients/client.js [team URL] [answer]
if (require.main === module) {
  const [url = 'http://127.0.0.1:41241/teams/note-writer/', answer = 'approve: ship it'] = process.argv.slice(2);
  callTeam(url, 'Write a two-line note announcing our durable team runs.', answer).then(
    (seen) => process.exit(seen.state === TaskState.TASK_STATE_COMPLETED ? 0 : 1),
    (err: unknown) => {
      process.stderr.write(`error: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
