import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { ToolCallRequest, ToolOutcome } from '../core/activity-contract';
import type { McpServerSpec } from '../spec/mcp';
import type { ConversationStore } from '../store/conversation-store';
import type { McpConnections } from './mcp-connections';
import { McpServerError } from './mcp-errors';
import { mcpResultOf, type McpCallResult } from './mcp-result';
import { isIdempotent, pinnedTools } from './pinned-tools';

/** The `_meta` key of a call's idempotency key: the same on every attempt of one call (see the README's "MCP tools"). */
export const IDEMPOTENCY_META_KEY = 'durable-teams/idempotency-key';

/** Longest a call may take as the server sees it; the activity's own timeout is what bounds it. */
const CALL_TIMEOUT_MS = 60 * 60_000;

export interface McpCallDeps {
  connections: McpConnections;
  store: ConversationStore;
}

/** Where the call runs: which attempt this is (Temporal's, 1 in runLocal), what aborts it, where its progress goes. */
export interface McpCallSite {
  attempt: number;
  signal?: AbortSignal;
  /** Each `notifications/progress` of the call, as a line of text (a live preview, in an activity). */
  onProgress?: (line: string) => void;
}

/** A person's answer that sends a call whose outcome is unknown again. */
const SEND_AGAIN = /^\s*(retry|yes|y|send|send again)\s*[.!]?\s*$/i;

/**
 * One `tools/call` of an MCP server, as the model asked for it. The tool is looked up in the
 * run's pinned list; the request carries the call's idempotency key in `_meta`. A tool the server
 * does not mark idempotent is sent once: an attempt that finds an earlier one sent it (the worker
 * died or the connection broke before the answer) does what the server's `onUnknownOutcome` says
 * instead of sending blindly. MCP's own errors and `isError` results go back to the model; a
 * server that cannot be reached or breaks off throws an McpServerError the activity retries.
 */
export async function callMcpTool(request: ToolCallRequest, deps: McpCallDeps, site: McpCallSite): Promise<ToolOutcome> {
  const server = request.mcp;
  const route = request.call.route;
  if (!server || route.kind !== 'mcp') throw new Error(`agent "${request.agent}": ${request.call.name} is not an MCP tool call`);
  const tools = await pinnedTools(deps.store, request.runId, server, deps.connections);
  const tool = tools.find((t) => t.name === route.tool);
  if (!tool) return failed(`MCP server "${server.name}" has no tool "${route.tool}"`);
  let args: Record<string, unknown>;
  try {
    args = JSON.parse(request.call.arguments || '{}') as Record<string, unknown>;
  } catch {
    return failed(`the arguments of ${request.call.name} are not JSON: ${request.call.arguments.slice(0, 200)}`);
  }
  if (!isIdempotent(tool)) {
    const unknown = await unknownOutcome(request, server, deps.store, site);
    if (unknown) return unknown;
  }
  return send(server, route.tool, args, request, deps.connections, site);
}

/**
 * Marks the call sent before it goes; answers what to do instead when an earlier attempt marked
 * it already, or null to send. A person's answer to the question (`request.answer`) decides
 * whether to send again; that send is marked under the answer's own key, so a send on a person's
 * word that is itself cut short is not repeated blindly either: the person is asked again.
 */
async function unknownOutcome(
  request: ToolCallRequest,
  server: McpServerSpec,
  store: ConversationStore,
  site: McpCallSite,
): Promise<ToolOutcome | null> {
  const key = `${request.runId}/mcp-sent/${request.idempotencyKey}`;
  if (request.answer && !SEND_AGAIN.test(request.answer.text))
    return failed(`not sent again; the person said: ${request.answer.text.trim() || '(nothing)'}`);
  const mark = request.answer ? `${key}/${request.answer.messageId}` : key;
  const first = await store.putFirst(request.runId, mark, { attempt: site.attempt });
  if (first.attempt === site.attempt) return null;
  const policy = server.onUnknownOutcome ?? 'ask';
  const what = `the call of ${request.call.name} (MCP server "${server.name}") was sent, and its outcome is unknown: the attempt that sent it did not finish`;
  if (policy === 'retry') return null;
  if (policy === 'fail') return failed(`${what}; it was not sent again, since the server does not mark the tool idempotent`);
  return {
    v: 1,
    content: '',
    isError: false,
    waiting: {
      taskId: key,
      // One question per send cut short: a send on a person's word that is cut short asks anew.
      questionId: `${request.answer?.messageId ?? 'call'}/unknown-${first.attempt}`,
      prompt: `${what}. It may have taken effect. Answer "retry" to send it again; anything else tells the agent it did not complete.`,
      state: 'input-required',
    },
  };
}

async function send(
  server: McpServerSpec,
  tool: string,
  args: Record<string, unknown>,
  request: ToolCallRequest,
  connections: McpConnections,
  { signal, onProgress }: McpCallSite,
): Promise<ToolOutcome> {
  const client = await connections.client(server);
  try {
    // An aborted signal makes the SDK send notifications/cancelled for the request in flight.
    const result = (await client.callTool(
      { name: tool, arguments: args, _meta: { [IDEMPOTENCY_META_KEY]: request.idempotencyKey } },
      undefined,
      {
        ...(signal ? { signal } : {}),
        timeout: CALL_TIMEOUT_MS,
        // Asking for progress gives the request a progress token, beside the idempotency key.
        ...(onProgress ? { onprogress: (p) => onProgress(progressLine(tool, p)), resetTimeoutOnProgress: true } : {}),
      },
    )) as McpCallResult;
    const { text, attachments } = mcpResultOf(result);
    return { v: 1, content: text, isError: result.isError === true, ...(attachments.length ? { attachments } : {}) };
  } catch (err) {
    if (signal?.aborted) throw err;
    // The server's own answer that no retry changes: the model hears it, as it would an isError result.
    if (err instanceof McpError && err.code !== ErrorCode.ConnectionClosed && err.code !== ErrorCode.RequestTimeout)
      return failed(`MCP server "${server.name}" refused ${tool}: ${err.message}`);
    // The connection broke or never answered: why (read while it is still held), then a new one for the next attempt.
    const why = await connections.failureOf(server, err);
    await connections.drop(server);
    throw new McpServerError(server.name, `broke off the call of ${tool}: ${why}`, true);
  }
}

/** A progress notification as a line: "search: 3 of 10: fetching page 3". */
function progressLine(tool: string, p: { progress: number; total?: number; message?: string }): string {
  const amount = p.total !== undefined ? `${p.progress} of ${p.total}` : String(p.progress);
  return `${tool}: ${amount}${p.message ? `: ${p.message}` : ''}\n`;
}

function failed(content: string): ToolOutcome {
  return { v: 1, content, isError: true };
}
