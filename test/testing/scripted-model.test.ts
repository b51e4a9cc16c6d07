import { APIConnectionError, type APIError } from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { ask, clientFor, content, conversation, failure, start } from './scripted-model-helpers';

// The scripted model server over real HTTP: failure injection, auth, usage, tool calls,
// latency, the request log and the error answers.

describe('failure injection', () => {
  it('firstCalls fails the first n calls of the named agent only', async () => {
    const server = await start({
      agents: { writer: ['Draft'], reviewer: ['OK'] },
      failures: [{ status: 503, agent: 'writer', firstCalls: 2 }],
    });
    for (let i = 0; i < 2; i++) {
      const err = await failure(ask(server, conversation(0), { agent: 'writer' }));
      expect(err.status).toBe(503);
      expect(err.error).toEqual({
        message: expect.stringContaining('failures[0]'),
        type: 'server_error',
        code: 'server_error',
        param: null,
      });
      expect(await content(server, conversation(0), { agent: 'reviewer' })).toBe('OK');
    }
    expect(await content(server, conversation(0), { agent: 'writer' })).toBe('Draft');
    expect(server.requests.map((r) => r.failure)).toEqual([0, null, 0, null, null]);
  });

  it('everyNth fails every k-th call of all agents, with retry-after', async () => {
    const server = await start({
      agents: { writer: ['Draft'], reviewer: ['OK'] },
      failures: [{ status: 429, everyNth: 3, retryAfterSeconds: 1 }],
    });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const agent = i % 2 === 0 ? 'writer' : 'reviewer';
      try {
        await ask(server, conversation(0), { agent });
        statuses.push(200);
      } catch (err) {
        const apiErr = err as APIError;
        statuses.push(apiErr.status!);
        expect(apiErr.headers?.get('retry-after')).toBe('1');
        expect(apiErr.type).toBe('requests');
        expect(apiErr.code).toBe('rate_limit_exceeded');
      }
    }
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
  });

  it('a rule with neither fails every matching call; the first rule that fires wins', async () => {
    const server = await start({
      agents: { writer: ['Draft'], reviewer: ['OK'] },
      failures: [
        { status: 401, agent: 'reviewer', message: 'reviewer key revoked' },
        { status: 500, agent: 'reviewer' },
      ],
    });
    for (let i = 0; i < 3; i++) {
      const err = await failure(ask(server, conversation(i), { agent: 'reviewer' }));
      expect(err.status).toBe(401);
      expect(err.message).toContain('reviewer key revoked');
    }
    expect(await content(server, conversation(0), { agent: 'writer' })).toBe('Draft');
  });

  it('dropConnection gives the client a connection error, then the call succeeds', async () => {
    const server = await start({
      agents: { writer: ['Draft'] },
      failures: [{ dropConnection: true, agent: 'writer', firstCalls: 1 }],
    });
    const err = await failure(ask(server, conversation(0), { agent: 'writer' }));
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(await content(server, conversation(0), { agent: 'writer' })).toBe('Draft');
    expect(server.requests.map((r) => [r.status, r.failure])).toEqual([
      [null, 0],
      [200, null],
    ]);
  });
});

describe('the server', () => {
  it('enforces the API key when one is set', async () => {
    const server = await start({ agents: { writer: ['Draft'] } }, 'secret');
    const wrong = clientFor(server, 'wrong');
    expect((await failure(ask(server, conversation(0), { agent: 'writer', client: wrong }))).status).toBe(401);
    expect((await failure(wrong.models.list())).status).toBe(401);
    const right = clientFor(server, 'secret');
    expect(await content(server, conversation(0), { agent: 'writer', client: right })).toBe('Draft');
    expect(server.countRequests({ status: 401 })).toBe(1);
  });

  it('reports usage: estimated at 4 characters a token, or as scripted', async () => {
    const server = await start({
      agents: { writer: ['12345'], reviewer: [{ content: 'OK', usage: { promptTokens: 10, completionTokens: 5 } }] },
    });
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: 'abcdefgh' },
      { role: 'user', content: [{ type: 'text', text: 'abc' }] },
    ];
    expect((await ask(server, messages, { agent: 'writer' })).usage).toEqual({
      prompt_tokens: 3, // ceil(11 / 4)
      completion_tokens: 2, // ceil(5 / 4)
      total_tokens: 5,
    });
    expect((await ask(server, messages, { agent: 'reviewer' })).usage).toEqual({
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
    });
  });

  it('sends tool-call replies that the client parses as message.tool_calls', async () => {
    const server = await start({
      agents: {
        researcher: [
          { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
          { toolCalls: [{ name: 'get_time' }, { name: 'get_news', arguments: '{"topic":"otters"}' }] },
          'It is sunny.',
        ],
      },
    });
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = (await ask(server, messages, { agent: 'researcher' })).choices[0]!;
    expect(first.finish_reason).toBe('tool_calls');
    expect(first.message.content).toBeNull();
    expect(first.message.tool_calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
    // The tool-call reply goes back as an assistant message, so it counts as a reply given.
    messages.push(first.message as ChatCompletionMessageParam, { role: 'tool', tool_call_id: 'call_1', content: '21C' });
    const second = (await ask(server, messages, { agent: 'researcher' })).choices[0]!;
    expect(second.message.tool_calls?.map((c) => c.id)).toEqual(['call_2', 'call_3']);
    messages.push(second.message as ChatCompletionMessageParam);
    expect(await content(server, messages, { agent: 'researcher' })).toBe('It is sunny.');
  });

  it('delays answers by the latency, per agent when overridden', async () => {
    const server = await start({
      latencyMs: 50,
      agents: {
        writer: ['Draft'],
        fast: { replies: ['Quick'], latencyMs: 0 },
        slow: { replies: ['Slow'], latencyMs: { min: 60, max: 80 } },
      },
      failures: [{ status: 503, agent: 'writer', firstCalls: 1 }],
    });
    const timed = async (agent: string) => {
      const started = Date.now();
      await ask(server, conversation(0), { agent }).catch(() => undefined);
      return Date.now() - started;
    };
    expect(await timed('writer')).toBeGreaterThanOrEqual(40); // a failure waits too
    expect(await timed('writer')).toBeGreaterThanOrEqual(40);
    expect(await timed('slow')).toBeGreaterThanOrEqual(50);
    await timed('fast');
    expect(server.requests.map((r) => r.latencyMs)).toEqual([50, 50, expect.any(Number), 0]);
    expect(server.requests[2]!.latencyMs).toBeGreaterThanOrEqual(60);
  });

  it('logs every request and resets the log and the failure counters', async () => {
    const server = await start({ agents: { writer: ['A', 'B'] }, failures: [{ status: 503, firstCalls: 1 }] });
    await failure(ask(server, conversation(0), { agent: 'writer', turn: 3, run: 'run-1' }));
    await ask(server, conversation(1), { agent: 'writer', turn: 4, run: 'run-1' });
    const [failed, served] = server.requests;
    expect(failed).toMatchObject({
      seq: 1,
      agent: 'writer',
      turn: 3,
      runId: 'run-1',
      model: 'scripted',
      status: 503,
      replyIndex: 0,
      attempt: null,
      failure: 0,
      latencyMs: 0,
    });
    expect(served).toMatchObject({ seq: 2, status: 200, replyIndex: 1, failure: null, messages: conversation(1) });
    expect(served!.at).toBeGreaterThan(Date.now() - 60_000);
    expect(server.countRequests()).toBe(2);
    expect(server.countRequests({ agent: 'writer', status: 200 })).toBe(1);

    const origin = server.baseUrl.replace(/\/v1$/, '');
    const logged = (await (await fetch(`${origin}/_scripted/requests`)).json()) as { requests: unknown[] };
    expect(logged.requests).toHaveLength(2);
    expect((await fetch(`${origin}/_scripted/reset`, { method: 'POST' })).status).toBe(200);
    expect(server.requests).toEqual([]);
    expect((await failure(ask(server, conversation(0), { agent: 'writer' }))).status).toBe(503);
    expect(server.requests[0]!.seq).toBe(1);
    server.reset();
    expect(server.countRequests()).toBe(0);
    expect((await failure(ask(server, conversation(0), { agent: 'writer' }))).status).toBe(503);
  });

  it('refuses malformed bodies and bad turn headers with 400, unknown paths with 404', async () => {
    const server = await start({ agents: { writer: ['Draft'], reviewer: ['OK'] } });
    const client = clientFor(server);

    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    const notJson = await post('{oops');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toContain('not valid JSON');
    const noMessages = await post(JSON.stringify({ model: 'writer', messages: [{ content: 'hi' }] }));
    expect(((await noMessages.json()) as { error: { message: string } }).error.message).toContain('messages[0].role');
    const badTurn = await post(JSON.stringify({ model: 'writer', messages: conversation(0) }), { 'x-durable-teams-turn': 'two' });
    expect(((await badTurn.json()) as { error: { message: string } }).error.message).toContain('x-durable-teams-turn');

    const unknown = await fetch(`${server.baseUrl}/audio/speech`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    expect((await client.models.list()).data.map((m) => m.id)).toEqual(['writer', 'reviewer']);
  });
});
