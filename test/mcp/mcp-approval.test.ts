import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTeamSpec, textMention, type TeamSpec } from '../../src/spec';
import { McpConnections } from '../../src/mcp/mcp-connections';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { nextRequest } from '../helpers/waiting';
import { FILESYSTEM_SERVER } from './mcp-env';

/**
 * An MCP server's calls approved by a person, as its entry says: `unlessReadOnly` lets the
 * tools the server marks read-only through and stops the others for a person, who is shown what
 * the server says of the tool. `@modelcontextprotocol/server-filesystem` over stdio.
 */
describe('MCP calls approved by a person', () => {
  let folder: string;
  let model: ScriptedModelServer;
  let mcp: McpConnections;
  let env: TestWorker;

  const team = (approval: unknown): TeamSpec =>
    parseTeamSpec({
      name: 'careful',
      pattern: 'round_robin',
      model: { model: 'scripted' },
      agents: [
        {
          name: 'clerk',
          description: 'Keeps notes.',
          maxToolIterations: 3,
          mcp: [{ name: 'fs', command: process.execPath, args: [FILESYSTEM_SERVER, folder], approval }],
        },
      ],
      termination: textMention('Done.', { sources: ['clerk'] }),
    });

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'mcp-approval-'));
    const note = join(folder, 'note.txt');
    model = await startScriptedModelServer({
      script: {
        onExhausted: 'repeat-last',
        agents: {
          clerk: [
            { toolCalls: [{ name: 'write_file', arguments: { path: note, content: 'approved words' } }] },
            { toolCalls: [{ name: 'read_text_file', arguments: { path: note } }] },
            'Done.',
          ],
        },
      },
    });
    mcp = new McpConnections();
    env = await startTestWorker({ model: { baseUrl: model.baseUrl }, mcp });
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
    await mcp?.close();
    await model?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('unlessReadOnly: the write waits for a person, who sees what the server says of it; the read goes at once', async () => {
    const runId = await env.client.start(team('unlessReadOnly'), 'Note it.');
    const asked = await nextRequest(env.client, runId);
    expect(asked.kind).toBe('approval');
    expect(asked.prompt).toContain(
      'clerk wants to call the tool write_file of the MCP server "fs" (may change or destroy things; the same call twice does no more; stays within its own data, says the server)',
    );
    await env.client.answer(runId, { requestId: asked.requestId, action: 'approve' });
    const { snapshot, messages } = await env.client.result(runId);
    expect(snapshot.status).toBe('completed');
    expect(readFileSync(join(folder, 'note.txt'), 'utf8')).toBe('approved words');
    // One question in all: the read-only read was not asked about.
    await expect(nextRequest(env.client, runId, asked.seq)).rejects.toThrow('ended without asking anyone');
    const results = messages.filter((m) => m.kind === 'tool_result').flatMap((m) => m.toolResults ?? []);
    expect(results.map((r) => [r.name, r.isError])).toEqual([
      ['write_file', false],
      ['read_text_file', false],
    ]);
  }, 60_000);

  it('a call the person rejects is not made, and the model hears why', async () => {
    rmSync(join(folder, 'note.txt'), { force: true });
    const runId = await env.client.start(team({ prompt: 'May the clerk write?', unlessReadOnly: true }), 'Note it again.');
    const asked = await nextRequest(env.client, runId);
    expect(asked.prompt).toBe('May the clerk write?');
    await env.client.answer(runId, { requestId: asked.requestId, action: 'reject', text: 'not today' });
    const { messages } = await env.client.result(runId);
    const results = messages.filter((m) => m.kind === 'tool_result').flatMap((m) => m.toolResults ?? []);
    expect(results[0]).toMatchObject({ name: 'write_file', isError: true, content: expect.stringContaining('not approved') });
    expect(results[0]!.content).toContain('not today');
  }, 60_000);
});
