import type { ToolCallRequest, ToolOutcome } from '../core/activity-contract';
import { givenMemory } from '../memory/agent-memory';
import { runMemoryTool } from '../memory/memory-tools';
import type { ToolRegistry } from '../tools/registry';
import { runTool } from '../tools/run-tool';
import type { StepDeps, StepHost } from './step-host';
import { storeOutcome } from './stored-results';

/**
 * One call the model asked for, the same in an activity and in runLocal: a function tool of the
 * registry, or a memory tool, run; its output stored once. A remote A2A tool is a call of its own
 * (activities/remote-tools.ts): it needs a worker.
 */
export async function runToolCall(
  request: ToolCallRequest,
  deps: Pick<StepDeps, 'store' | 'memory'> & { registry: ToolRegistry },
  host: Pick<StepHost, 'store' | 'tool'>,
): Promise<ToolOutcome> {
  const outcome = await host.tool((site) =>
    request.call.route.kind === 'memory'
      ? runMemoryTool(givenMemory(deps.memory, request.agent), request, site.signal)
      : runTool(deps.registry, request, site),
  );
  return host.store(() => storeOutcome(deps.store, request.runId, outcome, request.call.name));
}
