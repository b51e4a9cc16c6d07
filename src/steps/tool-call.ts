import type { ToolCallRequest, ToolOutcome } from '../core/activity-contract';
import { givenMemory } from '../memory/agent-memory';
import { runMemoryTool } from '../memory/memory-tools';
import type { ToolRegistry } from '../tools/registry';
import { runTool } from '../tools/run-tool';
import { callMcpTool } from '../mcp/mcp-call';
import type { StepDeps, StepHost } from './step-host';
import { storeOutcome } from './stored-results';

/**
 * One call the model asked for, the same in an activity and in runLocal: a function tool of the
 * registry, a memory tool or an MCP server's tool, run; its output stored once. A remote A2A tool
 * is a call of its own (activities/remote-tools.ts): it needs a worker.
 */
export async function runToolCall(
  request: ToolCallRequest,
  deps: Pick<StepDeps, 'store' | 'memory' | 'mcp'> & { registry: ToolRegistry },
  host: Pick<StepHost, 'store' | 'tool'>,
): Promise<ToolOutcome> {
  const outcome = await host.tool((site) => {
    if (request.call.route.kind === 'memory') return runMemoryTool(givenMemory(deps.memory, request.agent), request, site.signal);
    if (request.call.route.kind === 'mcp') {
      if (!deps.mcp) throw new Error(`agent "${request.agent}": ${request.call.name} is an MCP tool, and no MCP connections were given`);
      return callMcpTool(request, { connections: deps.mcp, store: deps.store }, site);
    }
    return runTool(deps.registry, request, site);
  });
  return host.store(() => storeOutcome(deps.store, request.runId, outcome, request.call.name));
}
