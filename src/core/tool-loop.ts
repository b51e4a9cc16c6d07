import type { LlmAgentSpec } from '../spec/agent';
import type { TeamSpec } from '../spec/team';
import type { McpServerSpec } from '../spec/mcp';
import { mcpApprovalOf, mcpHintWords, mcpServersOf } from '../spec/plain/mcp-servers';
import type { HandoffUseSpec, ToolApprovalSpec, ToolUseSpec } from '../spec/tools';
import { approvalOf, handoffEntry, isRemoteTool, toolEntry } from '../spec/plain/tool-entries';
import { askPerson } from './ask-person';
import { remoteQuestionDraft, type InputDraft } from './human-requests';
import { isTerminal } from './status';
import type { ToolResult } from './messages';
import type { RunRecorder } from './recorder';
import type {
  AgentToolRef,
  AgentTurnRequest,
  ModelReply,
  RemoteAnswer,
  RoutedToolCall,
  ToolCallRequest,
  ToolOutcome,
  ToolRoute,
} from './activity-contract';
import { agentTurnRequest } from './request-builders';
import { memoryRequest, memoryToolRefs, type MemoryRequest } from './memory-request';
import { INTERRUPTED, isInterrupted, type Interrupted, type TeamRuntime } from './team-runtime';

export const DEFAULT_MAX_TOOL_ITERATIONS = 1;
export const DEFAULT_TOOL_SUMMARY_FORMAT = '{result}';

/**
 * An LLM agent's turn. Without tools, one model call. With tools, AutoGen's AssistantAgent loop:
 * the model asks for calls, each call runs (after a person's approval where the spec wants one)
 * and its result goes back to the model, until the model answers without calls or
 * `maxToolIterations` rounds have run; then the agent answers from the results, by one more model
 * call (`reflectOnToolUse`) or by a summary of them. Calls and results are recorded as they happen.
 */
export async function llmTurn(
  team: TeamSpec,
  run: RunRecorder,
  runtime: TeamRuntime,
  agent: LlmAgentSpec,
): Promise<ModelReply | Interrupted> {
  const tools = agent.tools ?? [];
  const handoffs = team.pattern === 'swarm' ? (agent.handoffs ?? []) : [];
  const memoryTools = memoryToolRefs(team, agent);
  const mcp = mcpServersOf(team, agent);
  if (tools.length === 0 && handoffs.length === 0 && memoryTools.length === 0 && mcp.length === 0)
    return runtime.agentTurn(agentTurnRequest(team, run.state, agent));
  if (tools.length + memoryTools.length + mcp.length > 0 && !runtime.toolCall)
    throw new Error(`agent "${agent.name}" has tools, which this runtime cannot call`);

  const offer: Pick<AgentTurnRequest, 'tools' | 'parallelToolCalls'> = {
    tools: [
      ...tools.map(toolRef),
      ...handoffs.map((h) => handoffRef(team, h)),
      ...memoryTools,
      ...mcp.map((server) => ({ kind: 'mcp' as const, server })),
    ],
    ...(agent.parallelToolCalls === false ? { parallelToolCalls: false } : {}),
  };
  const rounds = agent.maxToolIterations ?? DEFAULT_MAX_TOOL_ITERATIONS;
  let results: ToolResult[] = [];
  let model = '';
  for (let round = 0; round < rounds; round++) {
    const reply = await runtime.agentTurn({ ...agentTurnRequest(team, run.state, agent), ...offer });
    if (isInterrupted(reply) || !reply.toolCalls?.length) return reply;
    model = reply.model;
    run.recordToolCalls(agent.name, reply);
    const outcome = await runCalls(run, runtime, agent, reply.toolCalls, round, memoryRequest(team, run.state, agent), mcp);
    if (isInterrupted(outcome)) return outcome;
    results = outcome;
    run.recordToolResults(agent.name, results);
    // A handoff ends the turn at once: the target speaks next (a person is asked).
    const handoff = reply.toolCalls.find((c) => c.route.kind === 'handoff');
    if (handoff?.route.kind === 'handoff') {
      const content = reply.content.trim() || transferText(handoff.route.target);
      // The stored reply is this message only when nothing was trimmed or put in its place.
      return {
        v: 1,
        content,
        usage: null,
        model,
        handoff: handoff.route.target,
        ...(reply.ref && content === reply.content ? { ref: reply.ref } : {}),
      };
    }
  }
  // Out of rounds: the agent answers from what the calls gave.
  if (agent.reflectOnToolUse) return runtime.agentTurn(agentTurnRequest(team, run.state, agent));
  return { v: 1, content: summarize(results, agent.toolCallSummaryFormat), usage: null, model };
}

/** How the activity that calls the model learns of a spec's tool entry. */
export function toolRef(tool: ToolUseSpec, entry: number): AgentToolRef {
  const spec = toolEntry(tool);
  if (!isRemoteTool(spec)) return { kind: 'function', name: spec.name };
  return {
    kind: 'a2a',
    entry,
    card: spec.card,
    skill: spec.skill ?? null,
    name: spec.name ?? null,
    description: spec.description ?? null,
    auth: spec.auth ?? null,
    allowHosts: spec.allowHosts ?? null,
  };
}

/** A swarm agent's transfer_to_<target> tool. */
function handoffRef(team: TeamSpec, handoff: HandoffUseSpec): AgentToolRef {
  const { target, description } = handoffEntry(handoff);
  const who = team.agents.find((a) => a.name === target);
  const about = target === 'user' || !who ? 'the user, a person, and wait for their reply' : `${target}: ${who.description}`;
  return { kind: 'handoff', target, description: description ?? `Hand the conversation to ${about}` };
}

/** What a handoff's result says (AutoGen's words for it). */
export const transferText = (target: string): string => `Transferred to ${target}, adopting the role of ${target} immediately.`;

/** The spec's entry for a call: a remote tool by position, a function tool by name. */
export function toolSpecFor(agent: LlmAgentSpec, call: RoutedToolCall): ToolUseSpec | null {
  const tools = agent.tools ?? [];
  if (call.route.kind === 'a2a') return tools[call.route.entry] ?? null;
  return tools.find((tool) => !isRemoteTool(toolEntry(tool)) && toolEntry(tool).name === call.name) ?? null;
}

/**
 * Runs one round of calls: approvals first, one question at a time, then the approved calls
 * (together, unless the agent wants one call at a time). Results keep the order of the calls.
 */
async function runCalls(
  run: RunRecorder,
  runtime: TeamRuntime,
  agent: LlmAgentSpec,
  calls: RoutedToolCall[],
  round: number,
  memory: MemoryRequest | undefined,
  mcp: readonly McpServerSpec[],
): Promise<ToolResult[] | Interrupted> {
  const decided: (ToolResult | null)[] = [];
  let handedTo: string | null = null;
  for (const call of calls) {
    if (call.route.kind === 'handoff') {
      // One handoff a turn: the first wins, later ones are told they did nothing.
      const target = call.route.target;
      decided.push({
        callId: call.id,
        name: call.name,
        content: handedTo ? `not done: the conversation was already handed to ${handedTo}` : transferText(target),
        isError: handedTo !== null,
      });
      handedTo ??= target;
      continue;
    }
    const refused = refusal(agent, call, memory, mcp);
    if (refused !== null) {
      decided.push(errorResult(call, refused));
      continue;
    }
    const spec = toolSpecFor(agent, call);
    // Built-in memory tools have no entry in the team file, so nothing asks for their approval;
    // an MCP server's tools are approved as its entry says, by what the server says of each.
    const approval = spec ? approvalOf(spec) : call.route.kind === 'mcp' ? mcpCallApproval(call.route, mcp) : null;
    if (!approval) {
      decided.push(null);
      continue;
    }
    const answer = await askPerson(run, runtime, approvalDraftFor(agent.name, call, approval));
    if (answer === 'interrupted') return INTERRUPTED;
    if (answer.action === 'approve') decided.push(null);
    else {
      const who = answer.by ? ` by ${answer.by}` : '';
      const why = answer.text?.trim() ? `: ${answer.text.trim()}` : '';
      decided.push(errorResult(call, `the call was not approved${who}${why}`));
    }
  }

  const keyOf = (c: RoutedToolCall) => `${run.state.runId}/turn-${run.state.turn}/${agent.name}/${round}/${c.id}`;
  const call = (c: RoutedToolCall, answer?: RemoteAnswer) =>
    runtime.toolCall!({
      v: 1,
      runId: run.state.runId,
      turn: run.state.turn,
      agent: agent.name,
      call: c,
      ...remoteTarget(agent, c),
      ...(c.route.kind === 'memory' && memory ? { memory } : {}),
      ...mcpTarget(c, mcp),
      idempotencyKey: keyOf(c),
      ...(answer ? { answer } : {}),
    });
  const outcomes: (ToolOutcome | Interrupted | null)[] = new Array(calls.length).fill(null);
  if (agent.parallelToolCalls === false) {
    for (let i = 0; i < calls.length; i++) if (decided[i] === null) outcomes[i] = await call(calls[i]!);
  } else {
    await Promise.all(calls.map(async (c, i) => (decided[i] === null ? (outcomes[i] = await call(c)) : null)));
  }
  // A remote tool whose task asked a question: a person answers (one question at a time, in the
  // order of the calls), the answer goes to that same remote task, and the call goes on.
  for (let i = 0; i < calls.length; i++) {
    for (let asked = 1; ; asked += 1) {
      const outcome = outcomes[i];
      if (!outcome || isInterrupted(outcome) || !outcome.waiting) break;
      const c = calls[i]!;
      const answer = await askPerson(
        run,
        runtime,
        remoteQuestionDraft(agent.name, outcome.waiting, c.name, c.route.kind === 'mcp' ? 'MCP' : 'remote'),
      );
      if (answer === 'interrupted') return INTERRUPTED;
      if (isTerminal(run.state.status)) return INTERRUPTED; // the person rejected the run
      const text = answer.text?.trim() ?? '';
      outcomes[i] = await call(c, {
        taskId: outcome.waiting.taskId,
        text,
        questionId: outcome.waiting.questionId,
        messageId: `${keyOf(c)}/answer-${asked}`,
      });
    }
  }
  if (outcomes.some(isInterrupted)) return INTERRUPTED;
  return calls.map((c, i) => decided[i] ?? resultOf(c, outcomes[i] as ToolOutcome));
}

function resultOf(call: RoutedToolCall, outcome: ToolOutcome): ToolResult {
  return {
    callId: call.id,
    name: call.name,
    content: outcome.content,
    isError: outcome.isError,
    ...(outcome.ref ? { ref: outcome.ref } : {}),
  };
}

/** A remote tool's card, skill and credentials' names, from its spec entry. */
function remoteTarget(agent: LlmAgentSpec, call: RoutedToolCall): Pick<ToolCallRequest, 'remote'> {
  if (call.route.kind !== 'a2a') return {};
  const spec = toolEntry(toolSpecFor(agent, call)!);
  if (!isRemoteTool(spec)) return {};
  return { remote: { card: spec.card, skill: call.route.skill, auth: spec.auth ?? null, allowHosts: spec.allowHosts ?? null } };
}

/** An MCP tool's server, as the team file has it: the activity connects to it by this. */
function mcpTarget(call: RoutedToolCall, mcp: readonly McpServerSpec[]): Pick<ToolCallRequest, 'mcp'> {
  if (call.route.kind !== 'mcp') return {};
  const name = call.route.server;
  const server = mcp.find((s) => s.name === name);
  return server ? { mcp: server } : {};
}

/** An MCP call's approval, as its server's entry says for what the server says of the tool. */
function mcpCallApproval(route: Extract<ToolRoute, { kind: 'mcp' }>, mcp: readonly McpServerSpec[]): ToolApprovalSpec | null {
  const server = mcp.find((s) => s.name === route.server);
  return server ? mcpApprovalOf(server, route.hints) : null;
}

/** Why a call cannot run at all, told to the model; null when it can. */
function refusal(
  agent: LlmAgentSpec,
  call: RoutedToolCall,
  memory: MemoryRequest | undefined,
  mcp: readonly McpServerSpec[],
): string | null {
  if (call.route.kind === 'memory' && memory) return null;
  if (call.route.kind === 'mcp') {
    const name = call.route.server;
    if (mcp.some((s) => s.name === name)) return null;
  }
  if (call.route.kind !== 'unknown' && toolSpecFor(agent, call)) return null;
  return `there is no tool named "${call.name}"; call one of the tools you were given`;
}

function errorResult(call: RoutedToolCall, content: string): ToolResult {
  return { callId: call.id, name: call.name, content, isError: true };
}

function approvalDraftFor(agent: string, call: RoutedToolCall, approval: { prompt?: string; timeout?: InputDraft['timeout'] }): InputDraft {
  const args = call.arguments.length > 2_000 ? `${call.arguments.slice(0, 2_000)}...` : call.arguments;
  const tool =
    call.route.kind === 'mcp'
      ? `the tool ${call.name} of the MCP server "${call.route.server}" (${mcpHintWords(call.route.hints)})`
      : `the tool ${call.name}`;
  return {
    kind: 'approval',
    reason: 'tool_approval',
    from: agent,
    to: 'user',
    prompt: approval.prompt ?? `${agent} wants to call ${tool} with ${args || '{}'}. Approve the call?`,
    timeout: approval.timeout,
  };
}

/** The agent's answer when it does not reflect: each result through the format, one per line. */
function summarize(results: ToolResult[], format = DEFAULT_TOOL_SUMMARY_FORMAT): string {
  return results
    .map((r) =>
      format.replace(/\{(result|tool_name|is_error)\}/g, (_, key: string) =>
        key === 'result' ? r.content : key === 'tool_name' ? r.name : String(r.isError),
      ),
    )
    .join('\n');
}
