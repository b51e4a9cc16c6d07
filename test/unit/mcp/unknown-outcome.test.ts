import type { ToolCallRequest } from '../../../src/core/activity-contract';
import { callMcpTool, IDEMPOTENCY_META_KEY } from '../../../src/mcp/mcp-call';
import { CallsInFlight } from '../../../src/mcp/live-mcp-call';
import type { McpConnections } from '../../../src/mcp/mcp-connections';
import type { PinnedTool } from '../../../src/mcp/pinned-tools';
import type { McpServerSpec } from '../../../src/spec/mcp';
import { ConversationStore } from '../../../src/store/conversation-store';
import { RamBackend } from '../../../src/store/ram-backend';

/** A server with one destructive tool, whose calls are counted; the connection is the test's own, no process. */
function ledger() {
  const sent: { key: unknown }[] = [];
  const tools: PinnedTool[] = [{ name: 'append', inputSchema: { type: 'object' }, annotations: { destructiveHint: true } }];
  const client = {
    listTools: async () => ({ tools }),
    callTool: async (params: { _meta: Record<string, unknown> }) => {
      sent.push({ key: params._meta[IDEMPOTENCY_META_KEY] });
      return { content: [{ type: 'text', text: 'appended' }] };
    },
  };
  const connections = {
    client: async () => client,
    session: async () => ({ client, inFlight: new CallsInFlight() }),
    drop: async () => undefined,
  } as unknown as McpConnections;
  return { sent, connections };
}

const server = (policy?: McpServerSpec['onUnknownOutcome']): McpServerSpec => ({
  name: 'ledger',
  command: 'ledger',
  ...(policy ? { onUnknownOutcome: policy } : {}),
});
const request = (runId: string, spec: McpServerSpec, answer?: string): ToolCallRequest => ({
  v: 1,
  runId,
  turn: 0,
  agent: 'keeper',
  call: { id: 'call_1', name: 'append', arguments: '{}', route: { kind: 'mcp', server: 'ledger', tool: 'append' } },
  idempotencyKey: `${runId}/turn-0/keeper/0/call_1`,
  mcp: spec,
  ...(answer !== undefined ? { answer: { taskId: 't', text: answer, messageId: `${runId}/answer-1`, questionId: 'q' } } : {}),
});

describe('an MCP call whose outcome is unknown (mcp-call.ts)', () => {
  const store = new ConversationStore(new RamBackend());

  it('sends once; a later attempt asks a person instead of sending again', async () => {
    const { sent, connections } = ledger();
    const deps = { store, connections };
    expect((await callMcpTool(request('run-a', server()), deps, { attempt: 1 })).content).toBe('appended');
    const again = await callMcpTool(request('run-a', server()), deps, { attempt: 2 });
    expect(again.waiting?.prompt).toContain('was sent, and its outcome is unknown');
    expect(sent).toEqual([{ key: 'run-a/turn-0/keeper/0/call_1' }]);
  });

  it('sends again on "retry", once; a send on that word cut short asks anew rather than sending a third time', async () => {
    const { sent, connections } = ledger();
    const deps = { store, connections };
    await callMcpTool(request('run-b', server()), deps, { attempt: 1 });
    const asked = await callMcpTool(request('run-b', server()), deps, { attempt: 2 });
    expect((await callMcpTool(request('run-b', server(), 'retry'), deps, { attempt: 1 })).content).toBe('appended');
    const askedAgain = await callMcpTool(request('run-b', server(), 'retry'), deps, { attempt: 2 });
    expect(askedAgain.waiting?.questionId).not.toBe(asked.waiting?.questionId);
    expect(sent).toHaveLength(2);
  });

  it('tells the model it did not complete on any other answer, or at once with `fail`; sends again with `retry`', async () => {
    const { sent, connections } = ledger();
    const deps = { store, connections };
    await callMcpTool(request('run-c', server()), deps, { attempt: 1 });
    expect(await callMcpTool(request('run-c', server(), 'no, leave it'), deps, { attempt: 1 })).toMatchObject({
      content: 'not sent again; the person said: no, leave it',
      isError: true,
    });
    await callMcpTool(request('run-d', server('fail')), deps, { attempt: 1 });
    expect(await callMcpTool(request('run-d', server('fail')), deps, { attempt: 2 })).toMatchObject({ isError: true });
    await callMcpTool(request('run-e', server('retry')), deps, { attempt: 1 });
    expect((await callMcpTool(request('run-e', server('retry')), deps, { attempt: 2 })).content).toBe('appended');
    expect(sent.map((s) => s.key)).toEqual([
      'run-c/turn-0/keeper/0/call_1',
      'run-d/turn-0/keeper/0/call_1',
      'run-e/turn-0/keeper/0/call_1',
      'run-e/turn-0/keeper/0/call_1',
    ]);
  });
});
