import { z } from 'zod';
import type { ToolCallRequest, ToolOutcome } from '../core/activity-contract';
import { entriesForQuery, rememberText, type AgentMemoryDeps } from './agent-memory';
import { MAX_MEMORY_ENTRY_CHARS } from '../tools/memory-tool-definitions';

const RememberArgs = z.object({ text: z.string().trim().min(1, 'say what to remember').max(MAX_MEMORY_ENTRY_CHARS) });
const RecallArgs = z.object({ query: z.string().trim().min(1, 'say what to look for'), top: z.number().int().min(1).max(20).optional() });

/**
 * Runs a call of a built-in memory tool. `remember` keeps the text under the call's idempotency
 * key, so an activity retried after a crash writes the entry once. Bad arguments go back to the
 * model as an error result, as for any tool; a store that is down throws, for Temporal to retry.
 */
export async function runMemoryTool(deps: AgentMemoryDeps, request: ToolCallRequest, signal?: AbortSignal): Promise<ToolOutcome> {
  const { call, memory } = request;
  const who = `agent "${request.agent}"`;
  if (!memory) return failed(`${who} has no memory, so ${call.name} cannot run`);
  let args: unknown;
  try {
    args = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch (err) {
    return failed(`invalid arguments for ${call.name}: not JSON (${(err as Error).message}); send the arguments as a JSON object`);
  }
  if (call.name === 'remember') {
    const parsed = RememberArgs.safeParse(args);
    if (!parsed.success) return failed(`invalid arguments for remember: ${problems(parsed.error)}`);
    await rememberText(deps, memory, request.idempotencyKey, parsed.data.text, who, signal);
    return { v: 1, content: 'Remembered.', isError: false };
  }
  if (call.name === 'recall') {
    const parsed = RecallArgs.safeParse(args);
    if (!parsed.success) return failed(`invalid arguments for recall: ${problems(parsed.error)}`);
    const found = await entriesForQuery(deps, memory, parsed.data.query, who, { top: parsed.data.top ?? memory.top, signal, topUp: false });
    const content = found.length ? found.map((e) => `- ${e.text}`).join('\n') : 'Nothing is kept about that.';
    return { v: 1, content, isError: false };
  }
  return failed(`there is no memory tool named "${call.name}"; the memory tools are remember and recall`);
}

function problems(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(arguments)'}: ${i.message}`).join('; ');
}

function failed(content: string): ToolOutcome {
  return { v: 1, content, isError: true };
}
