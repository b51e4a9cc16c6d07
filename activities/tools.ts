import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ToolCallRequest, ToolOutcome } from '../src/core/activity-contract';
import { ToolNotRegisteredError, type ToolRegistry } from '../src/tools/registry';
import type { ConversationStore } from '../src/store/conversation-store';
import { withStore } from './store-access';
import { asCancellation } from './cancel-reason';
import { keepHeartbeating } from './heartbeat';
import { parseInput } from './parse-input';
import { ToolCallRequestSchema } from '../src/contract/call-requests';
import type { AgentMemoryDeps } from '../src/memory/agent-memory';
import { runToolCall } from '../src/steps/tool-call';
import type { ToolSite } from '../src/steps/step-host';
import { asMemoryFailure } from './memory';
import { startLiveCall } from './live-call';
import { NO_LIVE, type LivePublisher } from '../src/core/live';
import type { McpConnections } from '../src/mcp/mcp-connections';
import { McpServerError } from '../src/mcp/mcp-errors';

export function createToolActivities(
  registry: ToolRegistry,
  store: ConversationStore,
  heartbeatEveryMs?: number,
  memory?: AgentMemoryDeps,
  mcp?: McpConnections,
  live: LivePublisher = NO_LIVE,
) {
  return {
    /**
     * One call of a function tool registered on this worker. Bad arguments and ToolErrors come
     * back as error results for the model; other failures are retried under the tool's policy.
     * The tool gets the call's idempotency key, the same on every attempt.
     */
    async callTool(input: ToolCallRequest): Promise<ToolOutcome> {
      const request = parseInput(ToolCallRequestSchema, input, 'callTool');
      const ctx = Context.current();
      // Beats for the tool meanwhile, so a run's cancellation reaches a slow tool through its signal.
      const stopBeating = keepHeartbeating(heartbeatEveryMs);
      try {
        // An MCP call's progress notifications are its live preview; other tools send none.
        const preview = request.call.route.kind === 'mcp' ? startLiveCall(live, request) : null;
        // A call that reported no progress showed nothing, so it has no preview to end for watchers.
        let previewed = false;
        const host = {
          store: withStore,
          tool: <T>(call: (site: ToolSite) => Promise<T>) =>
            asMemoryFailure(() =>
              call({
                attempt: ctx.info.attempt,
                signal: ctx.cancellationSignal,
                heartbeat: (details) => ctx.heartbeat(details),
                ...(preview
                  ? {
                      onProgress: (line: string) => {
                        previewed = true;
                        preview.onDelta({ text: line, tool: request.call.name });
                      },
                    }
                  : {}),
              }),
            ),
        };
        try {
          return await runToolCall(request, { registry, store, memory, ...(mcp ? { mcp } : {}) }, host);
        } finally {
          if (previewed) preview?.end();
        }
      } catch (err) {
        if (ctx.cancellationSignal.aborted) throw asCancellation(ctx, err);
        if (err instanceof ToolNotRegisteredError)
          throw ApplicationFailure.nonRetryable(`agent "${request.agent}": ${err.message}`, 'ToolNotRegistered');
        // A server that may come back is retried under the call's policy; one that never can fails the call.
        if (err instanceof McpServerError)
          throw ApplicationFailure.create({
            message: `agent "${request.agent}": ${err.message}`,
            type: 'McpServerError',
            nonRetryable: !err.retryable,
          });
        throw err;
      } finally {
        stopBeating();
      }
    },
  };
}
