import type { McpServerSpec } from '../mcp';

/** The name a model calls one of a server's tools by. */
export const mcpToolName = (server: Pick<McpServerSpec, 'prefix'>, tool: string): string => `${server.prefix ?? ''}${tool}`;

/** The servers an LLM agent's tools come from: the team's, then its own (its own win by name). */
export function mcpServersOf(team: { mcp?: McpServerSpec[] }, agent: { mcp?: McpServerSpec[] }): McpServerSpec[] {
  const own = new Set((agent.mcp ?? []).map((s) => s.name));
  return [...(team.mcp ?? []).filter((s) => !own.has(s.name)), ...(agent.mcp ?? [])];
}

/** Whether a server's tool, as listed, is offered: in its `include` (when it has one) and not in its `exclude`. */
export function mcpToolWanted(server: Pick<McpServerSpec, 'include' | 'exclude'>, tool: string): boolean {
  return (!server.include || server.include.includes(tool)) && !(server.exclude ?? []).includes(tool);
}
