// Plain readers of a checked team file's tool entries. Like all of spec/plain/, no Zod here: core and the workflows load these at run time.
import type { FunctionToolSpec, HandoffTargetSpec, HandoffUseSpec, RemoteToolSpec, ToolApprovalSpec, ToolUseSpec } from '../tools';

/** OpenAI's rule for function names, which tool names become. */
export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isRemoteTool(tool: ToolUseSpec): tool is RemoteToolSpec {
  return typeof tool === 'object' && 'card' in tool;
}

/** The long form of a tool entry. */
export function toolEntry(tool: ToolUseSpec): FunctionToolSpec | RemoteToolSpec {
  return typeof tool === 'string' ? { name: tool } : tool;
}

/** Whether calls need a person's approval, and how to ask. */
export function approvalOf(tool: ToolUseSpec): ToolApprovalSpec | null {
  const approval = toolEntry(tool).approval;
  if (!approval) return null;
  return approval === true ? {} : approval;
}

export function handoffEntry(handoff: HandoffUseSpec): HandoffTargetSpec {
  return typeof handoff === 'string' ? { target: handoff } : handoff;
}

/** The tool name that hands off to `target`. */
export const handoffToolName = (target: string): string => `transfer_to_${target}`;

/** A skill id as a function name: what OpenAI's rule does not allow becomes "_". */
export function toolNameOf(id: string): string {
  const name = id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return TOOL_NAME_PATTERN.test(name) ? name : 'remote_agent';
}
