import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { RemoteAnswer, ToolCallRequest, ToolOutcome } from '../core/activity-contract';
import type { McpServerSpec } from '../spec/mcp';
import type { ConversationStore } from '../store/conversation-store';
import type { McpConnections } from './mcp-connections';
import { LiveMcpCall, type McpCallEvent } from './live-mcp-call';
import { McpServerError } from './mcp-errors';
import { mcpResultOf, type McpCallResult } from './mcp-result';
import {
  answerParkedCall,
  holdParkedCall,
  isParkKey,
  parkedQuestion,
  parkKeyFor,
  type ParkedOutcome,
  type ParkTimes,
} from './parked-calls';
import { isIdempotent, pinnedTools } from './pinned-tools';

/** The `_meta` key of a call's idempotency key: the same on every attempt of one call (see the README's "MCP tools"). */
export const IDEMPOTENCY_META_KEY = 'durable-teams/idempotency-key';

/** Longest a call may take as the server sees it; the activity's own timeout is what bounds it. */
const CALL_TIMEOUT_MS = 60 * 60_000;

export interface McpCallDeps {
  connections: McpConnections;
  store: ConversationStore;
  /** How a call asked a question mid-call waits for its answer (tests shorten them). */
  parkTimes?: ParkTimes;
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
 * server that cannot be reached or breaks off throws an McpServerError the activity retries. A
 * server that asks a question mid-call parks the call (parked-calls.ts): the run asks a person,
 * and the answer comes back here, as `request.answer`, to go on to the call.
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
  const sending = { server, tool: route.tool, args, request, deps, site };
  if (request.answer && isParkKey(request.answer.taskId)) return answerQuestion(sending, request.answer, isIdempotent(tool));
  if (!isIdempotent(tool)) {
    const unknown = await unknownOutcome(request, server, deps.store, site);
    if (unknown) return unknown;
  }
  return send(sending);
}

/** A call on its way to a server: what `send` needs. */
interface Sending {
  server: McpServerSpec;
  tool: string;
  args: Record<string, unknown>;
  request: ToolCallRequest;
  deps: McpCallDeps;
  site: McpCallSite;
}

/**
 * A person's answer to a question a server asked mid-call: given to the worker holding the call,
 * whose next outcome (the result, or another question) is the call's. When no worker holds it
 * any more, the call is sent again if its tool is idempotent (the server may ask anew); otherwise
 * its outcome is unknown, and the server's `onUnknownOutcome` says what happens.
 */
async function answerQuestion(sending: Sending, answer: RemoteAnswer, idempotent: boolean): Promise<ToolOutcome> {
  const { request, server, deps, site } = sending;
  const n = Number(/^asked-(\d+)$/.exec(answer.questionId)?.[1]);
  if (!Number.isInteger(n)) throw new Error(`the answer to ${request.call.name} names no question of its call: ${answer.questionId}`);
  const parked = await answerParkedCall({ runId: request.runId, key: answer.taskId, store: deps.store }, n, answer.text, {
    ...(site.signal ? { signal: site.signal } : {}),
    ...(deps.parkTimes ? { times: deps.parkTimes } : {}),
  });
  if ('outcome' in parked) return parked.outcome;
  const policy = server.onUnknownOutcome ?? 'ask';
  if (idempotent || policy === 'retry') return send(sending);
  const what = `the call of ${request.call.name} (MCP server "${server.name}") asked a question, and ${parked.lost}: its outcome is unknown`;
  if (policy === 'fail') return failed(`${what}; it was not sent again, since the server does not mark the tool idempotent`);
  return askToSendAgain(`${request.runId}/mcp-sent/${request.idempotencyKey}`, `${answer.messageId}/lost`, what);
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
  // One question per send cut short: a send on a person's word that is cut short asks anew.
  return askToSendAgain(key, `${request.answer?.messageId ?? 'call'}/unknown-${first.attempt}`, what);
}

/** The question whether to send a call whose outcome is unknown again; its answer comes back to unknownOutcome. */
function askToSendAgain(taskId: string, questionId: string, what: string): ToolOutcome {
  return {
    v: 1,
    content: '',
    isError: false,
    waiting: {
      taskId,
      questionId,
      prompt: `${what}. It may have taken effect. Answer "retry" to send it again; anything else tells the agent it did not complete.`,
      state: 'input-required',
    },
  };
}

/**
 * Sends the call and waits for its first event: its result, or a question from the server, which
 * parks the call on this worker (parked-calls.ts) and returns the question for the run to ask.
 */
async function send(sending: Sending): Promise<ToolOutcome> {
  const { server, tool, args, request, deps, site } = sending;
  const settle = settler(sending);
  const { client, inFlight } = await deps.connections.session(server);
  const call = new LiveMcpCall();
  call.onProgress = site.onProgress ?? null;
  // The activity's cancellation reaches the call only while the activity waits on it, not once parked.
  const abort = new AbortController();
  const cancel = () => abort.abort(site.signal?.reason);
  site.signal?.addEventListener('abort', cancel, { once: true });
  inFlight.add(call);
  call.follow(
    // An aborted signal makes the SDK send notifications/cancelled for the request in flight.
    (
      client.callTool({ name: tool, arguments: args, _meta: { [IDEMPOTENCY_META_KEY]: request.idempotencyKey } }, undefined, {
        signal: abort.signal,
        timeout: CALL_TIMEOUT_MS,
        // Asking for progress gives the request a progress token, beside the idempotency key.
        onprogress: (p) => call.onProgress?.(progressLine(tool, p)),
        resetTimeoutOnProgress: true,
      }) as Promise<McpCallResult>
    ).finally(() => inFlight.remove(call)),
  );
  try {
    const event = await call.next();
    if (event.kind === 'asked') {
      call.onProgress = null; // the activity's preview ends with it
      const key = parkKeyFor(request.runId, request.idempotencyKey);
      const parking = {
        runId: request.runId,
        key,
        store: deps.store,
        settle,
        ...(deps.parkTimes ? { times: deps.parkTimes } : {}),
      };
      // Held on after this activity ends; a store that fails it leaves the answer untaken, and the call lost.
      void holdParkedCall(call, event.question, parking).catch(() => event.question.reply({ action: 'cancel' }));
      return parkedQuestion(key, 1, event.question);
    }
    if (event.kind === 'broke' && site.signal?.aborted) throw event.error;
    const settled = await settle(event);
    if ('lost' in settled) throw new McpServerError(server.name, settled.lost, true);
    return settled.outcome;
  } finally {
    site.signal?.removeEventListener('abort', cancel);
  }
}

/** A call's end as an outcome: its result, the server's refusal, or lost (the connection broke, dropped for a new one). */
function settler({ server, tool, deps }: Sending) {
  return async (event: Exclude<McpCallEvent, { kind: 'asked' }>): Promise<ParkedOutcome> => {
    if (event.kind === 'answered') {
      const { text, attachments } = mcpResultOf(event.result);
      return { outcome: { v: 1, content: text, isError: event.result.isError === true, ...(attachments.length ? { attachments } : {}) } };
    }
    const err = event.error;
    // The server's own answer that no retry changes: the model hears it, as it would an isError result.
    if (err instanceof McpError && err.code !== ErrorCode.ConnectionClosed && err.code !== ErrorCode.RequestTimeout)
      return { outcome: failed(`MCP server "${server.name}" refused ${tool}: ${err.message}`) };
    // The connection broke or never answered: why (read while it is still held), then a new one for the next attempt.
    const why = await deps.connections.failureOf(server, err);
    await deps.connections.drop(server);
    return { lost: `broke off the call of ${tool}: ${why}` };
  };
}

/** A progress notification as a line: "search: 3 of 10: fetching page 3". */
function progressLine(tool: string, p: { progress: number; total?: number; message?: string }): string {
  const amount = p.total !== undefined ? `${p.progress} of ${p.total}` : String(p.progress);
  return `${tool}: ${amount}${p.message ? `: ${p.message}` : ''}\n`;
}

function failed(content: string): ToolOutcome {
  return { v: 1, content, isError: true };
}
