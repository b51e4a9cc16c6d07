import { APIConnectionError, type APIError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { splitArguments, splitWords } from '../../src/testing/scripted-model/stream-chunks';
import { clientFor, conversation, failure, start } from './scripted-model-helpers';

// Streamed answers (`stream: true`) read by the real openai client: the chunks OpenAI sends, the
// token delay, and the failures a script injects into a stream.

interface Received {
  chunks: ChatCompletionChunk[];
  /** When each chunk arrived, ms after the request was sent. */
  at: number[];
}

async function streamed(server: ScriptedModelServer, agent: string, ownReplies = 0, includeUsage = true): Promise<Received> {
  const sent = Date.now();
  const stream = await clientFor(server).chat.completions.create(
    {
      model: 'scripted',
      messages: conversation(ownReplies),
      stream: true,
      ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
    },
    { headers: { 'x-durable-teams-agent': agent } },
  );
  const received: Received = { chunks: [], at: [] };
  for await (const chunk of stream) {
    received.chunks.push(chunk);
    received.at.push(Date.now() - sent);
  }
  return received;
}

const contentOf = (chunks: ChatCompletionChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

describe('splitting a reply', () => {
  it('into words with the space after them, and arguments into short pieces, joining back whole', () => {
    expect(splitWords('  Otters hold  hands.\n')).toEqual(['  ', 'Otters ', 'hold  ', 'hands.\n']);
    expect(splitWords('')).toEqual([]);
    expect(splitArguments('{"q":"otters"}')).toEqual(['{"q":"ot', 'ters"}']);
    expect(splitArguments('ééééééééé', 8).join('')).toBe('ééééééééé');
  });
});

describe('streaming', () => {
  it('sends the content a word at a time, after the token delay, then the finish reason and the usage', async () => {
    const server = await start({
      tokenDelayMs: 40,
      agents: { writer: [{ content: 'Otters hold hands while they sleep.', usage: { promptTokens: 7, completionTokens: 9 } }] },
    });
    const { chunks, at } = await streamed(server, 'writer');

    expect(chunks[0]!.choices[0]!.delta).toMatchObject({ role: 'assistant', content: '' });
    const words = chunks.filter((c) => c.choices[0]?.delta.content);
    expect(words.map((c) => c.choices[0]!.delta.content)).toEqual(['Otters ', 'hold ', 'hands ', 'while ', 'they ', 'sleep.']);
    expect(contentOf(chunks)).toBe('Otters hold hands while they sleep.');
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);

    const [finish, usage] = chunks.slice(-2);
    expect(finish!.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(usage!.choices).toEqual([]);
    expect(usage!.usage).toEqual({ prompt_tokens: 7, completion_tokens: 9, total_tokens: 16 });

    // Six words, 40 ms before each: they arrive spread over the reply, not at once.
    const wordTimes = chunks.flatMap((c, i) => (c.choices[0]?.delta.content ? [at[i]!] : []));
    expect(wordTimes[5]! - wordTimes[0]!).toBeGreaterThanOrEqual(5 * 40 - 10);
    expect(server.requests[0]).toMatchObject({ stream: true, tokenDelayMs: 40, status: 200, abandoned: false });
  });

  it('sends usage only when stream_options.include_usage asks for it', async () => {
    const server = await start({ agents: { writer: ['Draft'] } });
    const { chunks } = await streamed(server, 'writer', 0, false);
    expect(chunks.some((c) => c.usage)).toBe(false);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
  });

  it('streams tool calls as OpenAI does: id, type and name first, then the arguments in pieces by index', async () => {
    const args = { query: 'otters sleeping', limit: 3 };
    const server = await start({
      agents: {
        writer: [
          {
            content: 'Let me look.',
            toolCalls: [
              { name: 'search', arguments: args },
              { id: 'mine', name: 'count', arguments: '{}' },
            ],
          },
        ],
      },
    });
    const { chunks } = await streamed(server, 'writer');
    expect(contentOf(chunks)).toBe('Let me look.');
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]).toEqual({ index: 0, id: 'call_1', type: 'function', function: { name: 'search', arguments: '' } });
    const first = deltas.filter((d) => d.index === 0);
    expect(first.length).toBeGreaterThan(2);
    expect(first.slice(1).every((d) => d.id === undefined && d.function?.name === undefined)).toBe(true);
    expect(JSON.parse(first.map((d) => d.function?.arguments ?? '').join(''))).toEqual(args);
    expect(deltas.filter((d) => d.index === 1)[0]).toMatchObject({ id: 'mine', function: { name: 'count' } });
    expect(chunks.find((c) => c.choices[0]?.finish_reason)!.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('takes the token delay from the reply, then the agent, then the script, then the server', async () => {
    const script = {
      agents: {
        a: { replies: [{ content: 'x', tokenDelayMs: 1 }, 'y'], tokenDelayMs: 2 },
        b: ['z'],
      },
    };
    const withScript = await start({ ...script, tokenDelayMs: 3 });
    const withServer = await startScriptedModelServer({ script, tokenDelayMs: 4 });
    try {
      await streamed(withScript, 'a', 0);
      await streamed(withScript, 'a', 1);
      await streamed(withScript, 'b', 0);
      await streamed(withServer, 'b', 0);
      expect(withScript.requests.map((r) => r.tokenDelayMs)).toEqual([1, 2, 3]);
      expect(withServer.requests[0]!.tokenDelayMs).toBe(4);
    } finally {
      await withServer.close();
    }
  });
});

describe('failures in a stream', () => {
  it('status and dropConnection rules answer a streamed request as an unstreamed one', async () => {
    const server = await start({
      agents: { writer: ['Draft'] },
      failures: [
        { status: 503, firstCalls: 1 },
        { dropConnection: true, everyNth: 2 },
      ],
    });
    expect(((await failure(streamed(server, 'writer'))) as APIError).status).toBe(503);
    await expect(streamed(server, 'writer')).rejects.toBeInstanceOf(APIConnectionError);
    expect(contentOf((await streamed(server, 'writer')).chunks)).toBe('Draft');
    expect(server.requests.map((r) => [r.stream, r.status])).toEqual([
      [true, 503],
      [true, null],
      [true, 200],
    ]);
  });

  it('cutStreamAfter breaks the connection after k pieces; an unstreamed request is dropped', async () => {
    const server = await start({
      agents: { writer: ['One two three four five'] },
      failures: [{ cutStreamAfter: 2, firstCalls: 2 }],
    });
    const pieces: string[] = [];
    const stream = await clientFor(server).chat.completions.create(
      { model: 'writer', messages: conversation(0), stream: true },
      { headers: { 'x-durable-teams-agent': 'writer' } },
    );
    const reading = (async () => {
      for await (const chunk of stream) pieces.push(chunk.choices[0]?.delta.content ?? '');
    })();
    await expect(reading).rejects.toThrow(/terminated/);
    expect(pieces.join('')).toBe('One two ');

    await expect(
      clientFor(server).chat.completions.create(
        { model: 'writer', messages: conversation(0) },
        { headers: { 'x-durable-teams-agent': 'writer' } },
      ),
    ).rejects.toBeInstanceOf(APIConnectionError);
    expect(contentOf((await streamed(server, 'writer')).chunks)).toBe('One two three four five');
    expect(server.requests.map((r) => [r.failure, r.abandoned])).toEqual([
      [0, false],
      [0, false],
      [null, false],
    ]);
  });

  it('a cut after more pieces than the reply has still breaks off before the finish', async () => {
    const server = await start({ agents: { writer: ['Short'] }, failures: [{ cutStreamAfter: 10, firstCalls: 1 }] });
    await expect(streamed(server, 'writer')).rejects.toThrow(/terminated/);
  });

  it('marks a stream the client leaves early as abandoned', async () => {
    const server = await start({ tokenDelayMs: 30, agents: { writer: ['a b c d e f g h'] } });
    const controller = new AbortController();
    const stream = await clientFor(server).chat.completions.create(
      { model: 'writer', messages: conversation(0), stream: true },
      { headers: { 'x-durable-teams-agent': 'writer' }, signal: controller.signal },
    );
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content === 'b ') controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requests[0]!.abandoned).toBe(true);
  });
});
