import { McpConnections } from './mcp-connections';

let shared: McpConnections | undefined;

/**
 * The process's MCP connections, for workers given none: one stdio process per server for the
 * whole process, however many workers it runs. Made on first use; they end with the process (a
 * stdio server ends when its stdin closes). A caller that must end them sooner passes its own.
 */
export function defaultMcpConnections(env: Record<string, string | undefined> = process.env): McpConnections {
  shared ??= new McpConnections(env);
  return shared;
}
