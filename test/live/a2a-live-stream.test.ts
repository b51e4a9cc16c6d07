import { TaskState } from '@a2a-js/sdk';
import { reviewTeam } from '../helpers/teams';
import { collect, sendParams, startA2AEnv, userMessage, type A2AEnv } from '../a2a/a2a-env';
import { sseEvents, type SseEvent } from './sse-reader';

/** Each reply is written a word at a time, so a turn is long enough to be watched being written. */
const WORDS = (name: string, n: number) => Array.from({ length: 12 }, (_, i) => `${name}-${n}-word${i}`).join(' ');
const SLOW_SCRIPT = {
  agents: {
    researcher: { replies: [WORDS('fact', 1), WORDS('fact', 2)], tokenDelayMs: 25 },
    writer: { replies: [WORDS('draft', 1), WORDS('draft', 2)], tokenDelayMs: 25 },
    reviewer: { replies: [WORDS('review', 1), `${WORDS('review', 2)} APPROVED`], tokenDelayMs: 25 },
  },
};
const SPOKEN = [
  WORDS('fact', 1),
  WORDS('draft', 1),
  WORDS('review', 1),
  WORDS('fact', 2),
  WORDS('draft', 2),
  `${WORDS('review', 2)} APPROVED`,
];

/** A v1.0 stream event in its JSON form (the SSE data of a JSON-RPC stream is a response with it as result). */
type StreamJson = {
  task?: { id: string };
  statusUpdate?: { status: { state: string; message?: { parts: { text?: string }[] } } };
  artifactUpdate?: {
    artifact: { artifactId: string; parts: { text?: string }[]; metadata?: { durableTeams?: { draft?: { reset?: string } } } };
    append?: boolean;
    lastChunk?: boolean;
  };
};
const resultOf = (event: SseEvent) => (event.data as { result: StreamJson }).result;
const textOf = (parts: { text?: string }[] = []) => parts.map((p) => p.text ?? '').join('');
/** The recorded messages a stream carried: `working` status updates with a message. */
const recorded = (events: StreamJson[]) =>
  events.flatMap((e) =>
    e.statusUpdate?.status.state === 'TASK_STATE_WORKING' && e.statusUpdate.status.message
      ? [textOf(e.statusUpdate.status.message.parts)]
      : [],
  );

describe('live streams over A2A: replies as they are written, and streams that resume', () => {
  let env: A2AEnv;
  beforeAll(async () => {
    env = await startA2AEnv([reviewTeam()], SLOW_SCRIPT);
  });
  afterAll(() => env?.stop());

  const jsonRpc = (method: string, params: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) =>
    fetch(`${env.server.teamUrls.review}a2a/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'A2A-Version': '1.0', ...headers },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      ...(signal ? { signal } : {}),
    });

  it('each reply arrives in draft chunks before its recorded message, and the chunks add up to it', async () => {
    const client = await env.clientFor('review');
    const events = await collect(client.sendMessageStream(sendParams(userMessage('Write a note.'))));
    // Per draft artifact: the text its chunks built (append adds, a chunk without append replaces).
    const drafts = new Map<string, string>();
    const closedBeforeRecorded: string[] = [];
    let chunks = 0;
    for (const event of events) {
      const p = event.payload;
      if (p?.$case === 'artifactUpdate' && p.value.artifact?.artifactId.startsWith('draft-')) {
        chunks += 1;
        const id = p.value.artifact.artifactId;
        const text = p.value.artifact.parts.map((part) => (part.content?.$case === 'text' ? part.content.value : '')).join('');
        drafts.set(id, (p.value.append ? (drafts.get(id) ?? '') : '') + text);
        if (p.value.lastChunk) closedBeforeRecorded.push(drafts.get(id)!);
      }
      if (p?.$case === 'statusUpdate' && p.value.status?.state === TaskState.TASK_STATE_WORKING && p.value.status.message) {
        const said = p.value.status.message.parts.map((part) => (part.content?.$case === 'text' ? part.content.value : '')).join('');
        // Written first, recorded after: the draft of this very reply was complete before its message came.
        expect(closedBeforeRecorded).toContain(said);
      }
    }
    expect([...drafts.values()]).toEqual(SPOKEN);
    // Twelve words a reply, 25 ms apart, sent at most 50 ms apart: a reply comes in several chunks.
    expect(chunks).toBeGreaterThan(SPOKEN.length * 2);
    expect(events.at(-1)?.payload).toMatchObject({ $case: 'statusUpdate', value: { status: { state: TaskState.TASK_STATE_COMPLETED } } });
  });

  it('every SSE event of a task has an id; a client that drops and resubscribes with Last-Event-ID gets every recorded message once', async () => {
    const first = new AbortController();
    const seenFirst: SseEvent[] = [];
    const response = await jsonRpc('SendStreamingMessage', sendParamsJson('Write a note.'), {}, first.signal);
    try {
      for await (const event of sseEvents(response)) {
        seenFirst.push(event);
        if (recorded(seenFirst.map(resultOf)).length === 2) break; // the connection drops here
      }
    } finally {
      first.abort();
    }
    const taskId = resultOf(seenFirst[0]!).task!.id;
    const lastId = seenFirst.at(-1)!.id;
    expect(lastId).toMatch(/^\d+(~\d+)?$/);
    expect(seenFirst.slice(1).every((e) => e.id !== null)).toBe(true);

    const resumed: SseEvent[] = [];
    for await (const event of sseEvents(await jsonRpc('SubscribeToTask', { id: taskId }, { 'Last-Event-ID': lastId! })))
      resumed.push(event);
    // First the task as it stands, without history (the client has it), then the rest.
    expect(resultOf(resumed[0]!).task).toMatchObject({ id: taskId });
    expect(recorded([...seenFirst, ...resumed].map(resultOf))).toEqual(SPOKEN);
    expect(resultOf(resumed.at(-1)!).statusUpdate?.status.state).toBe('TASK_STATE_COMPLETED');
  });

  it('a resubscription after the task ended, from an id before its end, gets the end it missed', async () => {
    const client = await env.clientFor('review');
    const events = await collect(client.sendMessageStream(sendParams(userMessage('Write a note.'))));
    const taskId = (events[0]!.payload as { value: { id: string } }).value.id;
    const resumed: SseEvent[] = [];
    for await (const event of sseEvents(await jsonRpc('SubscribeToTask', { id: taskId }, { 'Last-Event-ID': '3' }))) resumed.push(event);
    const said = recorded(resumed.map(resultOf));
    expect(SPOKEN.slice(-said.length)).toEqual(said);
    expect(said.length).toBeGreaterThan(0);
    expect(resultOf(resumed.at(-1)!).statusUpdate?.status.state).toBe('TASK_STATE_COMPLETED');
  });
});

/** SendMessage params as JSON (what goes over JSON-RPC), for a message starting a task. */
function sendParamsJson(text: string) {
  return { message: { messageId: `m-${Date.now()}-${Math.random()}`, role: 'ROLE_USER', parts: [{ text }] } };
}
