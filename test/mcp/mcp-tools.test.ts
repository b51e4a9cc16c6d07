import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messageJson } from '../../src/core/a2a-json';
import type { FileAttachment } from '../../src/core/attachments';
import { runLocal } from '../../src/local/run-local';
import { McpConnections } from '../../src/mcp/mcp-connections';
import { maxMessages, parseTeamSpec, type TeamSpec } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { FILESYSTEM_SERVER, startEverythingServer, type HttpMcpServer } from './mcp-env';

const call = (name: string, args: Record<string, unknown>) => ({ name, arguments: args });

/**
 * Agents use third-party MCP servers from npm: `@modelcontextprotocol/server-filesystem` over
 * stdio (a process the worker starts, on a temporary folder) and
 * `@modelcontextprotocol/server-everything` over Streamable HTTP, through the scripted model's
 * tool calls, in durable runs and in runLocal.
 */
describe('MCP servers as tools', () => {
  let folder: string;
  let model: ScriptedModelServer;
  let everything: HttpMcpServer;
  let mcp: McpConnections;
  let env: TestWorker;

  const teamOf = (agentMcp: unknown[], agent = 'clerk'): TeamSpec =>
    parseTeamSpec({
      name: 'clerks',
      pattern: 'round_robin',
      model: { model: 'scripted' },
      agents: [{ name: agent, description: 'Keeps notes.', maxToolIterations: 5, mcp: agentMcp }],
      termination: maxMessages(2),
    });
  const files = () => ({ name: 'fs', command: process.execPath, args: [FILESYSTEM_SERVER, folder], prefix: 'fs_' });

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'mcp-files-'));
    everything = await startEverythingServer();
    model = await startScriptedModelServer({
      script: {
        agents: {
          clerk: [
            { toolCalls: [call('fs_write_file', { path: join(folder, 'note.txt'), content: 'remember the milk' })] },
            { toolCalls: [call('fs_read_text_file', { path: join(folder, 'note.txt') })] },
            { toolCalls: [call('echo', { message: 'hello over HTTP' }), call('get-sum', { a: 2, b: 3 })] },
            'Noted.',
          ],
          echoer: [{ toolCalls: [call('echo', { message: 'still there?' })] }, 'Echoed.'],
          waiter: [{ toolCalls: [call('trigger-long-running-operation', { duration: 0.6, steps: 3 })] }, 'Waited.'],
          viewer: [{ toolCalls: [call('get-tiny-image', {})] }, 'Saw it.'],
        },
      },
    });
    mcp = new McpConnections();
    env = await startTestWorker({ model: { baseUrl: model.baseUrl }, mcp });
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
    await mcp?.close();
    await everything?.stop();
    await model?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('a durable run calls a stdio server and an HTTP server; the transcript shows each call and result', async () => {
    const team = teamOf([files(), { name: 'ev', url: everything.url, include: ['echo', 'get-sum'] }]);
    const runId = await env.client.start(team, 'Note that we need milk.');
    const result = await env.client.result(runId);
    expect(result.snapshot.status).toBe('completed');
    expect(readFileSync(join(folder, 'note.txt'), 'utf8')).toBe('remember the milk');

    const calls = result.messages.filter((m) => m.kind === 'tool_call').flatMap((m) => m.toolCalls ?? []);
    expect(calls.map((c) => c.name)).toEqual(['fs_write_file', 'fs_read_text_file', 'echo', 'get-sum']);
    const results = result.messages.filter((m) => m.kind === 'tool_result').flatMap((m) => m.toolResults ?? []);
    expect(results.map((r) => [r.name, r.isError])).toEqual([
      ['fs_write_file', false],
      ['fs_read_text_file', false],
      ['echo', false],
      ['get-sum', false],
    ]);
    expect(results[1]!.content).toBe('remember the milk');
    expect(results[2]!.content).toBe('Echo: hello over HTTP');
    expect(results[3]!.content).toContain('The sum of 2 and 3 is 5');
    expect(result.messages.at(-1)!.content).toBe('Noted.');

    // The model was offered the filesystem's tools, prefixed, and of the HTTP server only those included.
    const offered = (model.requests.find((r) => r.runId === runId)!.tools ?? []) as { function: { name: string } }[];
    const names = offered.map((t) => t.function.name);
    expect(names).toEqual(expect.arrayContaining(['fs_write_file', 'fs_read_text_file', 'fs_list_directory', 'echo', 'get-sum']));
    expect(names).not.toContain('get-env');
    expect(names.filter((n) => !n.startsWith('fs_')).sort()).toEqual(['echo', 'get-sum']);
  });

  it("pins each server's tool list for the run: every turn offers the list its first turn read", async () => {
    const team = teamOf([files()]);
    model.reset();
    const runId = await env.client.start(team, 'Note it again.');
    await env.client.result(runId);
    const key = `${runId}/mcp-tools/fs`;
    const pinned = (await env.client.store.firstValues<{ name: string; annotations?: object }[]>([key])).get(key)!;
    expect(pinned.map((t) => t.name)).toContain('write_file');
    expect(pinned.find((t) => t.name === 'write_file')!.annotations).toMatchObject({ destructiveHint: true });
    const offers = model.requests.filter((r) => r.runId === runId).map((r) => JSON.stringify(r.tools));
    expect(offers.length).toBeGreaterThan(1);
    expect(new Set(offers).size).toBe(1);
  });

  it('an HTTP server that restarted, and so forgot the session, is connected to again', async () => {
    const port = Number(new URL(everything.url).port);
    await everything.stop();
    everything = await startEverythingServer(port);
    const runId = await env.client.start(teamOf([{ name: 'ev', url: everything.url, include: ['echo'] }], 'echoer'), 'Ask again.');
    const result = await env.client.result(runId);
    expect(result.snapshot.status).toBe('completed');
    const results = result.messages.filter((m) => m.kind === 'tool_result').flatMap((m) => m.toolResults ?? []);
    expect(results.map((r) => [r.content, r.isError])).toEqual([['Echo: still there?', false]]);
    // The old session was tried, refused, dropped; the retry made a new one.
    const failed = await env.client.attempts(runId);
    expect(failed.map((a) => a.message)).toEqual([expect.stringContaining('MCP server "ev" did not list its tools')]);
  });

  it("a call's progress notifications reach watchers as its live preview", async () => {
    const team = teamOf([{ name: 'ev', url: everything.url, include: ['trigger-long-running-operation'] }], 'waiter');
    const runId = await env.client.start(team, 'Wait for it.');
    const stop = new AbortController();
    // Live text about the tool, by the call that wrote it: the model (the call's arguments), then the tool call.
    const bySource = new Map<string, string[]>();
    for await (const item of env.client.watch(runId, { after: 0, signal: stop.signal })) {
      if (item.type === 'live' && item.item.type === 'delta' && item.item.tool === 'trigger-long-running-operation')
        bySource.set(item.item.call, [...(bySource.get(item.item.call) ?? []), item.item.text]);
      if (item.type === 'event' && item.event.type === 'run_finished') break;
    }
    stop.abort();
    const [args, progress] = [...bySource.values()];
    expect(args!.join('')).toBe('{"duration":0.6,"steps":3}');
    expect(progress).toEqual([
      'trigger-long-running-operation: 1 of 3\n',
      'trigger-long-running-operation: 2 of 3\n',
      'trigger-long-running-operation: 3 of 3\n',
    ]);
    expect((await env.client.result(runId)).messages.at(-1)!.content).toBe('Waited.');
  });

  it('an image in a result reaches the transcript and A2A as a file, and the model as a note of it', async () => {
    const runId = await env.client.start(teamOf([{ name: 'ev', url: everything.url, include: ['get-tiny-image'] }], 'viewer'), 'Show me.');
    const { messages } = await env.client.result(runId);
    const resulted = messages.find((m) => m.kind === 'tool_result')!;
    const [image] = resulted.toolResults!;
    expect(image!.attachments).toEqual([{ kind: 'file', mediaType: 'image/png', bytes: expect.stringMatching(/^iVBOR/) }]);
    expect(image!.content).toMatch(/^Here's the image you requested:\n\[image\/png, \d+ bytes\]/);
    // The model got the text with the note, not the bytes: a tool's answer to a model is text.
    const asked = model.requests.filter((r) => r.runId === runId).at(-1)!.messages as { role: string; content: string }[];
    expect(asked.find((m) => m.role === 'tool')!.content).toBe(image!.content);
    // A2A: the results' structure as data, the image as a file part of its own.
    const parts = messageJson({ runId, contextId: runId }, resulted).parts;
    expect(parts.at(-1)).toEqual({ raw: (image!.attachments![0] as FileAttachment).bytes, mediaType: 'image/png' });
    expect(JSON.stringify(parts.find((p) => 'data' in p))).not.toContain('iVBOR');
  });

  it('runLocal uses the same code', async () => {
    model.reset();
    const state = await runLocal(teamOf([files(), { name: 'ev', url: everything.url, include: ['echo', 'get-sum'] }]), 'Note it here.', {
      model: { baseUrl: model.baseUrl },
    });
    expect(state.status).toBe('completed');
    const results = state.messages.filter((m) => m.kind === 'tool_result').flatMap((m) => m.toolResults ?? []);
    expect(results.map((r) => r.content)).toEqual([
      expect.stringContaining('Successfully wrote'),
      'remember the milk',
      'Echo: hello over HTTP',
      expect.stringContaining('The sum of 2 and 3 is 5'),
    ]);
  });
});
