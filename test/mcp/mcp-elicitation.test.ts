import { runLocal } from '../../src/local/run-local';
import { McpConnections } from '../../src/mcp/mcp-connections';
import { parseTeamSpec, textMention, type McpServerSpec, type TeamSpec } from '../../src/spec';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing/scripted-model';
import { startTestWorker, type TestWorker } from '../../src/testing/temporal-env';
import { nextRequest } from '../helpers/waiting';
import { startEverythingServer, type HttpMcpServer } from './mcp-env';

const ELICIT = 'trigger-elicitation-request';

/**
 * A server asks its user a question mid-call (`elicitation/create`): `@modelcontextprotocol/
 * server-everything`'s form of thirteen fields, over Streamable HTTP. The run waits as
 * input-required on the question, a person answers in text, and the answer reaches the call that
 * is still open on the worker; an answer that does not fit the form is asked again, with why.
 */
describe('MCP elicitation: a server asks a person mid-call', () => {
  let model: ScriptedModelServer;
  let everything: HttpMcpServer;
  let mcp: McpConnections;
  let env: TestWorker;
  let server: McpServerSpec;

  const team = (): TeamSpec =>
    parseTeamSpec({
      name: 'forms',
      pattern: 'round_robin',
      model: { model: 'scripted' },
      agents: [{ name: 'clerk', description: 'Fills in forms.', mcp: [server] }],
      // The person's answers are messages too: the run ends on the agent's last word, however many were given.
      termination: textMention('Filed.', { sources: ['clerk'] }),
    });
  const toolResults = (messages: { kind: string; toolResults?: { content: string; isError: boolean }[] }[]) =>
    messages.filter((m) => m.kind === 'tool_result').flatMap((m) => m.toolResults ?? []);

  beforeAll(async () => {
    everything = await startEverythingServer();
    server = { name: 'ev', url: everything.url, include: [ELICIT] };
    model = await startScriptedModelServer({
      // Each run: the call, then (whatever was asked on the way) the last word.
      script: { onExhausted: 'repeat-last', agents: { clerk: [{ toolCalls: [{ name: ELICIT, arguments: {} }] }, 'Filed.'] } },
    });
    mcp = new McpConnections();
    env = await startTestWorker({ model: { baseUrl: model.baseUrl }, mcp });
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
    await mcp?.close();
    await everything?.stop();
    await model?.close();
  });

  it('the run asks the form; an answer that does not fit is asked again; the one that fits reaches the call', async () => {
    const runId = await env.client.start(team(), 'Register me.');
    const first = await nextRequest(env.client, runId);
    expect(first.prompt).toContain(`clerk's MCP tool ${ELICIT} asks: Please provide inputs for the following fields:`);
    expect(first.prompt).toContain('- name (required): string; Your full, legal name');
    expect(first.prompt).toContain('- integer: integer; Your favorite integer');
    expect((await env.client.getState(runId)).status).toBe('input-required');

    await env.client.answer(runId, { requestId: first.requestId, action: 'input', text: 'Ada' });
    const again = await nextRequest(env.client, runId, first.seq);
    expect(again.prompt).toContain('that answer is not a JSON object, and the form has 13 fields.\nPlease provide inputs');
    expect(again.prompt).toContain('- name (required)');

    await env.client.answer(runId, {
      requestId: again.requestId,
      action: 'input',
      text: JSON.stringify({ name: 'Ada Lovelace', check: true, integer: 7 }),
    });
    const { snapshot, messages } = await env.client.result(runId);
    expect(snapshot.status).toBe('completed');
    const [result] = toolResults(messages);
    expect(result!.isError).toBe(false);
    expect(result!.content).toContain('✅ User provided the requested information!');
    expect(result!.content).toContain('- Name: Ada Lovelace');
    expect(result!.content).toContain('- Favorite Integer: 7');
    // The person's answers are in the transcript, beside the question they answered.
    expect(messages.filter((m) => m.source === 'user').map((m) => m.content)).toEqual(
      expect.arrayContaining(['Ada', JSON.stringify({ name: 'Ada Lovelace', check: true, integer: 7 })]),
    );
  }, 60_000);

  it('"decline" is the form declined, as the server hears it', async () => {
    const runId = await env.client.start(team(), 'Register me, or not.');
    const asked = await nextRequest(env.client, runId);
    await env.client.answer(runId, { requestId: asked.requestId, action: 'input', text: 'decline' });
    const { snapshot, messages } = await env.client.result(runId);
    expect(snapshot.status).toBe('completed');
    expect(toolResults(messages)[0]!.content).toContain('❌ User declined to provide the requested information.');
  }, 60_000);

  it('runLocal asks the same question through onInput, and the answer reaches the call', async () => {
    const asked: string[] = [];
    const state = await runLocal(team(), 'Register me here.', {
      model: { baseUrl: model.baseUrl },
      onInput: async (request) => {
        asked.push(request.prompt);
        return { action: 'input', text: '{"name":"Grace Hopper"}' };
      },
    });
    expect(state.status).toBe('completed');
    expect(asked).toEqual([expect.stringContaining('Please provide inputs for the following fields:')]);
    expect(toolResults(state.messages)[0]!.content).toContain('- Name: Grace Hopper');
  }, 60_000);

  it('a question that outlives its connection: the call is lost, and since the tool is not idempotent, a person decides', async () => {
    const runId = await env.client.start(team(), 'Register me later.');
    const asked = await nextRequest(env.client, runId);
    // The worker's connection to the server closes while the question waits (a server restart, say).
    await mcp.drop(server);
    await env.client.answer(runId, { requestId: asked.requestId, action: 'input', text: '{"name":"Ada"}' });
    const lost = await nextRequest(env.client, runId, asked.seq);
    expect(lost.prompt).toContain(`the call of ${ELICIT} (MCP server "ev") asked a question, and broke off the call of ${ELICIT}`);
    expect(lost.prompt).toContain('Answer "retry" to send it again');
    await env.client.answer(runId, { requestId: lost.requestId, action: 'input', text: 'leave it' });
    const { snapshot, messages } = await env.client.result(runId);
    expect(snapshot.status).toBe('completed');
    expect(toolResults(messages)[0]).toMatchObject({ content: 'not sent again; the person said: leave it', isError: true });
  }, 60_000);
});
