import type { ToolCallRequest, ToolOutcome } from '../core/activity-contract';
import { formatPath } from '../spec/errors';
import { ToolError, type ToolContext } from './define-tool';
import type { ToolRegistry } from './registry';

/** The most of a result kept: it goes into the run's history and every later model call. */
export const MAX_TOOL_RESULT_CHARS = 100_000;

/**
 * Runs one call of a registered tool: arguments parsed and checked against the tool's schema
 * first (a bad call goes back to the model as an error, the tool never sees it), then the tool.
 * A ToolError becomes an error result; other errors are thrown, for Temporal to retry.
 */
export async function runTool(
  registry: ToolRegistry,
  request: ToolCallRequest,
  context: Pick<ToolContext, 'attempt' | 'signal' | 'heartbeat'>,
): Promise<ToolOutcome> {
  const { call } = request;
  const tool = registry.get(call.name);
  let args: unknown;
  try {
    args = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch (err) {
    return failed(`invalid arguments for ${call.name}: not JSON (${(err as Error).message}); send the arguments as a JSON object`);
  }
  const checked = tool.input.safeParse(args);
  if (!checked.success) {
    const problems = checked.error.issues.map((issue) => `${issue.path.length ? formatPath(issue.path) : '(arguments)'}: ${issue.message}`);
    return failed(`invalid arguments for ${call.name}: ${problems.join('; ')}`);
  }
  let result: unknown;
  try {
    result = await tool.run(checked.data, {
      ...context,
      idempotencyKey: request.idempotencyKey,
      runId: request.runId,
      turn: request.turn,
      agent: request.agent,
      callId: call.id,
    });
  } catch (err) {
    if (err instanceof ToolError) return failed(err.message);
    throw err;
  }
  return { v: 1, content: clip(typeof result === 'string' ? result : (JSON.stringify(result) ?? 'null')), isError: false };
}

function failed(content: string): ToolOutcome {
  return { v: 1, content: clip(content), isError: true };
}

function clip(text: string): string {
  if (text.length <= MAX_TOOL_RESULT_CHARS) return text;
  return `${text.slice(0, MAX_TOOL_RESULT_CHARS)}\n[result cut at ${MAX_TOOL_RESULT_CHARS} of ${text.length} characters]`;
}
