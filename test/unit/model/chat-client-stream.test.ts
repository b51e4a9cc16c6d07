import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APIUserAbortError } from 'openai';
import { z } from 'zod';
import { ModelClients, type CompleteOptions } from '../../../src/model/chat-client';
import type { ResolvedEndpoint } from '../../../src/model/endpoint';
import { ModelCallError, type ModelFailure } from '../../../src/model/errors';
import { callAgentModel, callSelectorModel, type AgentPrompt, type ModelCallDeps } from '../../../src/model/model-calls';
import type { ModelDelta } from '../../../src/model/reply-stream';
import { startScriptedModelServer, type ScriptedModelServer, type ScriptInput } from '../../../src/testing/scripted-model';
import { ToolRegistry } from '../../../src/tools/registry';
import { isOverBudget, type OverBudget } from '../../../src/core/budget';

/** A call with no budget is never refused: its reply, typed as one. */
function answered<R>(reply: R | OverBudget): R {
  if (isOverBudget(reply)) throw new Error('a call with no budget was refused for the budget');
  return reply;
}

// The model client streams every call: the real openai client against the scripted model server
// (and, for what it cannot send, a few lines of HTTP) on 127.0.0.1.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function scripted(script: ScriptInput): Promise<ScriptedModelServer> {
  const server = await startScriptedModelServer({ script });
  closers.push(() => server.close());
  return server;
}

/** A server that answers every request with `write`, for what the scripted one never sends. */
async function raw(write: (res: import('node:http').ServerResponse) => void): Promise<string> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => write(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

const endpoint = (baseUrl: string): ResolvedEndpoint => ({ baseUrl, apiKey: 'unused', model: 'writer' });
const meta = { who: 'agent "writer"', agent: 'writer', runId: 'run-1', turn: 0 };
const ask = [{ role: 'user' as const, content: 'Write about otters.' }];

/** A call that records each piece and when it came, ms after the call began. */
function recording(clients = new ModelClients()) {
  const pieces: (ModelDelta & { at: number })[] = [];
  const began = Date.now();
  const call = (baseUrl: string, options: CompleteOptions = {}) =>
    clients.complete(endpoint(baseUrl), ask, meta, { onDelta: (piece) => pieces.push({ ...piece, at: Date.now() - began }), ...options });
  return { pieces, call };
}

async function failureOf(call: Promise<unknown>): Promise<ModelFailure> {
  const err = await call.then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  );
  if (err instanceof ModelCallError) return err.failure;
  throw err;
}

describe('a streamed call', () => {
  it('hands over the words as they come, spread over the token delay, and returns the reply whole', async () => {
    const server = await scripted({
      tokenDelayMs: 40,
      agents: { writer: [{ content: 'Otters hold hands while they sleep.', usage: { promptTokens: 12, completionTokens: 8 } }] },
    });
    const { pieces, call } = recording();
    let settled = false;
    const whileWaiting: boolean[] = [];
    const calling = call(server.baseUrl).finally(() => (settled = true));
    const watching = setInterval(() => whileWaiting.push(pieces.length > 0 && !settled), 5);
    const reply = await calling;
    clearInterval(watching);

    expect(reply).toEqual({
      v: 1,
      content: 'Otters hold hands while they sleep.',
      usage: { promptTokens: 12, completionTokens: 8 },
      model: 'writer',
    });
    expect(pieces.map((p) => p.text)).toEqual(['Otters ', 'hold ', 'hands ', 'while ', 'they ', 'sleep.']);
    expect(pieces.every((p) => p.tool === undefined)).toBe(true);
    // Six words with 40 ms before each, spread out; and pieces were in hand while the call still ran.
    expect(pieces[5]!.at - pieces[0]!.at).toBeGreaterThanOrEqual(5 * 40 - 10);
    expect(whileWaiting.filter(Boolean).length).toBeGreaterThan(10);
    expect(server.requests[0]).toMatchObject({ stream: true, status: 200, agent: 'writer', runId: 'run-1', turn: 0 });
  });

  it('puts tool calls together from their pieces, and hands over the arguments with the tool named', async () => {
    const args = { query: 'otters holding hands', limit: 3 };
    const server = await scripted({
      agents: {
        writer: [
          {
            content: 'Looking.',
            toolCalls: [
              { name: 'search', arguments: args },
              { name: 'count', arguments: '{"of":"otters"}' },
            ],
          },
        ],
      },
    });
    const { pieces, call } = recording();
    const definitions = [
      { type: 'function' as const, function: { name: 'search', description: 'Searches.', parameters: { type: 'object' } } },
    ];
    const reply = await call(server.baseUrl, { tools: { definitions, parallel: true } });

    expect(reply.content).toBe('Looking.');
    expect(reply.toolCalls).toEqual([
      { id: 'call_1', name: 'search', arguments: JSON.stringify(args) },
      { id: 'call_2', name: 'count', arguments: '{"of":"otters"}' },
    ]);
    const searchPieces = pieces.filter((p) => p.tool === 'search');
    expect(searchPieces.length).toBeGreaterThan(1);
    expect(searchPieces.map((p) => p.text).join('')).toBe(JSON.stringify(args));
    expect(
      pieces
        .filter((p) => p.tool === 'count')
        .map((p) => p.text)
        .join(''),
    ).toBe('{"of":"otters"}');
    expect(server.requests[0]!.tools).toEqual(definitions);
  });

  it('still returns the reply when the watcher throws', async () => {
    const server = await scripted({ agents: { writer: ['Fine anyway'] } });
    const reply = await new ModelClients().complete(endpoint(server.baseUrl), ask, meta, {
      onDelta: () => {
        throw new Error('watcher broke');
      },
    });
    expect(reply.content).toBe('Fine anyway');
  });
});

describe('a streamed call that fails', () => {
  it('classifies errors before the stream as before: 503 retryable with its retry-after, 401 not', async () => {
    const server = await scripted({ agents: { writer: ['Draft'] }, failures: [{ status: 503, firstCalls: 1, retryAfterSeconds: 2 }] });
    expect(await failureOf(recording().call(server.baseUrl))).toMatchObject({
      type: 'ModelInvocationError.ServerError',
      retryable: true,
      status: 503,
      retryAfterMs: 2000,
    });
    const locked = await startScriptedModelServer({ script: { agents: { writer: ['Draft'] } }, apiKey: 'right' });
    closers.push(() => locked.close());
    expect(await failureOf(recording().call(locked.baseUrl))).toMatchObject({
      type: 'ModelInvocationError.Unauthorized',
      retryable: false,
    });
  });

  it('classifies a stream cut mid-reply as a retryable connection failure, after the pieces that came', async () => {
    const server = await scripted({ agents: { writer: ['One two three four five'] }, failures: [{ cutStreamAfter: 2, firstCalls: 1 }] });
    const first = recording();
    const failure = await failureOf(first.call(server.baseUrl));
    expect(failure).toMatchObject({ type: 'ModelInvocationError.Connection', retryable: true });
    expect(failure.message).toMatch(/agent "writer": model endpoint .* broke off mid-reply \((UND_ERR_SOCKET|other side closed)\)/);
    expect(first.pieces.map((p) => p.text)).toEqual(['One ', 'two ']);
    // The next attempt is answered whole.
    expect((await recording().call(server.baseUrl)).content).toBe('One two three four five');
  });

  it('classifies a dropped connection as before', async () => {
    const server = await scripted({ agents: { writer: ['Draft'] }, failures: [{ dropConnection: true }] });
    expect(await failureOf(recording().call(server.baseUrl))).toMatchObject({ type: 'ModelInvocationError.Connection', retryable: true });
  });

  it('takes an error sent mid-stream, and a stream that ends before its finish, as retryable', async () => {
    const chunk = (delta: object) =>
      `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
    const midError = await raw((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`${chunk({ content: 'Half ' })}data: ${JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } })}\n\n`);
    });
    expect(await failureOf(recording().call(midError))).toMatchObject({
      type: 'ModelInvocationError.ServerError',
      retryable: true,
      message: expect.stringContaining('sent an error mid-reply: overloaded'),
    });
    const unfinished = await raw((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`${chunk({ content: 'Half ' })}data: [DONE]\n\n`);
    });
    expect(await failureOf(recording().call(unfinished))).toMatchObject({
      type: 'ModelInvocationError.InvalidResponse',
      retryable: true,
      message: expect.stringContaining('ended before the reply did'),
    });
    const empty = await raw((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: [DONE]\n\n');
    });
    expect(await failureOf(recording().call(empty))).toMatchObject({ type: 'ModelInvocationError.InvalidResponse' });
  });

  it('gives up, as a timeout, on a stream that outlasts the request timeout', async () => {
    const server = await scripted({ tokenDelayMs: 100, agents: { writer: ['a b c d e f g h i j'] } });
    const { pieces, call } = recording(new ModelClients(250));
    expect(await failureOf(call(server.baseUrl))).toMatchObject({
      type: 'ModelInvocationError.Timeout',
      retryable: true,
      message: expect.stringContaining('did not finish its reply in 250 ms'),
    });
    expect(pieces.length).toBeGreaterThan(0);
    expect(pieces.length).toBeLessThan(10);
  });
});

describe('aborting a call', () => {
  it('mid-stream ends it at once with the abort error, not a model failure', async () => {
    const server = await scripted({ tokenDelayMs: 50, agents: { writer: ['a b c d e f g h i j'] } });
    const controller = new AbortController();
    const pieces: string[] = [];
    const began = Date.now();
    const call = new ModelClients().complete(endpoint(server.baseUrl), ask, meta, {
      signal: controller.signal,
      onDelta: (piece) => {
        pieces.push(piece.text);
        if (pieces.length === 2) controller.abort();
      },
    });
    await expect(call).rejects.toBeInstanceOf(APIUserAbortError);
    expect(Date.now() - began).toBeLessThan(400);
    expect(pieces).toEqual(['a ', 'b ']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests[0]!.abandoned).toBe(true);
  });

  it('before the answer comes, as before', async () => {
    const server = await scripted({ latencyMs: 2000, agents: { writer: ['Late'] } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(new ModelClients().complete(endpoint(server.baseUrl), ask, meta, { signal: controller.signal })).rejects.toBeInstanceOf(
      APIUserAbortError,
    );
  });
});

describe('an endpoint that answers a streaming request whole', () => {
  it('is taken at its word: the same reply, its text handed over as one piece', async () => {
    const completion = {
      id: 'c',
      object: 'chat.completion',
      created: 0,
      model: 'gateway-model',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Whole.',
            tool_calls: [{ id: 't1', type: 'function', function: { name: 'search', arguments: '{}' } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    };
    const baseUrl = await raw((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(completion));
    });
    const { pieces, call } = recording();
    expect(await call(baseUrl)).toEqual({
      v: 1,
      content: 'Whole.',
      toolCalls: [{ id: 't1', name: 'search', arguments: '{}' }],
      usage: { promptTokens: 3, completionTokens: 2 },
      model: 'gateway-model',
    });
    expect(pieces.map(({ text, tool }) => ({ text, tool }))).toEqual([
      { text: 'Whole.', tool: undefined },
      { text: '{}', tool: 'search' },
    ]);
  });
});

describe('model calls', () => {
  const deps = (onDelta: ModelCallDeps['onDelta']): ModelCallDeps => ({
    clients: new ModelClients(),
    defaults: {},
    env: {},
    onDelta,
    tools: {
      registry: new ToolRegistry([
        { name: 'search', description: 'Searches.', input: z.object({ query: z.string() }), run: () => 'found' },
      ]),
    },
  });
  const prompt = (baseUrl: string, tools: boolean): AgentPrompt => ({
    v: 1,
    runId: 'run-1',
    turn: 2,
    agent: {
      name: 'writer',
      description: 'Writes.',
      systemMessage: null,
      settings: { model: 'writer', baseUrl } as AgentPrompt['agent']['settings'],
    },
    messages: [{ source: 'user', content: 'Write.' }],
    ...(tools ? { tools: [{ kind: 'function' as const, name: 'search' }] } : {}),
  });

  it('pass onDelta on: an agent with tools hands over its calls, one without only its text', async () => {
    const server = await scripted({
      agents: { writer: [{ content: 'On it.', toolCalls: [{ name: 'search', arguments: { query: 'otters' } }] }] },
    });
    const withTools: ModelDelta[] = [];
    const reply = answered(
      await callAgentModel(
        prompt(server.baseUrl, true),
        deps((p) => withTools.push(p)),
      ),
    );
    expect(reply.toolCalls).toEqual([{ id: 'call_1', name: 'search', arguments: '{"query":"otters"}', route: { kind: 'function' } }]);
    expect(
      withTools
        .filter((p) => p.tool === 'search')
        .map((p) => p.text)
        .join(''),
    ).toBe('{"query":"otters"}');

    const textOnly: ModelDelta[] = [];
    expect(
      answered(
        await callAgentModel(
          prompt(server.baseUrl, false),
          deps((p) => textOnly.push(p)),
        ),
      ).toolCalls,
    ).toBeUndefined();
    expect(textOnly).toEqual([{ text: 'On ' }, { text: 'it.' }]);
  });

  it('the selector hands over its answer too', async () => {
    const server = await scripted({ selector: ['critic'], agents: { critic: ['ok'] } });
    const pieces: ModelDelta[] = [];
    const reply = answered(
      await callSelectorModel(
        {
          v: 1,
          runId: 'run-1',
          turn: 0,
          attempt: 0,
          settings: { model: 'selector-model', baseUrl: server.baseUrl } as AgentPrompt['agent']['settings'],
          messages: [{ role: 'user', content: 'Who speaks next?' }],
        },
        deps((p) => pieces.push(p)),
      ),
    );
    expect(reply.content).toBe('critic');
    expect(pieces).toEqual([{ text: 'critic' }]);
  });
});
