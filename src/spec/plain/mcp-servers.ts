import type { McpServerSpec } from '../mcp';
import type { ToolApprovalSpec } from '../tools';

/** What a server says of a tool's effects (MCP's tool annotations). */
export interface McpToolHints {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** The name a model calls one of a server's tools by. */
export const mcpToolName = (server: Pick<McpServerSpec, 'prefix'>, tool: string): string => `${server.prefix ?? ''}${tool}`;

/** The servers an LLM agent's tools come from: the team's, then its own (its own win by name). */
export function mcpServersOf(team: { mcp?: McpServerSpec[] }, agent: { mcp?: McpServerSpec[] }): McpServerSpec[] {
  const own = new Set((agent.mcp ?? []).map((s) => s.name));
  return [...(team.mcp ?? []).filter((s) => !own.has(s.name)), ...(agent.mcp ?? [])];
}

/** Whether a call of this server's tool waits for a person's approval, and how to ask; null when it goes at once. */
export function mcpApprovalOf(server: Pick<McpServerSpec, 'approval'>, hints: McpToolHints | undefined): ToolApprovalSpec | null {
  const approval = server.approval;
  if (!approval) return null;
  if (approval === true) return {};
  const unlessReadOnly = approval === 'unlessReadOnly' || approval.unlessReadOnly === true;
  if (unlessReadOnly && hints?.readOnlyHint === true) return null;
  if (approval === 'unlessReadOnly') return {};
  const { unlessReadOnly: _rule, ...how } = approval;
  return how;
}

/** What a server says of a tool, in words for the person approving a call of it. */
export function mcpHintWords(hints: McpToolHints | undefined): string {
  if (!hints || Object.keys(hints).length === 0) return 'the server says nothing of its effects';
  if (hints.readOnlyHint) return 'read-only, says the server';
  const words = [
    hints.destructiveHint === false ? 'only adds, does not destroy' : 'may change or destroy things',
    hints.idempotentHint ? 'the same call twice does no more' : null,
    hints.openWorldHint === false ? 'stays within its own data' : hints.openWorldHint ? 'reaches the world outside' : null,
  ];
  return `${words.filter(Boolean).join('; ')}, says the server`;
}

/** Whether a server's tool, as listed, is offered: in its `include` (when it has one) and not in its `exclude`. */
export function mcpToolWanted(server: Pick<McpServerSpec, 'include' | 'exclude'>, tool: string): boolean {
  return (!server.include || server.include.includes(tool)) && !(server.exclude ?? []).includes(tool);
}
