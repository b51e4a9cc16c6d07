import type { ToolRoute } from '../core/activity-contract';
import type { McpServerSpec } from '../spec/mcp';
import { mcpToolName, mcpToolWanted } from '../spec/plain/mcp-servers';
import type { FunctionDefinition } from '../tools/registry';
import type { PinnedTool } from './pinned-tools';

/** A server's tools as the model is offered them: filtered, named with the server's prefix, routed back to the server. */
export function mcpOffer(server: McpServerSpec, tools: readonly PinnedTool[]): { definition: FunctionDefinition; route: ToolRoute }[] {
  const listed = new Set(tools.map((t) => t.name));
  const missing = (server.include ?? []).filter((name) => !listed.has(name));
  if (missing.length)
    throw new Error(
      `MCP server "${server.name}" has no tool ${missing.map((m) => `"${m}"`).join(', ')} (its tools: ${[...listed].join(', ') || 'none'})`,
    );
  return tools
    .filter((tool) => mcpToolWanted(server, tool.name))
    .map((tool) => ({
      definition: {
        type: 'function',
        function: {
          name: mcpToolName(server, tool.name),
          description: tool.description ?? `${tool.name}, a tool of the MCP server "${server.name}"`,
          parameters: tool.inputSchema,
        },
      },
      route: { kind: 'mcp', server: server.name, tool: tool.name, ...(tool.annotations ? { hints: tool.annotations } : {}) },
    }));
}
