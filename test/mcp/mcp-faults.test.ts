import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { McpConnections } from '../../src/mcp/mcp-connections';
import { maxMessages, parseTeamSpec, type TeamSpec } from '../../src/spec';
import type { McpServerSpec } from '../../src/spec/mcp';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { FAST_RETRY } from '../helpers/teams';
import { LEDGER_SERVER, ledgerEntries } from './mcp-env';

/** What goes wrong with MCP servers: a cancelled run, a server that dies at start, one that answers what is not MCP. */
describe('MCP servers that fail, and runs that stop', () => {
  let model: ScriptedModelServer;
  let mcp: McpConnections;
  let env: TestWorker;
  const ledger = join(mkdtempSync(join(tmpdir(), 'mcp-faults-')), 'ledger.jsonl');

  beforeAll(async () => {
    model = await startScriptedModelServer({
      script: {
        agents: {
          keeper: [{ toolCalls: [{ name: 'set_entry', arguments: { text: 'slowly', delayMs: 30_000 } }] }, 'kept'],
          survivor: [
            { toolCalls: [{ name: 'exit_after', arguments: { text: 'first' } }] },
            { toolCalls: [{ name: 'set_entry', arguments: { text: 'second' } }] },
            'both done',
          ],
        },
      },
    });
    mcp = new McpConnections({ ...process.env, LEDGER_LOG: ledger, LEDGER_TOKEN: 'tok-3f9a-secret-value' });
    env = await startTestWorker({ model: { baseUrl: model.baseUrl }, mcp });
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
    await mcp?.close();
    await model?.close();
  });

  const teamOf = (server: McpServerSpec, attempts = 2, agent = 'keeper'): TeamSpec =>
    parseTeamSpec({
      name: 'keepers',
      pattern: 'round_robin',
      model: { model: 'scripted' },
      agents: [
        { name: agent, description: 'Keeps.', maxToolIterations: 3, retry: { ...FAST_RETRY, maximumAttempts: attempts }, mcp: [server] },
      ],
      termination: maxMessages(2),
    });
  const ledgerServer = { name: 'ledger', command: process.execPath, args: [LEDGER_SERVER], envFrom: { LEDGER_LOG: 'LEDGER_LOG' } };
  const entries = () => ledgerEntries(ledger);
  const failureOf = async (runId: string): Promise<string> => {
    await expect(env.client.result(runId)).rejects.toMatchObject({ name: 'RunEndedError' });
    return (await env.client.getState(runId)).error?.message ?? '';
  };

  it('a cancelled run sends notifications/cancelled for the call in flight', async () => {
    const runId = await env.client.start(teamOf(ledgerServer), 'Keep it.');
    while (!entries().some((e) => e.tool === 'set_entry')) await sleep(50);
    await env.client.cancel(runId);
    for (const deadline = Date.now() + 10_000; !entries().some((e) => e.cancelled) && Date.now() < deadline;) await sleep(50);
    expect(entries().filter((e) => e.cancelled)).toEqual([expect.objectContaining({ tool: 'set_entry', cancelled: true })]);
    await expect(env.client.result(runId)).rejects.toMatchObject({ name: 'RunEndedError' });
    expect((await env.client.getState(runId)).status).toBe('canceled');
  }, 30_000);

  it('a stdio server that exits between calls is started again for the next one', async () => {
    const runId = await env.client.start(teamOf({ ...ledgerServer, retry: FAST_RETRY }, 2, 'survivor'), 'Keep both.');
    const { snapshot, messages } = await env.client.result(runId);
    expect(snapshot.status).toBe('completed');
    const results = messages.filter((m) => m.kind === 'tool_result').flatMap((m) => m.toolResults ?? []);
    expect(results.map((r) => [r.content, r.isError])).toEqual([
      ['exit_after done: first', false],
      ['set_entry done: second', false],
    ]);
    const [first, second] = ['first', 'second'].map((text) => entries().find((e) => e.args?.text === text));
    expect(second!.pid).not.toBe(first!.pid); // another process served the second call
  }, 30_000);

  it('a server that dies as it starts fails the turn, naming the server and what it said', async () => {
    const dead = { name: 'dead', command: process.execPath, args: ['-e', 'process.stderr.write("no config file\\n"); process.exit(3)'] };
    const message = await failureOf(await env.client.start(teamOf(dead), 'Keep it.'));
    expect(message).toContain('MCP server "dead" could not be started');
    expect(message).toContain('no config file');
  }, 30_000);

  it("a server that prints a secret it was given as it dies: the error names it, never the secret's value", async () => {
    const leaky = {
      name: 'leaky',
      command: process.execPath,
      args: ['-e', 'process.stderr.write(`token ${process.env.TOKEN} refused\\n`); process.exit(2)'],
      envFrom: { TOKEN: 'LEDGER_TOKEN' },
    };
    const message = await failureOf(await env.client.start(teamOf(leaky), 'Keep it.'));
    expect(message).toContain('MCP server "leaky" could not be started');
    expect(message).toContain('token *** refused');
    expect(message).not.toContain('tok-3f9a-secret-value');
  }, 30_000);

  it('a server that answers what is not MCP is taken as down within ten seconds, by name', async () => {
    const garbage = {
      name: 'noisy',
      command: process.execPath,
      args: ['-e', 'console.log("hello, this is not JSON-RPC"); setInterval(() => {}, 1000)'],
    };
    const message = await failureOf(await env.client.start(teamOf(garbage, 1), 'Keep it.'));
    expect(message).toContain('MCP server "noisy" could not be started');
  }, 30_000);
});
