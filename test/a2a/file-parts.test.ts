import { randomUUID } from 'node:crypto';
import type { Task } from '@a2a-js/sdk';
import { maxMessages, team } from '../../src/spec';
import type { TeamSpec } from '../../src/spec';
import { historyText } from '../helpers/history-text';
import { startA2AEnv, type A2AEnv } from './a2a-env';

/**
 * Files and data in a client's message: stored with its text (never in history), shown to models
 * as content parts, given back in the task's history as they came, and refused by name when too
 * big, of a type not taken, or pointing inward.
 */
const looker = (name: string, files?: 'text'): TeamSpec =>
  team(name)
    .roundRobin()
    .model({ model: 'scripted', ...(files ? { files } : {}) })
    .agent('looker', { description: 'Looks at what it is sent.' })
    .terminateWhen(maxMessages(2))
    .build();

// Bytes whose base64 is easy to find in a history, should they ever get there.
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('durable-teams-file-part-marker'.repeat(8))]);
const PNG_B64 = PNG.toString('base64');

describe('A2A file and data parts', () => {
  let env: A2AEnv;
  beforeAll(async () => {
    env = await startA2AEnv(
      [looker('vision'), looker('texty', 'text')],
      { agents: { looker: ['I see it.'] } },
      {
        files: { maxFileBytes: 4096, mediaTypes: ['image/*', 'text/*', 'application/json', 'application/pdf'] },
      },
    );
  });
  afterAll(() => env?.stop());

  async function send(teamName: string, parts: unknown[], method = 'SendMessage') {
    const v03 = method.includes('/');
    const message = v03
      ? { kind: 'message', messageId: randomUUID(), role: 'user', parts }
      : { messageId: randomUUID(), role: 'ROLE_USER', parts };
    const response = await fetch(`${env.server.teamUrls[teamName]}a2a/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(v03 ? {} : { 'A2A-Version': '1.0' }) },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { message } }),
    });
    const body = (await response.json()) as { result?: { task?: unknown }; error?: { code: number; message: string } };
    // v1.0 answers { task }, v0.3 the task itself.
    const task = (body.result?.task ?? body.result) as { id: string; status: { state: string } } | undefined;
    return { task, error: body.error };
  }

  const runsOf = async (teamName: string) => {
    let n = 0;
    for await (const _ of env.worker.client.lister.runs({ taskQueue: env.worker.client.taskQueue, teams: [teamName] })) n++;
    return n;
  };

  const requestFor = (runId: string) => env.model.requests.find((r) => r.runId === runId && r.agent === 'looker')!;

  it('shows the model an image, a file URL and data as content parts, and keeps them out of history', async () => {
    const sent = await send('vision', [
      { text: 'What is in this picture?' },
      { raw: PNG_B64, mediaType: 'image/png', filename: 'cat.png' },
      { data: { size: 'small', tags: ['cat'] }, mediaType: 'application/json' },
      { url: 'http://127.0.0.1:9/dog.jpg', mediaType: 'image/jpeg', filename: 'dog.jpg' },
    ]);
    const task = sent.task!;
    expect(['TASK_STATE_COMPLETED', 'completed']).toContain(task.status.state);

    const user = (requestFor(task.id).messages as { role: string; content: unknown }[]).find((m) => m.role === 'user')!;
    expect(user.content).toEqual([
      { type: 'text', text: 'What is in this picture?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_B64}` } },
      { type: 'text', text: JSON.stringify({ size: 'small', tags: ['cat'] }, null, 2) },
      { type: 'image_url', image_url: { url: 'http://127.0.0.1:9/dog.jpg' } },
    ]);

    // The task's history gives them back as they came.
    const client = await env.clientFor('vision');
    const read = (await client.getTask({ tenant: '', id: task.id })) as Task;
    const first = read.history[0]!;
    expect(first.parts.map((p) => p.content?.$case)).toEqual(['text', 'raw', 'data', 'url']);
    const raw = first.parts[1]!;
    expect(raw.content?.$case === 'raw' && Buffer.from(raw.content.value).equals(PNG)).toBe(true);
    expect([raw.filename, raw.mediaType]).toEqual(['cat.png', 'image/png']);
    expect(first.parts[3]!.content).toEqual({ $case: 'url', value: 'http://127.0.0.1:9/dog.jpg' });

    // The bytes are in the conversation store, not in Temporal's history.
    const history = await historyText(env.worker.client, task.id);
    expect(history.includes(PNG_B64.slice(0, 60))).toBe(false);
    expect(history.includes('What is in this picture?')).toBe(true); // the task's text goes in once, as before
  });

  it('names each file in a line for a model that reads text only', async () => {
    const sent = await send('texty', [{ text: 'Describe it.' }, { raw: PNG_B64, mediaType: 'image/png', filename: 'cat.png' }]);
    const user = (requestFor(sent.task!.id).messages as { role: string; content: unknown }[]).find((m) => m.role === 'user')!;
    expect(user.content).toBe(`Describe it.\n[file: cat.png, image/png, ${PNG.length} bytes]`);
  });

  it('takes a v0.3 file part and a text file, which the model reads as text', async () => {
    const sent = await send(
      'vision',
      [
        { kind: 'text', text: 'Summarise the notes.' },
        { kind: 'file', file: { bytes: Buffer.from('line one\nline two').toString('base64'), mimeType: 'text/plain', name: 'notes.txt' } },
      ],
      'message/send',
    );
    expect(sent.error).toBeUndefined();
    const user = (requestFor(sent.task!.id).messages as { role: string; content: unknown }[]).find((m) => m.role === 'user')!;
    expect(user.content).toEqual([
      { type: 'text', text: 'Summarise the notes.' },
      { type: 'text', text: 'notes.txt:\nline one\nline two' },
    ]);
  });

  const refused: [string, unknown, number, RegExp][] = [
    [
      'a file over the size limit',
      { raw: Buffer.alloc(5000).toString('base64'), mediaType: 'image/png' },
      -32602,
      /^message\.parts\[1\]\.raw has 5000 bytes; the limit is 4096 \(--max-file-bytes\)$/,
    ],
    [
      'a media type not taken',
      { raw: PNG_B64, mediaType: 'application/zip', filename: 'a.zip' },
      -32005,
      /^message\.parts\[1\] is a file of type application\/zip; this agent takes image\/\*, text\/\*/,
    ],
    ['a file with no media type', { raw: PNG_B64 }, -32602, /^message\.parts\[1\]\.mediaType is missing/],
    [
      'a URL of another scheme',
      { url: 'file:///etc/passwd', mediaType: 'text/plain' },
      -32602,
      /^message\.parts\[1\]\.url has the scheme file; file URLs are http or https$/,
    ],
    [
      'a private address',
      { url: 'http://10.1.2.3/a.png', mediaType: 'image/png' },
      -32602,
      /^message\.parts\[1\]\.url: http:\/\/10\.1\.2\.3\/a\.png is 10\.1\.2\.3, a private address/,
    ],
    ['the metadata address', { url: 'http://169.254.169.254/latest/x.png', mediaType: 'image/png' }, -32602, /a link-local address/],
    ['an IPv4-mapped private address', { url: 'http://[::ffff:192.168.1.1]/a.png', mediaType: 'image/png' }, -32602, /a private address/],
  ];

  it.each(refused)('refuses %s by name, and starts nothing', async (_what, part, code, message) => {
    const before = await runsOf('vision');
    const sent = await send('vision', [{ text: 'Look.' }, part]);
    expect(sent.error?.code).toBe(code);
    expect(sent.error?.message).toMatch(message);
    expect(await runsOf('vision')).toBe(before);
  });
});
